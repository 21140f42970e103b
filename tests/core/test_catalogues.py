"""The translation catalogues are complete and in step with the code: every string the code,
templates, scripts' message table and the core's refusals show is extracted, and every language
has all of them translated, none fuzzy, every plural form filled, every field kept."""

from __future__ import annotations

import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from moderator import catalogue, locale

LANGUAGES = [language for language in locale.LANGUAGES if language != "en"]
FIELD = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sd]")


def po(language: str) -> Catalog:
    with open(catalogue.TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def key(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def filled(value: str | tuple[str, ...]) -> bool:
    return bool(value) if isinstance(value, str) else all(value)


def entries(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    output: Path = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    catalogue.extract(output)
    with open(output, "rb") as f:
        return read_po(f)


def test_every_language_has_a_catalogue():
    assert catalogue.languages() == sorted(LANGUAGES)


def test_extraction_finds_nothing_the_committed_template_lacks(extracted):
    with open(catalogue.TEMPLATE, "rb") as f:
        committed = read_po(f)
    assert entries(extracted) == entries(committed), "run: python -m moderator.catalogue"


def test_extraction_reaches_the_core_the_message_table_and_the_templates(extracted):
    found = entries(extracted)
    assert "There is no question {id} in this event." in found  # a core refusal (N_)
    assert "{n} new question." in found  # the scripts' counted strings (_n)
    assert "Ask the panel" in found  # a template


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_exactly_the_extracted_strings(extracted, language):
    catalog = po(language)
    missing = entries(extracted) - entries(catalog)
    stale = entries(catalog) - entries(extracted)
    assert not missing and not stale, (sorted(missing)[:5], sorted(stale)[:5])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_none_fuzzy_every_plural_form_filled(language):
    catalog = po(language)
    expected_forms = get_plural(language).num_plurals  # the language's, not the file's say
    assert catalog.num_plurals == expected_forms
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        if message.pluralizable:
            forms = message.string
            if len(forms) != expected_forms or not all(f.strip() for f in forms):
                problems.append(("plural forms", message.id))
        elif not message.string.strip():
            problems.append(("untranslated", message.id))
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_field(language):
    catalog = po(language)
    choose = gettext.c2py(catalog.plural_expr)
    numbers_of = Counter(choose(n) for n in range(1, 1000))
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            wanted = set(FIELD.findall(message.id[1]))
            for index, form in enumerate(message.string):
                got = set(FIELD.findall(form))
                # A form may leave the count out only where it stands for a single number
                # ("one question", Arabic's dual; or none but zero), never add or lose another
                # field: Russian's first form also reads 21, 31, ... and must show the number.
                may_drop = {"{n}"} if numbers_of[index] <= 1 else set()
                if got - wanted or (wanted - may_drop) - got:
                    problems.append((message.id[0], form))
        elif set(FIELD.findall(message.string)) != set(FIELD.findall(message.id)):
            problems.append((message.id, message.string))
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_the_compiled_catalogue(language):
    with open(catalogue.TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {key(m.id): key(m.string) for m in read_mo(f) if m.id}
    # pybabel leaves untranslated entries out of the .mo (another test fails on those).
    written = {key(m.id): key(m.string) for m in po(language) if m.id and filled(m.string)}
    assert compiled == written, "run: python -m moderator.catalogue compile"
