"""The XSS corpus (``tests/data/xss.txt``) in every field anyone can set, on every page, in
Chromium: no payload ever runs, none leaves markup behind, and each one is shown as written.

One server hosts an event whose file carries a payload in every string (title, themes, agenda,
speakers, panelists, notes, word filter) and one small event per payload for the strings an event
has only once (title, subtitle, venue, format, moderator). Attendees (each from its own loopback
address) send a question per payload with the payload as text, name and affiliation; the
moderator edits each one to another payload, records a floor question per payload, and, with the
pages open, puts each question on screen, moves the agenda through each segment, sends each
payload as the message to the speakers and renames the paired room screen to each payload. Every
value carries a tag (`` ~qe12``: field and payload) so that finding it proves that this field
was rendered, not another.

A payload that runs calls ``xss()``, opens a dialog, sets ``window.__xss`` or loads something
under ``/xss-beacon``; each is watched. Everything runs twice: under the pages' own
Content-Security-Policy (where a payload that reached the markup shows up as a violation) and
with the policy bypassed, so that escaping is checked, not only the policy.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.fixtures.constants import ROOT, TOKEN
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.browser

CORPUS_FILE = ROOT / "tests" / "data" / "xss.txt"
EVENT = "corpus"
LAPTOP = {"viewport": {"width": 1440, "height": 900}}


def load_corpus(path: Path = CORPUS_FILE) -> list[str]:
    """The payloads of the corpus file, ⟨U+XXXX⟩ decoded (see the file's header)."""
    payloads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        payloads.append(re.sub(r"⟨U\+([0-9A-F]{4,6})⟩", lambda m: chr(int(m[1], 16)), line))
    return payloads


PAYLOADS = load_corpus()


def tagged(payload: str, field_code: str, index: int) -> str:
    """The payload with a tag naming the field and the payload, appended so that a payload
    that depends on its first character (a formula, ``javascript:``) keeps it."""
    return f"{payload} ~{field_code}{index}"


def shown(text: str) -> str:
    """Text as a page shows it: control characters (a NUL the server or the HTML parser drops)
    and the replacement character left out, runs of white space as one space."""
    kept = "".join(
        c for c in text if c == "\ufffd" or unicodedata.category(c) != "Cc" or c.isspace()
    )
    return " ".join(kept.replace("\ufffd", "").split())


def as_filed(value: str) -> str:
    """``value`` as an event file may hold it: the parser refuses control characters and line
    breaks in its one-line fields, so a white-space one becomes a space and any other is left
    out, which a page shows the same (``shown``). The questions, sent through the API, keep
    them."""
    return "".join(
        (" " if c.isspace() else "") if unicodedata.category(c) == "Cc" else c for c in value
    )


def toml_string(value: str) -> str:
    """A TOML basic string holding ``as_filed(value)`` exactly."""
    return '"' + "".join("\\" + c if c in '"\\' else c for c in as_filed(value)) + '"'


def main_event_file() -> str:
    """The event with a payload in every string it can hold many of."""
    n = range(len(PAYLOADS))
    p = PAYLOADS
    lines = [
        f'code = "{EVENT}"',
        f"title = {toml_string(tagged(p[0], 'xt', 0))}",
        f"subtitle = {toml_string(tagged(p[1], 'xs', 1))}",
        'timezone = "UTC"',
        f"organisers = [{', '.join(toml_string(tagged(p[i], 'or', i)) for i in n)}]",
        f"word_filter = [{', '.join(toml_string(tagged(p[i], 'wf', i)) for i in n)}]",
        "[moderator]",
        f"name = {toml_string(tagged(p[5], 'xm', 5))}",
        f"role = {toml_string(tagged(p[6], 'xr', 6))}",
    ]
    for i in n:
        lines += [
            "[[segments]]",
            f"title = {toml_string(tagged(p[i], 'st', i))}",
            "minutes = 1",
            f"speakers = [{toml_string(tagged(p[i], 'sp', i))}]",
            f"notes = {toml_string(tagged(p[i], 'sn', i))}",
        ]
    for i in n:
        lines += [
            "[[themes]]",
            f'key = "t{i}"',
            f"label = {toml_string(tagged(p[i], 'tl', i))}",
            f"title = {toml_string(tagged(p[i], 'tt', i))}",
            f"questions = [{toml_string(tagged(p[i], 'tq', i))}]",
        ]
    for i in n:
        lines += [
            "[[panelists]]",
            f"name = {toml_string(tagged(p[i], 'pn', i))}",
            f"role = {toml_string(tagged(p[i], 'pr', i))}",
        ]
    return "\n".join(lines) + "\n"


# The strings an event has only once: one small event per payload.
SINGLE_FIELDS = {"title": "et", "subtitle": "es", "venue": "ev", "format": "ef"}


def small_event_file(i: int) -> str:
    p = PAYLOADS[i]
    lines = [f'code = "c{i:02d}"']
    lines += [f"{key} = {toml_string(tagged(p, code, i))}" for key, code in SINGLE_FIELDS.items()]
    lines += [
        "[moderator]",
        f"name = {toml_string(tagged(p, 'mn', i))}",
        f"role = {toml_string(tagged(p, 'mr', i))}",
        "[[segments]]",
        'title = "Talk"',
        "minutes = 5",
    ]
    return "\n".join(lines) + "\n"


class Api:
    """HTTP to the server, from a chosen loopback address (attendees) or as the moderator."""

    def __init__(self, port: int):
        self.port = port

    def call(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        source: str = "127.0.0.1",
        moderator: bool = True,
    ) -> tuple[int, Any]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        headers = {"Content-Type": "application/json"}
        if moderator:
            headers["Authorization"] = f"Bearer {TOKEN}"
        try:
            connection.request(
                method,
                f"/api/events/{EVENT}{path}",
                body=None if body is None else json.dumps(body),
                headers=headers,
            )
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def ok(self, method: str, path: str, body: object = None) -> Any:
        status, reply = self.call(method, path, body)
        assert status < 300, (path, body, status, reply)
        return reply


@dataclass
class Corpus:
    """The running server and what was stored."""

    server: ServerProcess
    api: Api
    question_ids: list[int] = field(default_factory=list)  # one per payload, in corpus order
    floor_ids: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss")
    files = [folder / "corpus.toml"]
    files[0].write_text(main_event_file(), encoding="utf-8")
    for i in range(len(PAYLOADS)):
        files.append(folder / f"c{i:02d}.toml")
        files[-1].write_text(small_event_file(i), encoding="utf-8")
    server = ServerProcess(
        folder / "instance", env={"EVENT_FILES": ":".join(str(f) for f in files)}
    ).start()
    try:
        api = Api(server.port)
        found = Corpus(server, api)
        for i, payload in enumerate(PAYLOADS):
            # Each attendee from an address of its own, as a room of phones would be.
            status, reply = api.call(
                "POST",
                "/questions",
                moderator=False,
                source=f"127.0.{i // 200 + 1}.{i % 200 + 2}",
                body={
                    "text": tagged(payload, "qt", i),
                    "name": tagged(payload, "qn", i),
                    "affiliation": tagged(payload, "qa", i),
                    "theme": f"t{i}",
                    "via": "room",
                    "client_id": f"corpus-client-{i:04d}",
                    "client_msg_id": f"corpus-message-{i:04d}",
                },
            )
            assert status == 201, (i, payload, status, reply)
            question_id = reply["question"]["id"]
            found.question_ids.append(question_id)
            api.ok("POST", f"/questions/{question_id}/approve")
            api.ok("POST", f"/questions/{question_id}/edit", {"text": tagged(payload, "qe", i)})
            reply = api.ok(
                "POST",
                "/floor",
                {
                    "text": tagged(payload, "ft", i),
                    "name": tagged(payload, "fn", i),
                    "affiliation": tagged(payload, "fa", i),
                    "theme": "general",
                    "client_msg_id": f"corpus-floor-{i:04d}",
                },
            )
            found.floor_ids.append(reply["question"]["id"])
        yield found
    finally:
        server.stop()


# Runs in every frame before the page's scripts (Playwright's init scripts are not subject to
# the page's policy): the marker the payloads call, and the policy's reports.
WATCH = """
window.__xssHits = [];
window.xss = () => window.__xssHits.push(String(location.href));
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

# What a frame shows (its text outside scripts and styles) and what would betray a payload
# that ran or left markup: the marker's calls, window.__xss, an element with an on* attribute
# or an attribute mentioning xss, and the policy's reports.
INSPECT = """
() => {
  const texts = [];
  const walker = document.createTreeWalker(document, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const tag = node.parentElement && node.parentElement.tagName;
    if (tag !== "SCRIPT" && tag !== "STYLE") texts.push(node.data);
  }
  const injected = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      // A form field's value is where escaped text may rightly sit (the login form's "next").
      const field = element.tagName === "INPUT" && attribute.name === "value";
      // A speaker's id is made by the server from their name: letters, digits and "-" only
      // ("script-xss-script" from "<script>xss()</script>"), which cannot be markup.
      const speakerId = (attribute.name === "data-speaker"
        || (element.tagName === "OPTION" && attribute.name === "value"))
        && /^[\\p{L}\\p{N}-]+$/u.test(attribute.value);
      if (/^on/i.test(attribute.name) || (!field && !speakerId && /xss/i.test(attribute.value))) {
        injected.push(`<${element.tagName} ${attribute.name}=${attribute.value}>`.slice(0, 200));
      }
    }
  }
  // Elements that load or frame something, which no page holds but the dashboard's two
  // previews (the room screen's, the stage monitor's), each framing its own page of this app.
  const loaders = "iframe, frame, object, embed, base, meta[http-equiv]";
  const previews = [
    [".preview-frame > iframe", "/screen?preview=1"],
    [".stage-preview-frame > iframe#stage-preview", "/stage?preview=1"],
  ];
  for (const element of document.querySelectorAll(loaders)) {
    const known = previews.some(([where, path]) => element.matches(where)
      && new URL(element.src).origin === location.origin && element.src.endsWith(path));
    if (!known) injected.push(`<${element.tagName}>`);
  }
  for (const script of document.querySelectorAll("script:not([src])")) {
    if (script.type !== "application/json") injected.push(`<script>${script.text}`.slice(0, 200));
  }
  return {
    text: texts.join("\\n"),
    injected,
    hits: window.__xssHits || ["the watch did not run"],
    flag: window.__xss === undefined ? null : String(window.__xss),
    csp: window.__csp || [],
  };
}
"""


class Watch:
    """A browser context whose every page and frame is watched for a payload that ran."""

    def __init__(self, browser, *, bypass_csp: bool):
        self.bypass_csp = bypass_csp
        self.context = browser.new_context(bypass_csp=bypass_csp, **LAPTOP)
        self.context.add_init_script(WATCH)
        self.alarms: list[str] = []
        self.shown: dict[str, str] = {}  # what each page showed, by name
        self.pages: dict[str, object] = {}
        self.context.route("**/xss-beacon**", self._beacon)

    def _beacon(self, route):
        self.alarms.append(f"request {route.request.url}")
        route.fulfill(status=204, body="")

    def page(self, name: str):
        page = self.context.new_page()
        page.on(
            "dialog", lambda d: (self.alarms.append(f"dialog on {name}: {d.message}"), d.dismiss())
        )
        page.on(
            "console",
            lambda m: (
                "xss" in m.text.lower() and self.alarms.append(f"console on {name}: {m.text}")
            ),
        )
        self.pages[name] = page
        return page

    def inspect(self, name: str) -> str:
        """Check every frame of the page called ``name``; keep and return what it shows."""
        page = self.pages[name]
        texts = []
        # The app's own frames (a frame a payload made can have no document to ask: the
        # element itself is reported as markup).
        for frame in [f for f in page.frames if f.url.startswith(("http:", "https:"))]:
            found = frame.evaluate(INSPECT)
            where = f"{name} ({frame.url})"
            self.alarms += [f"xss() ran on {where}: {hit}" for hit in found["hits"]]
            self.alarms += [f"markup injected on {where}: {x}" for x in found["injected"]]
            if found["flag"] is not None:
                self.alarms.append(f"window.__xss set on {where}")
            if not self.bypass_csp:
                self.alarms += [f"policy violation on {where}: {v}" for v in found["csp"]]
            texts.append(found["text"])
        self.shown[name] = shown("\n".join(texts))
        return self.shown[name]

    def close(self):
        self.context.close()


# The document as received: Chromium shows JSON in a <pre> (next to its own controls).
RAW_TEXT = "(document.querySelector('pre') || document.body).textContent"


def online(page):
    page.wait_for_selector("#connection[data-state=online]", state="attached", timeout=10000)


def show_more(dashboard) -> int:
    """Click every "Show more" the dashboard offers; the number of question cards it holds."""
    for more in dashboard.locator(".more-row:not([hidden]) button.show-more").all():
        more.click()
    return dashboard.locator("li.question").count()


def text_of(page, selector: str) -> str:
    return shown(
        page.evaluate(
            "(s) => [...document.querySelectorAll(s)].map((n) => n.textContent).join(' ')", selector
        )
    )


def wait_text(page, selector: str, expected: str, what: str) -> None:
    wait_until(lambda: text_of(page, selector) == shown(expected), timeout=10, message=what)


def missing(values: dict[str, str], *texts: str) -> list[str]:
    """The tagged values (by tag) that none of ``texts`` shows."""
    return [tag for tag, value in values.items() if not any(shown(value) in t for t in texts)]


def of(field_code: str) -> dict[str, str]:
    """Every payload as tagged for one field: {tag: value}."""
    return {f"{field_code}{i}": tagged(p, field_code, i) for i, p in enumerate(PAYLOADS)}


def test_the_corpus_has_every_kind_of_payload():
    """The file holds at least 50 distinct payloads, and the decoding of ⟨U+XXXX⟩ works."""
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert any("\x00" in p for p in PAYLOADS) and any("\u202e" in p for p in PAYLOADS)
    assert not any("⟨U+" in p for p in PAYLOADS)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["policy", "bypassed"])
def test_the_watch_sees_payloads_that_reach_the_markup(browser, live_server, bypass_csp):
    """The checks below can fail: the corpus written into a page as HTML (what an escaping bug
    would do) is caught by every kind of watch, run or refused."""
    watch = Watch(browser, bypass_csp=bypass_csp)
    try:
        page = watch.page("index")
        page.goto(live_server.url + "/")
        page.evaluate(
            # A contextual fragment, unlike innerHTML, lets its <script> elements run.
            """(payloads) => { for (const p of payloads) {
                 document.body.append(document.createRange().createContextualFragment(p));
               } }""",
            PAYLOADS,
        )
        # Run, refused by the policy, or left as markup: each kind of watch fires.
        expected = {"request", "markup"} | (
            {"xss()", "dialog", "window.__xss"} if bypass_csp else {"policy"}
        )

        def kinds() -> set[str]:
            watch.inspect("index")
            return {alarm.split(" ")[0] for alarm in watch.alarms}

        try:
            wait_until(lambda: expected <= kinds(), timeout=10, message=f"alarms of {expected}")
        except AssertionError as late:
            raise AssertionError(f"{late}; got only {kinds()}") from None
        assert kinds() - expected <= {"console"}
    finally:
        watch.close()


# About a minute for each: in the heavy group (.ci/run runs it as its own step).
@pytest.mark.heavy
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["policy", "bypassed"])
def test_no_payload_runs_on_any_page_and_each_is_shown_as_written(browser, corpus, bypass_csp):
    base, api = corpus.server.url, corpus.api
    watch = Watch(browser, bypass_csp=bypass_csp)
    try:
        # Pages anyone can open, before logging in.
        for name, path in [
            ("index", "/"),
            ("login", f"/moderate/{EVENT}"),
            ("attendee", f"/e/{EVENT}"),
            ("attendee-room", f"/r/{EVENT}"),
            ("preview", f"/e/{EVENT}/screen?preview=1"),
        ]:
            page = watch.page(name)
            page.goto(base + path)
            if name.startswith("attendee") or name == "preview":
                online(page)
        for name in ("attendee", "attendee-room"):
            page = watch.pages[name]
            wait_until(
                lambda p=page: p.locator("#public li.question").count() == 2 * len(PAYLOADS),
                timeout=15,
                message=f"questions on {name}",
            )
        logins = watch.page("logins")
        small_titles = []
        for i in range(len(PAYLOADS)):
            logins.goto(f"{base}/moderate/c{i:02d}")
            small_titles.append(watch.inspect("logins"))
        # Where to go after logging in: the login form sends it back after a wrong token, into
        # a hidden field of the page it shows again. Every payload in one local path.
        next_path = "/" + " ".join(PAYLOADS)
        retry = watch.page("login-again")
        retry.goto(f"{base}/moderate/{EVENT}")
        retry.evaluate(
            "(v) => { document.querySelector('input[name=next]').value = v; }", next_path
        )
        retry.fill("#token", "not-the-token")
        with retry.expect_navigation():
            retry.click("button[type=submit]")
        kept = retry.evaluate("document.querySelector('input[name=next]').value")
        assert shown(kept) == shown(next_path)
        watch.inspect("login-again")

        # The dashboard (its preview frame included), the room screen paired, the stage monitor.
        dashboard = watch.page("dashboard")
        dashboard.goto(f"{base}/moderate/{EVENT}?token={TOKEN}")
        online(dashboard)
        # Each column shows its first cards with "Show more": show them all.
        wait_until(
            lambda: show_more(dashboard) >= 2 * len(PAYLOADS),
            timeout=30,
            message="questions on the dashboard",
        )
        screen = watch.page("screen")
        screen.goto(f"{base}/e/{EVENT}/screen")
        online(screen)
        code = wait_until(lambda: text_of(screen, "#pairing-code"), message="a pairing code")
        # Paired from the dashboard's form, whose notice repeats the name given.
        label = "$&$` {name} <b>Wall</b>"
        dashboard.fill("#pair-code", code)
        dashboard.fill("#pair-label", label)
        dashboard.click("#pair-form button[type=submit]")
        wait_text(dashboard, "#toast", f"Screen paired: {label}", "the pairing notice")
        [screen_id] = [s["screen_id"] for s in api.ok("GET", "/screens") if s["label"] == label]
        screen.wait_for_selector("#qr[data-url*='pass=']", state="attached", timeout=10000)
        stage = watch.page("stage")
        stage.goto(f"{base}/e/{EVENT}/stage")
        online(stage)

        # Each question on screen, each segment, each message, each screen name, in turn.
        for question in api.ok("GET", "/questions")["questions"]:
            if question["status"] == "live":  # left on screen by the other run
                api.ok("POST", f"/questions/{question['id']}/unlive")
        for i, question_id in enumerate(corpus.question_ids):
            api.ok("POST", f"/questions/{question_id}/live")
            p = PAYLOADS[i]
            wait_text(screen, "#live .live-text", tagged(p, "qe", i), f"question {i} on screen")
            wait_text(
                screen,
                "#live .who",
                f"{tagged(p, 'qn', i)}, {tagged(p, 'qa', i)}",
                f"asker {i} on screen",
            )
            assert shown(tagged(p, "tt", i)) in text_of(screen, "#live .theme-tag")
        for i, p in enumerate(PAYLOADS):
            api.ok("POST", "/timer", {"action": "goto", "index": i})
            for page in (screen, stage):
                wait_text(page, "#segment-title", tagged(p, "st", i), f"segment {i}")
                wait_text(page, "#speakers", tagged(p, "sp", i), f"speakers of segment {i}")
            if i + 1 < len(PAYLOADS):
                wait_text(stage, "#next", tagged(PAYLOADS[i + 1], "st", i + 1), f"next to {i}")
        messages = of("dm")
        for tag, text in messages.items():
            api.ok("POST", "/display", {"action": "message", "text": text})
            wait_text(stage, "#message", text, f"message {tag} on the stage monitor")
        wait_text(dashboard, "#current-message", list(messages.values())[-1], "last message")
        renamed, refused = {}, {}
        for tag, label in of("sr").items():
            status, reply = api.call(
                "POST", "/screens/rename", {"screen_id": screen_id, "label": label}
            )
            if status == 400:
                # Not plain text on one line (a NUL, a direction override) or too long: refused
                # with a reason, never stored.
                refused[tag] = reply["error"]["code"]
                continue
            assert status == 200, (tag, status, reply)
            renamed[tag] = label
            wait_until(
                lambda label=label: shown(label) in text_of(dashboard, "#screens"),
                message=f"screen renamed to {tag}",
            )
        assert set(refused.values()) <= {"invalid_label", "label_too_long"}, refused
        assert len(renamed) >= 50, f"only {len(renamed)} names accepted: {refused}"

        # An attendee's own question merged into one whose text has "$&", "$`" and "$'".
        mine = watch.page("mine")
        mine.goto(f"{base}/e/{EVENT}")
        online(mine)
        mine.click("label[for=theme-t3]")
        mine.fill("#text", tagged(PAYLOADS[3], "ui", 3))
        mine.fill("#name", PAYLOADS[4][:60])
        mine.click("#send")
        mine.wait_for_selector("#mine .status-pending", timeout=10000)
        [own] = [
            q
            for q in api.ok("GET", "/questions")["questions"]
            if q["text"] == tagged(PAYLOADS[3], "ui", 3) and q["status"] == "pending"
        ]
        target = len(PAYLOADS) - 1
        assert "$&" in PAYLOADS[target]
        api.ok("POST", f"/questions/{own['id']}/merge", {"into": corpus.question_ids[target]})
        wait_text(
            mine,
            "#mine .merged-note",
            f"Merged into: {tagged(PAYLOADS[target], 'qe', target)}",
            "the merge note",
        )

        filter_words = dashboard.input_value("#word-filter")
        for name in (
            "index",
            "login",
            "attendee",
            "attendee-room",
            "preview",
            "dashboard",
            "screen",
            "stage",
            "mine",
        ):
            watch.inspect(name)

        # The API's JSON and the exports, opened in the browser (logged in).
        documents = {}
        view = watch.page("json")
        for path in [
            "",
            "/questions",
            "/timer",
            "/display",
            "/screens",
            "/room-pass",
            "/export.json",
        ]:
            response = view.goto(f"{base}/api/events/{EVENT}{path}")
            assert response.status == 200
            assert response.headers["content-type"].startswith("application/json")
            assert response.headers["x-content-type-options"] == "nosniff"
            watch.inspect("json")
            documents[path] = json.loads(view.evaluate(RAW_TEXT))
        small_events = []
        for i in range(len(PAYLOADS)):
            view.goto(f"{base}/api/events/c{i:02d}")
            watch.inspect("json")
            small_events.append(json.loads(view.evaluate(RAW_TEXT)))
        csv_page = watch.page("csv")
        with csv_page.expect_download() as download:
            try:
                csv_page.goto(f"{base}/api/events/{EVENT}/export.csv")
            except PlaywrightError:
                pass  # "Download is starting": the browser saves it, never renders it
        exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
        csv_response = watch.context.request.get(f"{base}/api/events/{EVENT}/export.csv")
        assert csv_response.headers["content-type"].startswith("text/csv")
        assert csv_response.headers["content-disposition"].startswith("attachment")
        assert csv_response.headers["x-content-type-options"] == "nosniff"

        # The session report: themes, segments, panelists and questions in its SVG charts, its
        # tables and its lists.
        report = watch.page("report")
        report.goto(f"{base}/e/{EVENT}/report")
        report.wait_for_selector("#agenda-table")
        watch.inspect("report")

        # Nothing ran, nothing was injected, on any page, frame or document.
        assert watch.alarms == []
        # Every panelist's name, as written, in the report's speaking-time table.
        assert missing(of("pn"), watch.shown["report"]) == []

        # ... and every value was shown where it belongs.
        pages = watch.shown
        attendee = pages["attendee"] + pages["attendee-room"]
        assert missing(of("qe"), attendee) == []
        assert missing(of("qe"), pages["dashboard"]) == []
        for field_code in ("qn", "qa", "ft", "fn", "fa", "tl", "tt"):
            assert missing(of(field_code), attendee) == [], field_code
            assert missing(of(field_code), pages["dashboard"]) == [], field_code
        assert missing(of("tq"), attendee) == []  # guiding questions, as hints
        assert missing(of("qt"), pages["dashboard"]) == []  # as the original of an edit
        assert missing(of("st"), pages["dashboard"]) == []  # the schedule
        assert missing(of("et"), pages["index"]) == []
        assert all(shown(tagged(p, "et", i)) in small_titles[i] for i, p in enumerate(PAYLOADS))
        for single in ("xt", "xm"):
            value = {"xt": tagged(PAYLOADS[0], "xt", 0), "xm": tagged(PAYLOADS[5], "xm", 5)}
            assert shown(value[single]) in pages["dashboard"], single
        for name in ("attendee", "login", "screen", "stage", "preview"):
            assert shown(tagged(PAYLOADS[0], "xt", 0)) in pages[name], name  # the title

        # The JSON holds every string exactly as stored.
        event = documents[""]
        filed = lambda code: [as_filed(v) for v in of(code).values()]  # noqa: E731
        assert event["organisers"] == filed("or")
        assert [s["notes"] for s in event["segments"]] == filed("sn")
        assert [p["role"] for p in event["panelists"]] == filed("pr")
        assert [p["name"] for p in event["panelists"]] == filed("pn")
        assert event["subtitle"] == as_filed(tagged(PAYLOADS[1], "xs", 1))
        # The word filter is the moderator's to see (in the dashboard's form), one per line.
        assert {shown(w) for w in filter_words.split("\n")} == {shown(w) for w in of("wf").values()}
        for i, small in enumerate(small_events):
            for key, code in SINGLE_FIELDS.items():
                assert small[key] == as_filed(tagged(PAYLOADS[i], code, i)), (key, i)
            assert small["moderator"] == {
                "name": as_filed(tagged(PAYLOADS[i], "mn", i)),
                "role": as_filed(tagged(PAYLOADS[i], "mr", i)),
            }
        stored = {q["id"]: q for q in documents["/export.json"]["questions"]}
        for i, question_id in enumerate(corpus.question_ids):
            q = stored[question_id]
            assert (q["text"], q["original_text"], q["name"], q["affiliation"]) == (
                tagged(PAYLOADS[i], "qe", i).replace("\x00", ""),
                tagged(PAYLOADS[i], "qt", i).replace("\x00", ""),
                tagged(PAYLOADS[i], "qn", i).replace("\x00", ""),
                tagged(PAYLOADS[i], "qa", i).replace("\x00", ""),
            )

        # The CSV: every cell that a spreadsheet would take for a formula starts with ',
        # and is otherwise the stored text.
        rows = list(csv.DictReader(io.StringIO(exported)))
        assert len(rows) == len(stored)
        for row in rows:
            for key, cell in row.items():
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (key, cell)
            q = stored[int(row["id"])]
            for key in ("text", "original_text", "name", "affiliation"):
                value = q[key] or ""
                protected = "'" + value if value[:1] in "=+-@" and value else value
                assert row[key] == protected, (key, row[key], value)
    except AssertionError as failure:
        # A payload that ran usually also broke the text it was in: say that first.
        for name in list(watch.pages):
            try:
                watch.inspect(name)
            except PlaywrightError:
                pass
        if watch.alarms:
            raise AssertionError(f"payloads ran or left markup: {watch.alarms}") from failure
        raise
    finally:
        watch.close()
