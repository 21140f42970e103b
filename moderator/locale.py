"""Which language a request or connection is served in, and the page direction that follows.

The order (issue 11): ``?lang=`` (the QR link may carry it; a room screen or stage monitor has its
own), then the ``lang`` cookie the language switcher sets, then the browser's
``Accept-Language``, then the event's default language, then English. A page's scripts connect
with the page's language in the Socket.IO query, so a connection's acknowledgements speak the
language its page was rendered in.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from flask import Flask, g, request
from flask_babel import get_translations

from moderator.core import errors
from moderator.core.languages import DEFAULT_LANGUAGE, LANGUAGES

RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT = DEFAULT_LANGUAGE
COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600
# Each language named in itself, for the switcher.
NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def supported(value: Any) -> str | None:
    """``value`` as one of LANGUAGES (``fr-SN`` and ``zh-Hans-CN`` count), or None."""
    if not isinstance(value, str) or not 2 <= len(value) <= 35:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def select() -> str:
    """The language of the current request or Socket.IO connection (see the module's order)."""
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE)):
        chosen = supported(candidate)
        if chosen:
            return chosen
    for tag, _quality in request.accept_languages:
        chosen = supported(tag)
        if chosen:
            return chosen
    return supported(g.get("event_language")) or DEFAULT


def current() -> str:
    """The language the current response is being written in."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def direction(language: str) -> str:
    """``rtl`` or ``ltr``: the ``dir`` of a page in ``language``."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def plural_forms(singular: str, plural: str, language: str) -> dict[str, str]:
    """One text per CLDR plural category of ``language`` (``one``, ``few``, ``many``...), for
    the scripts: they pick with ``Intl.PluralRules`` the form gettext would pick for the count.
    Each category is rendered with the smallest whole number that falls in it."""
    from flask_babel import ngettext

    return {category: ngettext(singular, plural, n) for category, n in _plural_samples(language)}


@functools.cache
def _plural_samples(language: str) -> tuple[tuple[str, int], ...]:
    """The smallest whole number of each plural category of ``language``."""
    rule = Locale.parse(language).plural_form
    samples: dict[str, int] = {}
    # French and Spanish keep a form for round millions ("1 000 000 de votes").
    for n in (*range(0, 1000), 10**6, 10**9):
        samples.setdefault(rule(n), n)
        if len(samples) == len(rule.tags) + 1:
            break
    # Russian's "other" is for fractions, which no count here is; a script must still find one.
    samples.setdefault("other", 10**6 + 5)
    return tuple(samples.items())


def init_app(app: Flask) -> None:
    """Template values for ``<html lang dir>`` and the switcher, and refusals rendered in the
    current request's language."""
    errors.current_translator = get_translations

    @app.context_processor
    def page_language() -> dict[str, Any]:
        language = current()
        return {
            "page_lang": language,
            "page_dir": direction(language),
            "languages": [(code, NAMES[code]) for code in LANGUAGES],
            "languages_named": NAMES,
            "language_return": _this_page_without_lang(),
        }


def _this_page_without_lang() -> str:
    """Where the switcher comes back to: this page, without a ``?lang=`` that would outrank the
    choice just made."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return request.path + (f"?{query}" if query else "")
