"""Matching text across scripts: the word filter and the words the similar-question hints compare.

Both sides of every comparison (a filter entry and a question, or two questions) go through the
same ``normalise``, so a spelling trick that changes how a word is encoded but not how it reads
(a zero-width space, a soft hyphen, full-width or Cyrillic look-alike letters, accents, Arabic
diacritics and hamza forms) changes nothing. Words are then compared whole, except in scripts
written without spaces between words (Chinese, Japanese, Korean, Thai...), where a filter entry is
looked for anywhere and similarity compares pairs of neighbouring characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache


def _spans(*spans: tuple[int, int]) -> Iterator[int]:
    for first, last in spans:
        yield from range(first, last + 1)


# Invisible characters that only change how text is laid out: deleted before matching.
_IGNORABLE = frozenset(
    _spans(
        (0x00AD, 0x00AD),  # soft hyphen
        (0x034F, 0x034F),  # combining grapheme joiner
        (0x061C, 0x061C),  # Arabic letter mark
        (0x115F, 0x1160),  # Hangul fillers
        (0x17B4, 0x17B5),  # Khmer inherent vowels
        (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
        (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; direction marks
        (0x202A, 0x202E),  # bidi embeddings and overrides
        (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates
        (0x3164, 0x3164),  # Hangul filler
        (0xFE00, 0xFE0F),  # variation selectors
        (0xFEFF, 0xFEFF),  # zero-width no-break space (byte order mark)
        (0xFFA0, 0xFFA0),  # half-width Hangul filler
        (0x1BCA0, 0x1BCA3),  # shorthand format controls
        (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
    )
)
# Accents and vowel marks of the scripts whose words read the same without them (Latin, Greek,
# Cyrillic, Hebrew, Arabic) and the Arabic tatweel that only stretches a word: deleted. The marks of
# other scripts (Devanagari vowel signs, Japanese voicing marks...) make different words: kept.
_MARKS = frozenset(
    _spans(
        (0x0300, 0x036F),
        (0x0483, 0x0489),
        (0x0591, 0x05BD),
        (0x05BF, 0x05BF),
        (0x05C1, 0x05C2),
        (0x05C4, 0x05C5),
        (0x05C7, 0x05C7),
        (0x0610, 0x061A),
        (0x0640, 0x0640),  # tatweel
        (0x064B, 0x065F),
        (0x0670, 0x0670),
        (0x06D6, 0x06DC),
        (0x06DF, 0x06E4),
        (0x06E7, 0x06E8),
        (0x06EA, 0x06ED),
        (0x08D3, 0x08E1),
        (0x08E3, 0x08FF),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x20D0, 0x20FF),
        (0xFE20, 0xFE2F),
    )
)
# Letters in their own right in Spanish and Russian, not an accented n or и: "año" is not "ano".
_KEPT = frozenset("ñÑйЙ")
_FOLDED = {
    # Arabic letter forms written interchangeably (the hamza forms decompose to these already).
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ة": "ه",
    "ک": "ك",
    **{chr(0x0660 + n): str(n) for n in range(10)},
    **{chr(0x06F0 + n): str(n) for n in range(10)},
    # Latin letters with no decomposition.
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ħ": "h",
    "ı": "i",
    "ȷ": "j",
    "ɑ": "a",
    "ɡ": "g",
    "ɩ": "i",
    # Cyrillic, Greek and Armenian letters that look like a Latin one (in either case: matching
    # ignores case, so each letter has one skeleton whatever its case).
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "һ": "h",
    "ӏ": "l",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ү": "y",
    "α": "a",
    "β": "b",
    "ε": "e",
    "ζ": "z",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "օ": "o",
    "ո": "n",
    "ս": "u",
    "հ": "h",
}
# Scripts written without spaces between words (and Hangul, whose words carry their particles).
_UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1100-\u11ff"  # Hangul jamo
    "\u1780-\u17ff"  # Khmer
    "\u3005-\u3007"  # ideographic iteration and closing marks, ideographic zero
    "\u3040-\u30fa\u30fc-\u30ff"  # Hiragana, Katakana (not the middle dot)
    "\u3130-\u318f"  # Hangul compatibility jamo
    "\u31f0-\u31ff"  # Katakana extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0003134f"  # Han extensions
)
_TOKEN = re.compile(rf"(?P<unspaced>[{_UNSPACED}]+)|[^\W_{_UNSPACED}]+")
_HAS_UNSPACED = re.compile(f"[{_UNSPACED}]")
_NOT_ALNUM = re.compile(r"[\W_]+")
# Three or more single letters, each after the same separator ("s.t.u.p.i.d", "s t u p i d",
# "s-t-u", "s. t. u"): a word spelled out to slip past the filter.
_LETTER = rf"[^\W\d_{_UNSPACED}]"
_SPELLED_OUT = re.compile(
    rf"(?<![^\W_]){_LETTER}([^\w\s]\s?|\s|_){_LETTER}(?:\1{_LETTER})+(?![^\W_])"
)
_ARABIC_LETTER = re.compile("[\u0620-\u064a]")
# Arabic clitics written onto the word: the definite article, alone or after and/with/like/so/for.
_ARTICLES = ("وال", "فال", "بال", "كال", "ال", "لل")


def _fold_table() -> dict[int, str | None]:
    """For ``str.translate``: what each character becomes, or None when it is deleted."""
    table: dict[int, str | None] = {cp: None for cp in _IGNORABLE | _MARKS}
    letters = _spans((0x00C0, 0x024F), (0x0370, 0x052F), (0x0620, 0x06FF), (0x1E00, 0x1FFF))
    for cp in (*letters, *map(ord, _FOLDED)):
        char = chr(cp)
        if char in _KEPT or cp in table:
            continue
        bare = "".join(c for c in unicodedata.normalize("NFD", char) if ord(c) not in _MARKS)
        folded = "".join(_FOLDED.get(c, c) for c in unicodedata.normalize("NFC", bare))
        if folded != char:
            table[cp] = folded
    return table


_TABLE = _fold_table()


def normalise(text: str) -> str:
    """``text`` as it is matched: compatibility forms (full-width, ligatures, styled letters)
    unified, case folded, invisible characters and accents removed, Arabic letter variants and
    look-alike letters of other scripts folded to one form."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)


