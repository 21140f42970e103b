"""The domain core knows nothing of the web: no Flask, no Socket.IO, no adapter module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "moderator" / "core"
FORBIDDEN = (
    "flask",
    "flask_socketio",
    "flask_babel",
    "socketio",
    "engineio",
    "werkzeug",
    "eventlet",
    "moderator.api",
    "moderator.sockets",
    "moderator.web",
    "moderator.actions",
    "moderator.fanout",
    "moderator.runtime",
    "moderator.extensions",
    "moderator.app",
)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_the_core_imports_no_web_framework(path):
    offending = {
        name
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert offending == set(), f"{path.name} imports {sorted(offending)}"


def test_the_check_sees_an_import_when_there_is_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from flask import request\nimport socketio\n")
    assert imported_modules(sample) == {"flask", "socketio"}
