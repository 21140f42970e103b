"""The browser tests launch Chromium as the benchmarks and the screenshot script do.

bench/common.py keeps its own copy of the flags (the tests import nothing from bench/); this
reads that file without importing it, so the two lists cannot drift apart unnoticed.
"""

import ast

from tests.fixtures.browser import CHROMIUM_ARGS
from tests.fixtures.constants import ROOT


def flags_in_bench() -> list[str] | None:
    tree = ast.parse((ROOT / "bench" / "common.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "CHROMIUM_ARGS" for target in node.targets
        ):
            return ast.literal_eval(node.value)
    return None


def test_the_tests_and_the_benchmarks_launch_chromium_with_the_same_flags():
    assert flags_in_bench() == CHROMIUM_ARGS