def _stem(word: str) -> str:
    """An Arabic word without the article and conjunction written onto it; other words as they
    are. The same light stemming (after Larkey's light10) is applied to both sides."""
    if not _ARABIC_LETTER.match(word):
        return word
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


def _words(normalised: str) -> list[str]:
    """Words in reading order; a run of a script written without spaces counts as one word."""
    return [
        match.group() if match.lastgroup else _stem(match.group())
        for match in _TOKEN.finditer(normalised)
    ]


def tokens(text: str) -> list[str]:
    """What the similar-question hints compare: the text's words, each run of a script written
    without spaces cut into overlapping pairs of characters (a single one kept as it is)."""
    found: list[str] = []
    for match in _TOKEN.finditer(normalise(text)):
        word = match.group()
        if not match.lastgroup:
            found.append(_stem(word))
        elif len(word) == 1:
            found.append(word)
        else:
            found.extend(word[i : i + 2] for i in range(len(word) - 1))
    return found


@dataclass(frozen=True)
class _Entry:
    """A filter entry made ready: whole words (each ``(word, is_prefix)``) and their letters
    run together, or else a string looked for anywhere in the text (with its separators removed
    when ``compact``)."""

    words: tuple[tuple[str, bool], ...]
    letters: str
    anywhere: str
    compact: bool


@lru_cache(maxsize=4096)
def _entry(raw: str) -> _Entry:
    normalised = normalise(raw)
    if _HAS_UNSPACED.search(normalised):
        return _Entry((), "", _NOT_ALNUM.sub("", normalised), compact=True)
    words = tuple(
        (word, normalised.startswith("*", match.end()))
        for match, word in zip(_TOKEN.finditer(normalised), _words(normalised), strict=True)
    )
    letters = "".join(word for word, _prefix in words)
    return _Entry(words, letters, "" if words else " ".join(normalised.split()), compact=False)


class _Text:
    """A question analysed once for every entry of the filter."""

    def __init__(self, text: str) -> None:
        self.normalised = normalise(text)
        self.words = _words(self.normalised)
        self.positions = _positions(self.words)
        # Letters spelled out one by one; "a s t u p i d" may start with a real one-letter word,
        # so an entry is looked for anywhere in the run, not only as all of it.
        self.spelled_out = [
            _NOT_ALNUM.sub("", match.group()) for match in _SPELLED_OUT.finditer(self.normalised)
        ]
        self._compact: str | None = None
        self._spaced: str | None = None

    @property
    def compact(self) -> str:
        if self._compact is None:
            self._compact = _NOT_ALNUM.sub("", self.normalised)
        return self._compact

    @property
    def spaced(self) -> str:
        if self._spaced is None:
            self._spaced = " ".join(self.normalised.split())
        return self._spaced

    def contains(self, entry: _Entry) -> bool:
        if not entry.words:
            haystack = self.compact if entry.compact else self.spaced
            return bool(entry.anywhere) and entry.anywhere in haystack
        return _has_phrase(self.words, self.positions, entry.words) or (
            len(entry.letters) >= 3 and any(entry.letters in run for run in self.spelled_out)
        )


def _positions(sequence: list[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(sequence):
        positions.setdefault(word, []).append(i)
    return positions


def _has_phrase(
    sequence: list[str], positions: dict[str, list[int]], phrase: tuple[tuple[str, bool], ...]
) -> bool:
    first, prefix = phrase[0]
    starts = (
        (i for i, word in enumerate(sequence) if word.startswith(first))
        if prefix
        else positions.get(first, ())
    )
    return any(
        i + len(phrase) <= len(sequence)
        and all(
            sequence[i + j].startswith(word) if is_prefix else sequence[i + j] == word
            for j, (word, is_prefix) in enumerate(phrase)
        )
        for i in starts
    )


def filtered_word(word_filter: Iterable[str], text: str) -> str | None:
    """The first entry of the event's word filter (as written) that the text contains, if any.

    An entry is a word or phrase matched as whole words; ``*`` at the end of a word also takes
    longer words that start with it ("idiot*" takes "idiots"). An entry in Chinese, Japanese,
    Korean or Thai is found anywhere in the text, separators between its characters ignored.
    """
    analysed: _Text | None = None  # not analysed at all when the filter is empty
    for raw in word_filter:
        entry = _entry(raw)
        if analysed is None:
            analysed = _Text(text)
        if analysed.contains(entry):
            return raw
    return None
