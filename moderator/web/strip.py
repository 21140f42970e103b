"""Comments and indentation out of the app's own scripts and stylesheets, before they are sent.

Not a minifier: a line keeps its place and its meaning. What goes is what a browser never reads:
the indentation that starts a line, a line that is only a ``//`` comment, a ``/* ... */`` block
that starts a line and ends one, and blank lines. A line break stays between any two lines that
remain, so automatic semicolon insertion sees what it saw before.

What is inside a string, a template literal or a regular expression is never touched: the text is
read once, token by token, to know where each line starts (in code, in a comment, inside a
template or a string continued with a backslash). Only a line that starts in code is changed. A
text the reader cannot follow to its end (an unclosed string, comment, template or regex) is
returned as it is.
"""

from __future__ import annotations

import re

# After one of these, ``/`` starts a regular expression; after a value (a name, a number, a
# closing bracket, a string) it divides.
_REGEX_AFTER_PUNCTUATION = frozenset("(,=:[!&|?{};+-*%<>~^")
_REGEX_AFTER_WORD = frozenset(
    {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw"}
    | {"instanceof", "yield", "await"}
)
_WORD = re.compile(r"[\w$]+")
# Where a line starts.
CODE, INSIDE = "code", "inside"


def _regex_after(token: str) -> bool:
    """Whether a ``/`` after ``token`` starts a regular expression."""
    return not token or token in _REGEX_AFTER_PUNCTUATION or token in _REGEX_AFTER_WORD


class Unreadable(ValueError):
    """The text has a string, comment, template or regex that does not close."""


def strip_source(text: str, *, javascript: bool) -> str:
    """``text`` without its comment lines, indentation and blank lines (``javascript`` for a
    script, else a stylesheet, where ``//`` is no comment); as it is if it cannot be read."""
    try:
        starts = _line_starts(text, javascript=javascript)
    except Unreadable:
        return text
    lines = text.split("\n")
    n = len(text)
    kept: list[str] = []
    skip_to = -1  # the last line of a comment block being dropped
    offset = 0
    for number, line in enumerate(lines):
        start, offset = offset, offset + len(line) + 1
        if number <= skip_to:
            continue
        if starts[number] != CODE:
            kept.append(line)
            continue
        code = line.strip()
        if not code or (javascript and code.startswith("//")):
            continue
        if code.startswith("/*"):
            begin = start + line.index("/*")
            end = text.index("*/", begin + 2) + 2  # the reader found it: it is there
            line_end = text.find("\n", end)
            if not text[end : n if line_end < 0 else line_end].strip():
                skip_to = number + text.count("\n", begin, end)
                continue
        kept.append(line.lstrip())
    return "\n".join(kept) + ("\n" if kept and text.endswith("\n") else "")


def _line_starts(text: str, *, javascript: bool) -> list[str]:
    """For each line of ``text``, whether it starts in code or inside something else."""
    starts = [CODE]
    # One entry for each open ``{``: True for a template's ``${``, False for a plain brace.
    braces: list[bool] = []
    before = ""  # the last token read: decides what a ``/`` is
    i, n = 0, len(text)

    def newlines(begin: int, end: int) -> None:
        starts.extend([INSIDE] * text.count("\n", begin, end))

    def template(i: int) -> int:
        """Read a template's text from ``i``; the index after its closing backtick or ``${``."""
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
            elif c == "`":
                return i + 1
            elif text.startswith("${", i):
                braces.append(True)
                return i + 2
            else:
                if c == "\n":
                    starts.append(INSIDE)
                i += 1
        raise Unreadable("template")

    while i < n:
        c = text[i]
        if c == "\n":
            starts.append(CODE)
            i += 1
        elif c in " \t\r\f\v":
            i += 1
        elif javascript and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise Unreadable("comment")
            newlines(i, end)
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\n":
                    raise Unreadable("string")
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise Unreadable("string")
            newlines(i, j)  # lines continued with a backslash
            i, before = j + 1, "value"
        elif javascript and c == "`":
            i, before = template(i + 1), "value"
        elif javascript and c == "}" and braces and braces[-1]:
            braces.pop()
            i, before = template(i + 1), "value"
        elif javascript and c == "/" and _regex_after(before):
            j, in_class = i + 1, False
            while j < n and (in_class or text[j] != "/"):
                if text[j] == "\n":
                    raise Unreadable("regex")
                if text[j] == "\\":
                    j += 1
                elif text[j] == "[":
                    in_class = True
                elif text[j] == "]":
                    in_class = False
                j += 1
            if j >= n:
                raise Unreadable("regex")
            i, before = j + 1, "value"
        elif word := _WORD.match(text, i):
            i, before = word.end(), word.group()
        else:
            if c == "{":
                braces.append(False)
            elif c == "}" and braces:
                braces.pop()
            i, before = i + 1, c
    return starts
