"""Near-duplicate questions, by fuzzy matching of their words (rapidfuzz).

Texts are compared as ``text_match.tokens`` gives them: normalised, Arabic articles removed, and
Chinese, Japanese, Korean or Thai cut into pairs of characters, so questions written without
spaces between words are compared too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

from moderator.core.text_match import tokens

# token_set_ratio ignores word order and repeated words; 0-100.
FLAG_SCORE = 75
SUGGEST_SCORE = 60
# Fewer different words than this (or pairs of characters, in a script without spaces) say too
# little to call two questions alike.
MIN_TOKENS = 3


def _prepare(text: str) -> tuple[str, int]:
    """The text's different tokens joined by spaces, as rapidfuzz compares them, and how many
    there are. token_set_ratio compares sets: a repeated token would only cost time."""
    found = sorted(set(tokens(text)))
    return " ".join(found), len(found)


# Questions' texts, kept: a new question is compared with the same recent ones at every
# submission. A look-up's text (what an attendee is typing) is not kept.
_prepared = lru_cache(maxsize=4096)(_prepare)


def best_match(text: str, candidates: list[tuple[int, str]]) -> tuple[int, int] | None:
    """The (id, score) of the candidate most like ``text``, if it scores FLAG_SCORE or more."""
    query, count = _prepared(text)
    if not candidates or count < MIN_TOKENS:
        return None
    found = process.extractOne(
        query,
        [_prepared(candidate)[0] for _id, candidate in candidates],
        scorer=fuzz.token_set_ratio,
        score_cutoff=FLAG_SCORE,
        processor=None,
    )
    if found is None:
        return None
    _choice, score, index = found
    return candidates[index][0], round(score)


def prepare(candidates: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Candidates' texts made ready for ``ranked_prepared`` (done once, kept by a cache)."""
    return {k: _prepared(v)[0] for k, v in candidates}


def ranked(text: str, candidates: Iterable[tuple[int, str]], limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` (id, score) pairs at SUGGEST_SCORE or more, most similar first."""
    return ranked_prepared(text, prepare(candidates), limit)


def ranked_prepared(text: str, choices: Mapping[int, str], limit: int) -> list[tuple[int, int]]:
    """``ranked`` among texts already passed through ``prepare``."""
    query, count = _prepare(text)
    if not choices or count < MIN_TOKENS:
        return []
    found = process.extract(
        query,
        choices,
        scorer=fuzz.token_set_ratio,
        score_cutoff=SUGGEST_SCORE,
        limit=limit,
        processor=None,
    )
    return [(key, round(score)) for _choice, score, key in found]
