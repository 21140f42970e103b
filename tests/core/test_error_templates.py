"""Refusals are templates a translator can translate: never English assembled at run time, and
rendered in the asker's language before their fields are filled."""

import ast
import string
from pathlib import Path

import pytest

from moderator.core.errors import N_, NP_, Conflict, InvalidInput, RateLimited

SOURCE = Path(__file__).resolve().parents[2] / "moderator"
MARKERS = {"N_", "NP_"}


def _refusal_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """DomainError and every class derived from it anywhere in moderator/."""
    names = {"DomainError"}
    while True:
        found = {
            node.name
            for tree in trees.values()
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id in names for b in node.bases)
        }
        if found <= names:
            return names
        names |= found


def _marked(node: ast.expr) -> list[str] | None:
    """The templates of an ``N_``/``NP_`` call, None for anything else."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    if node.func.id not in MARKERS or node.keywords:
        return None
    if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
        return None
    return [a.value for a in node.args if isinstance(a, ast.Constant)]


class Templates:
    """Works out which marked templates an expression can evaluate to, following the names it
    reads to their assignment (in the enclosing function, else at module level) and dict
    lookups to the dict's values. None: it can be something else (an f-string, a
    concatenation, ``.format``, a plain string...)."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }

    def of(self, node: ast.expr, scope: dict[str, ast.expr]) -> list[str] | None:
        marked = _marked(node)
        if marked is not None:
            return marked
        if isinstance(node, ast.IfExp | ast.BoolOp):
            parts = [node.body, node.orelse] if isinstance(node, ast.IfExp) else node.values
            return self._all(parts, scope)
        if isinstance(node, ast.Name):
            value = scope.get(node.id, self.module.get(node.id))
            return None if value is None else self.of(value, {})
        if isinstance(node, ast.Subscript):
            return self._values(node.value)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
        ):
            values = self._values(node.func.value)
            if values is None or len(node.args) < 2:
                return values
            default = self.of(node.args[1], scope)
            return None if default is None else values + default
        return None

    def _all(self, parts: list[ast.expr], scope: dict[str, ast.expr]) -> list[str] | None:
        found: list[str] = []
        for part in parts:
            templates = self.of(part, scope)
            if templates is None:
                return None
            found += templates
        return found

    def _values(self, mapping: ast.expr) -> list[str] | None:
        if not isinstance(mapping, ast.Name):
            return None
        value = self.module.get(mapping.id)
        if not isinstance(value, ast.Dict) or not value.values:
            return None
        return self._all(value.values, {})


def _scope(function: ast.AST | None) -> dict[str, ast.expr]:
    """The names a function assigns once (a name assigned twice is not followed)."""
    if function is None:
        return {}
    seen: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    seen.setdefault(target.id, []).append(node.value)
    return {name: values[0] for name, values in seen.items() if len(values) == 1}


