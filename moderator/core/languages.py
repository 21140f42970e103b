"""The languages the app speaks, and event text picked in a reader's language.

An event file gives each text (title, segment and theme titles, guiding questions) in the event's
own language, and may give it in others too. A page shows the reader's language where the file
has it, else the event's own, and says which one it shows so that the element can carry ``lang``.
"""

from __future__ import annotations

from collections.abc import Mapping

# The six official languages of the United Nations; "zh" is Simplified Chinese.
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
DEFAULT_LANGUAGE = "en"


def localized(
    text: str, translations: Mapping[str, str], lang: str, default: str
) -> tuple[str, str]:
    """``text`` (written in ``default``, the event's language) as a reader of ``lang`` sees it:
    its translation into ``lang`` if there is one, else ``text``; with the language it is in."""
    if lang != default:
        translated = translations.get(lang)
        if translated:
            return translated, lang
    return text, default
