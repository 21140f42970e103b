"""The translation catalogues (docs/translations.md): ``python -m moderator.catalogue`` extracts
every string to translate, merges the new ones into each language's ``messages.po`` (left empty
for the translator, never guessed) and compiles the ``.mo`` files the application reads.

The ``.mo`` files are committed beside their ``.po``: the application runs from a clone with no
build step, and a test checks that each one is the compilation of its ``.po``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "moderator" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# Beside gettext's own: ``_n`` (the scripts' counted strings, moderator/web/messages.py) and
# ``NP_`` (the core's counted refusals); ``N_`` is one of Babel's defaults.
KEYWORDS = ("_n:1,2", "NP_:1,2")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])  # type: ignore[no-untyped-call]


def extract(output: Path = TEMPLATE) -> None:
    """Every translatable string of the code and templates, as the template ``output``."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        *keywords,
        "--add-comments=Translators:",
        "--no-location",
        "--sort-output",
        "--project=moderator",
        "--copyright-holder=the moderator authors",
        "-o",
        str(output),
        str(ROOT),
    )


def languages() -> list[str]:
    """The languages that have a catalogue."""
    return sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def update() -> None:
    """Extract, then add new strings to every catalogue (untranslated) and drop removed ones."""
    extract()
    _pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def compile_all() -> None:
    """The ``.mo`` file of every catalogue."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


def main(argv: list[str]) -> int:
    """``extract``, ``update``, ``compile``, or (no argument) update then compile."""
    steps: dict[str, list[Callable[[], None]]] = {
        "extract": [extract],
        "update": [update],
        "compile": [compile_all],
    }
    for step in steps.get(argv[0] if argv else "", [update, compile_all]):
        step()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