def _fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def problems_in(source: str, classes: set[str], where: str = "<source>") -> list[str]:
    """Each construction of a refusal in ``source`` whose message is not a marked template, or
    whose template names a field the construction does not pass."""
    tree = ast.parse(source)
    templates = Templates(tree)
    parents: dict[ast.AST, ast.AST] = {
        child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
    }
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in classes
            and node.args
        ):
            continue
        function: ast.AST | None = parents.get(node)
        while function is not None and not isinstance(
            function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            function = parents.get(function)
        place = f"{where}:{node.lineno}"
        possible = templates.of(node.args[0], _scope(function))
        if possible is None:
            found.append(f"{place}: {ast.unparse(node.args[0])} is not an N_/NP_ template")
            continue
        passed = {k.arg for k in node.keywords}
        if None in passed:  # **params: not checkable here
            continue
        for template in possible:
            missing = _fields(template) - passed
            if missing:
                found.append(f"{place}: {template!r} needs {sorted(missing)}")
    return found


def test_every_refusal_in_the_source_is_a_marked_template_with_its_fields():
    trees = {path: ast.parse(path.read_text()) for path in sorted(SOURCE.rglob("*.py"))}
    classes = _refusal_classes(trees)
    assert {"InvalidInput", "RateLimited", "Unavailable"} <= classes
    found = [
        problem
        for path, tree in trees.items()
        for problem in problems_in(ast.unparse(tree), classes, str(path.relative_to(SOURCE)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "construction",
    [
        'InvalidInput(f"There is no question {id}.")',
        'InvalidInput("There is no question " + str(id))',
        'InvalidInput("There is no question {id}.".format(id=id))',
        'InvalidInput("Send a JSON object.")',
        'InvalidInput(N_(f"Question {id}"))',
        'InvalidInput(N_("There is no question {id}."), "unknown_question")',
        'InvalidInput(N_("x") if ok else f"{label} is missing.")',
        'InvalidInput(NP_("{n} entry", "{n} entries"), m=3)',
        "InvalidInput(message)",
        "InvalidInput(_LABELS[key])",
    ],
)
def test_the_check_catches_a_message_assembled_in_english(construction):
    source = f"_LABELS = {{'name': 'The name'}}\n\n\ndef f():\n    raise {construction}\n"
    assert problems_in(source, {"InvalidInput"}) != []


@pytest.mark.parametrize(
    "construction",
    [
        'InvalidInput(N_("Send a JSON object."), "invalid_body")',
        'InvalidInput(NP_("{n} entry", "{n} entries"), n=3)',
        "InvalidInput(_MISSING[key], key=key)",
        'InvalidInput(_MISSING.get(key, N_("{key} is missing.")), key=key)',
        'InvalidInput(N_("Answered.") if answered else N_("Not published."))',
        "InvalidInput(template, key=key)",
    ],
)
def test_the_check_allows_whole_sentences_chosen_by_case(construction):
    source = (
        "_MISSING = {'name': N_('The name is missing.'), 'text': N_('{key} is empty.')}\n\n\n"
        "def f():\n    template = _MISSING[key]\n    raise " + construction + "\n"
    )
    assert problems_in(source, {"InvalidInput"}) == []


class Catalogue:
    """A translator with a few translations; English for the rest."""

    def __init__(self, translations: dict[str | tuple[str, str], str | tuple[str, str]]):
        self.translations = translations

    def gettext(self, message: str) -> str:
        translated = self.translations.get(message, message)
        assert isinstance(translated, str)
        return translated

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.translations.get((singular, plural), (singular, plural))
        assert isinstance(forms, tuple)
        return forms[0] if n == 1 else forms[1]


def test_the_template_is_translated_before_its_fields_are_filled():
    french = Catalogue({"There is no question {id} in this event.": "Aucune question {id} ici."})
    refusal = InvalidInput(N_("There is no question {id} in this event."), "unknown", id=42)
    assert refusal.as_dict(french) == {
        "error": {"code": "unknown", "message": "Aucune question 42 ici."}
    }
    assert refusal.message == "There is no question 42 in this event."


def test_a_count_chooses_the_translated_form():
    entries = NP_("At most {n} entry.", "At most {n} entries.")
    french = Catalogue({entries: ("Au plus {n} entrée.", "Au plus {n} entrées.")})
    assert InvalidInput(entries, n=1).render(french) == "Au plus 1 entrée."
    assert InvalidInput(entries, n=3).render(french) == "Au plus 3 entrées."
    assert InvalidInput(entries, n=3).message == "At most 3 entries."


def test_a_rate_limit_keeps_its_wait_beside_the_translated_message():
    wait = NP_("Try again in {n} second.", "Try again in {n} seconds.")
    german = Catalogue({wait: ("In {n} Sekunde erneut.", "In {n} Sekunden erneut.")})
    body = RateLimited(wait, retry_after=5, n=5).as_dict(german)
    assert body["error"]["message"] == "In 5 Sekunden erneut."
    assert body["error"]["retry_after"] == 5


@pytest.mark.parametrize(
    "translation",
    ["La question {numéro} a changé.", "La question {id a changé.", "La question {0} a changé."],
)
def test_a_translation_that_loses_a_field_falls_back_to_english(translation):
    template = N_("Question {id} changed.")
    broken = Catalogue({template: translation})
    assert Conflict(template, id=7).as_dict(broken)["error"]["message"] == "Question 7 changed."
