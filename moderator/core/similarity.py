"""Near-duplicate questions, by fuzzy matching of their words (rapidfuzz)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process, utils

# token_set_ratio ignores word order and repeated words; 0-100.
FLAG_SCORE = 75
SUGGEST_SCORE = 60
_WORD = re.compile(r"\w+", re.UNICODE)


def _prepare(text: str) -> str:
    return utils.default_process(text)


def best_match(text: str, candidates: list[tuple[int, str]]) -> tuple[int, int] | None:
    """The (id, score) of the candidate most like ``text``, if it scores FLAG_SCORE or more."""
    if not candidates or len(_WORD.findall(text)) < 3:
        return None
    found = process.extractOne(
        text,
        [candidate for _id, candidate in candidates],
        scorer=fuzz.token_set_ratio,
        score_cutoff=FLAG_SCORE,
        processor=utils.default_process,  # applied in C++, not per candidate in Python
    )
    if found is None:
        return None
    _choice, score, index = found
    return candidates[index][0], round(score)


def prepare(candidates: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Candidates' texts made ready for ``ranked_prepared`` (done once, kept by a cache)."""
    return {k: _prepare(v) for k, v in candidates}


def ranked(text: str, candidates: Iterable[tuple[int, str]], limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` (id, score) pairs at SUGGEST_SCORE or more, most similar first."""
    return ranked_prepared(text, prepare(candidates), limit)


def ranked_prepared(text: str, choices: Mapping[int, str], limit: int) -> list[tuple[int, int]]:
    """``ranked`` among texts already passed through ``prepare``."""
    if not choices or len(_WORD.findall(text)) < 3:
        return []
    found = process.extract(
        _prepare(text),
        choices,
        scorer=fuzz.token_set_ratio,
        score_cutoff=SUGGEST_SCORE,
        limit=limit,
        processor=None,
    )
    return [(key, round(score)) for _choice, score, key in found]
