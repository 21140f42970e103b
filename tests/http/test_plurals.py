"""Counts read right in languages with more than two plural forms: Russian has three, Arabic
six. The scripts get one text per plural category and pick with the browser's Intl.PluralRules;
each must be the text gettext gives for the same count."""

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from moderator import catalogue, locale

COUNTS = (0, 1, 2, 5, 11, 21, 100, 101, 102, 111)
NEW = ("{n} new question.", "{n} new questions.")


def forms_of(language, message):
    """The translator's forms of ``message``, in the catalogue's order."""
    with open(catalogue.TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return list(read_po(f)[message].string)


# The form gettext must pick for each count: Russian one/few/many, Arabic
# zero/one/two/few/many/other (3-10 are "few", 11-99 "many", 100-102 "other").
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 100: 2}),
        ("ar", {0: 0, 1: 1, 2: 2, 5: 3, 11: 4, 21: 4, 100: 5}),
    ],
)
def test_counts_pick_the_right_plural_form(app, language, expected):
    forms = forms_of(language, NEW[0])
    with app.test_request_context("/"), force_locale(language):
        for n, index in expected.items():
            assert ngettext(*NEW, n) == forms[index], (language, n)
    # The forms a reader tells apart are different texts, not one copied into every slot.
    distinct = {forms[i] for i in set(expected.values()) - {0, 5}} if language == "ar" else forms
    assert len(set(distinct)) == len(distinct)
    # A form may leave the number out only where it stands for one number (Arabic's 1 and its
    # dual 2); Russian's first form also reads 21, 31, ..., so it must show the number.
    alone = {1, 2} if language == "ar" else set()
    assert all("{n}" in forms[i] for i in set(expected.values()) - alone)


@pytest.mark.parametrize("language", ["ar", "ru", "fr", "es", "zh", "en"])
def test_the_scripts_forms_agree_with_gettext_for_every_count(app, language):
    rule = Locale.parse(language).plural_form
    with app.test_request_context("/"), force_locale(language):
        forms = locale.plural_forms(*NEW, language)
        for n in COUNTS:
            assert forms[rule(n)] == ngettext(*NEW, n), (language, n)
    assert set(forms) == rule.tags | {"other"}
