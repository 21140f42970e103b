"""Scripts and stylesheets sent without comment lines and indentation: what the stripper drops,
what it must never touch (strings, templates, regexes), every file of the app still parsing and
behaving, and the server sending the stripped copy only under the versioned address."""

import gzip
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from moderator.web.strip import strip_source
from tests.fixtures.constants import ROOT
from tests.fixtures.services import require

GZIP = {"Accept-Encoding": "gzip"}
OWN_FILES = sorted((ROOT / "static" / "js").glob("*.js")) + sorted(
    (ROOT / "static" / "css").glob("*.css")
)

# Everything a line-based stripper could get wrong, printed by the program itself: if one byte
# of a string, a template or a regex changed, or a line break went missing where automatic
# semicolon insertion needs it, the output differs.
TRICKY = textwrap.dedent(
    r"""
    // a comment line: goes
    /* a block on one line: goes */
    /**
     * A block over lines: goes.
     */
    const url = "http://example.org/*not a comment*/"; // a comment after code stays
    const single = '  // not a comment, and its spaces stay';
    const template = `first line
        // indented: inside a template, untouched
      /* still text */ ${"//" + `nested ${1 + 1}
       line`} end`;
    const continued = "a string \
        continued with its indentation";
    const slashes = /\/\/|\/\*[^/]*\*\//g;
    const quotes = /["'`]/g;
    const klass = /[/*]+/;
    const ratio = 10 / 2 / 5;
    function values() {
        return /\/* regex after return */.source;
    }
    let asi = 1
    /* between two statements */
    ;[asi] = [2]
    const braces = { a: { b: `${"}"}` } };
    /* a block that ends before code */ const after = "kept";
    console.log(JSON.stringify([url, single, template, continued, slashes.source,
        klass.test("/*"), "a'b`c".replace(quotes, "-"), ratio, values(), asi, braces, after,
        "x // y".replace(slashes, "")]));
    """
)


def run_node(tmp_path: Path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(source)
    result = subprocess.run(["node", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def node():
    require(shutil.which("node") is not None, "node is not installed")


def test_comment_lines_and_indentation_go():
    source = "/**\n * Doc.\n */\nfunction f() {\n    // why\n\n    return 1; // kept\n}\n"
    assert strip_source(source, javascript=True) == "function f() {\nreturn 1; // kept\n}\n"


def test_strings_templates_and_regexes_are_untouched():
    stripped = strip_source(TRICKY, javascript=True)
    for kept in (
        '"http://example.org/*not a comment*/"',
        "'  // not a comment, and its spaces stay'",
        "\n    // indented: inside a template, untouched\n  /* still text */ ",
        "\n   line`} end`",
        "\\\n    continued with its indentation",
        r"/\/\/|\/\*[^/]*\*\//g",
        "/[/*]+/",
        "/[\"'`]/g",
        r"/\/* regex after return */",
        '/* a block that ends before code */ const after = "kept";',
    ):
        assert kept in stripped, kept
    assert "a comment line" not in stripped and "A block over lines" not in stripped
    assert "between two statements" not in stripped
    assert len(stripped) < len(TRICKY) - 100


def test_the_tricky_program_prints_the_same_stripped(tmp_path, node):
    original = run_node(tmp_path, "original.mjs", TRICKY)
    assert '"http://example.org/*not a comment*/"' in original
    assert run_node(tmp_path, "stripped.mjs", strip_source(TRICKY, javascript=True)) == original


def test_in_a_stylesheet_a_double_slash_is_no_comment():
    css = "a {\n  background: url(http://example.org/x.png);\n  // not a comment in CSS\n}\n"
    assert strip_source(css, javascript=False) == (
        "a {\nbackground: url(http://example.org/x.png);\n// not a comment in CSS\n}\n"
    )


@pytest.mark.parametrize(
    "source",
    ["const a = 'unclosed;\n  b();\n", "/* never closed\n  a();\n", "x = `open\n  y\n"],
)
def test_a_text_it_cannot_follow_is_left_as_it_is(source):
    assert strip_source(source, javascript=True) == source


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_every_own_file_only_loses_comments_blank_lines_and_indentation(path):
    original = path.read_text()
    stripped = strip_source(original, javascript=path.suffix == ".js")
    assert len(stripped) < len(original) * 0.95  # it found something to strip
    kept = iter(stripped.split("\n"))
    line = next(kept)
    in_block = False
    for source in original.split("\n"):
        if source.lstrip() == line and (source.strip() or not line):
            line = next(kept, None)
            continue
        # A dropped line: blank, a // comment, or part of a /* */ block that starts a line.
        code = source.strip()
        if not in_block and code.startswith("/*"):
            in_block = True
        assert in_block or not code or (path.suffix == ".js" and code.startswith("//")), source
        if in_block and code.endswith("*/"):
            in_block = False
    assert line is None or line == ""


@pytest.mark.parametrize("path", [p for p in OWN_FILES if p.suffix == ".js"], ids=lambda p: p.name)
def test_every_stripped_module_still_parses(tmp_path, node, path):
    copy = tmp_path / f"{path.stem}.mjs"
    copy.write_text(strip_source(path.read_text(), javascript=True))
    result = subprocess.run(["node", "--check", str(copy)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", [p for p in OWN_FILES if p.suffix == ".css"], ids=lambda p: p.name)
def test_every_stripped_stylesheet_keeps_every_rule(path):
    """Our stylesheets hold no ``/*`` in a string: a regex can drop their comments to compare."""

    def rules(css: str) -> str:
        return re.sub(r"\s+", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S))

    original = path.read_text()
    assert rules(strip_source(original, javascript=False)) == rules(original)


def versioned(app, name: str) -> str:
    return f"/static/v/{app.config['STATIC_VERSION']}/{name}"


def test_the_versioned_attendee_script_is_sent_stripped_and_smaller(app, client):
    on_disk = (ROOT / "static" / "js" / "attendee.js").read_bytes()
    plain = client.get(versioned(app, "js/attendee.js"))
    assert plain.status_code == 200
    assert plain.data == strip_source(on_disk.decode(), javascript=True).encode()
    assert len(plain.data) < len(on_disk) * 0.85
    assert int(plain.headers["Content-Length"]) == len(plain.data)
    assert "Accept-Ranges" not in plain.headers  # a range of the file is not one of this
    packed = client.get(versioned(app, "js/attendee.js"), headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert client.get(versioned(app, "js/attendee.js"), headers=GZIP).data == packed.data


def test_the_unversioned_address_and_vendored_files_are_sent_as_on_disk(app, client):
    on_disk = (ROOT / "static" / "js" / "attendee.js").read_bytes()
    assert client.get("/static/js/attendee.js").data == on_disk
    vendor = "vendor/socket.io-client-4.8.4/socket.io.esm.min.js"
    assert client.get(versioned(app, vendor)).data == (ROOT / "static" / vendor).read_bytes()


def test_a_missing_versioned_script_is_still_a_404(app, client):
    assert client.get(versioned(app, "js/nothing.js"), headers=GZIP).status_code == 404


class TestWithoutStripping:
    @pytest.fixture
    def config_class(self, config_class):
        class Unstripped(config_class):
            STATIC_STRIP = False

        return Unstripped

    def test_static_strip_off_sends_the_file_as_on_disk(self, app, client):
        on_disk = (ROOT / "static" / "js" / "attendee.js").read_bytes()
        assert client.get(versioned(app, "js/attendee.js")).data == on_disk
