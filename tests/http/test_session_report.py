"""A scripted 90-minute session of the demo event, on an injected clock: the demo agenda, five
panelists, the moderator, agenda speakers, the audience in the room and online, a restart of the
server in the middle and one forgotten switch corrected afterwards. The speaking totals per
speaker and group, the agenda planned against actual and the report's counts come out exactly as
worked out by hand, and every count of the report equals the same count recomputed from the CSV
export. ``report.json`` of the session is kept as a fixture (tests/data/session-report.json)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from moderator import runtime
from moderator.app import create_app
from moderator.core.clock import FakeClock
from tests.fixtures.constants import TOKEN

DEMO = Path(__file__).parents[2] / "moderator" / "events" / "ssc-2025.toml"
FIXTURE = Path(__file__).parents[1] / "data" / "session-report.json"
CODE = "ssc25"
BASE = f"/api/events/{CODE}"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
MIN = 60_000
# The event's published start: 2025-05-28, 08:15 in New York (12:15 UTC).
T0 = 1_748_434_500_000

# Groups and one target, as an organiser declares them in the event file.
GROUPS = {
    "Mr. Daniel Roduner": ("men", None),
    "Dr. Christian Hülshörster": ("men", None),
    "Mr. Arnold Tsunga": ("men", None),
    "Ms. Grytė Kuliešiūtė-Pirlot": ("women", 30),
    "Mr. Takahiro Mizukami": ("men", None),
}

MODERATOR = "moderator"
RODUNER = "mr-daniel-roduner"
HULSHORSTER = "dr-christian-hulshorster"
TSUNGA = "mr-arnold-tsunga"
KULIESIUTE = "ms-gryte-kuliesiute-pirlot"
MIZUKAMI = "mr-takahiro-mizukami"
AL_KHATIB = "ms-dima-al-khatib"
LOVOLD = "mr-andreas-løvold"
ISMALEBBE = "mr-zanofer-ismalebbe"
ROOM, ONLINE = "audience-room", "audience-online"

# Who took the floor at which minute of the session (None: nobody). Minute 55 is the forgotten
# switch: Ms. Kuliešiūtė-Pirlot began at 53; the correction moves the boundary back.
FLOOR = [
    (0, MODERATOR),
    (2, AL_KHATIB),
    (6, LOVOLD),
    (11, MODERATOR),
    (14, HULSHORSTER),
    (25, MODERATOR),
    (27, RODUNER),
    (35, HULSHORSTER),
    (45, TSUNGA),
    (55, KULIESIUTE),
    (63, MIZUKAMI),
    (70, MODERATOR),
    (72, ROOM),
    (75, ONLINE),
    (77, MODERATOR),
    (78, ROOM),
    (81, RODUNER),
    (83, ONLINE),
    (84, MIZUKAMI),
    (86, ISMALEBBE),
    (90, None),
]
# In minutes, after the correction; worked out by hand from FLOOR.
EXPECTED_MINUTES = {
    MODERATOR: 2 + 3 + 2 + 2 + 1,
    AL_KHATIB: 4,
    LOVOLD: 5,
    HULSHORSTER: 11 + 10,
    RODUNER: 8 + 2,
    TSUNGA: 8,
    KULIESIUTE: 10,
    MIZUKAMI: 7 + 2,
    ROOM: 3 + 3,
    ONLINE: 2 + 1,
    ISMALEBBE: 4,
}
# The clock: (minute, action); segment 3 is paused for a minute (a microphone failed).
CLOCK = [
    (0, "start"),
    (11, "next"),
    (25, "next"),
    (40, "pause"),
    (41, "resume"),
    (77, "next"),
    (86, "next"),
    (90, "pause"),
]
# Planned 10, 15, 50, 10, 5 minutes; ran 11, 14, 51 (52 less the pause), 9, 4.
EXPECTED_RAN_MINUTES = [11, 14, 51, 9, 4]

# (minute, n, theme, via, text): the audience's questions; "floor" ones the moderator logs.
QUESTIONS = [
    (5, 1, "ssc", "room", "How do exchanges reach the least developed countries?"),
    (8, 2, "ssc", "online", "Which South-South exchange had the most lasting effect?"),
    (12, 3, "challenges", "online", "Off topic: where is the coffee?"),
    (20, 4, "challenges", "room", "How are visas handled for volunteers from the South?"),
    (30, 5, "sustainability", "online", "Who pays once a programme's grant ends?"),
    (31, 6, "sustainability", "online", "What happens when the money runs out?"),
    (33, 7, "sustainability", "room", "How do programmes stay funded after the pilot phase?"),
    (45, 8, "scaling", "floor", "From the floor: can the model work at national scale?"),
    (60, 9, "scaling", "online", "Which partners should scale these programmes first?"),
    (79, 10, "ssc", "room", "Is | this * a _table_ <b>row</b>? # no"),
    (82, 11, "challenges", "online", "How is language training supported?"),
    (84, 12, "scaling", "room", "Can universities host exchanges too?"),
]
# (minute, action, question, extra body)
CURATION = [
    (6, "approve", 1, {}),
    (9, "approve", 2, {}),
    (13, "dismiss", 3, {}),
    (21, "approve", 4, {}),
    (22, "guide", 1, {"guiding_question": 0}),
    (23, "guide", 2, {"guiding_question": 1}),
    (24, "guide", 4, {"guiding_question": 0}),
    (32, "approve", 6, {}),
    (34, "approve", 7, {}),
    (38, "live", 1, {}),
    (40, "answered", 1, {}),
    (42, "live", 4, {}),
    (44, "answered", 4, {}),
    (52, "merge", 6, {"into": 7}),
    (61, "approve", 9, {}),
    (79, "approve", 10, {}),
    (83, "approve", 11, {}),
    (85, "live", 11, {}),
]
# (minute, question, voters from the room, voters online)
VOTES = [(7, 1, 3, 2), (10, 2, 1, 4), (22, 4, 2, 0), (35, 7, 1, 1), (62, 9, 0, 1), (80, 7, 2, 0)]
RESTART_AT = 50
CORRECTION = (KULIESIUTE, 53)


class Session:
    """The server as the session sees it: an app on one database, restartable, on one clock."""

    def __init__(self, config_class: type) -> None:
        self.config_class = config_class
        self.clock = FakeClock(T0)
        self.app: Any = None
        self.start()

    def start(self) -> None:
        self.app = create_app(self.config_class)
        runtime.of(self.app).clock = self.clock
        self.client = self.app.test_client()

    def restart(self) -> None:
        """Stop this process's app as a crash would leave the database, and start another."""
        runtime.of(self.app).close()
        self.start()

    def at(self, minute: int) -> None:
        self.clock.now_ms = T0 + minute * MIN

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.client.open(BASE + path, method=method, json=body, headers=ADMIN)
        assert response.status_code < 300, (path, body, response.get_json())
        return response.get_json()

    def room_pass(self) -> str:
        url = self.call("GET", "/room-pass")["url"]
        return parse_qs(urlsplit(url).query)["pass"][0]


@pytest.fixture
def demo_config(config_class, tmp_path):
    """The demo event with the organiser's groups and one target share."""
    text = DEMO.read_text(encoding="utf-8")
    for name, (group, target) in GROUPS.items():
        anchor = f'name = "{name}"\n'
        extra = f'group = "{group}"\n' + (f"target_share = {target}\n" if target else "")
        text = text.replace(anchor, anchor + extra)
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")

    class DemoConfig(config_class):  # type: ignore[misc, valid-type]
        EVENT_FILES = [str(tmp_path / "demo.toml")]

    return DemoConfig


def run_session(config_class: type) -> Session:
    """The whole script, minute by minute; returns the session at minute 90."""
    session = Session(config_class)
    ids: dict[int, int] = {}
    steps: list[tuple[int, int, Any]] = []
    steps += [(m, 0, ("clock", a)) for m, a in CLOCK]
    steps += [(m, 1, ("floor", s)) for m, s in FLOOR]
    steps += [(m, 2, ("ask", n, theme, via, text)) for m, n, theme, via, text in QUESTIONS]
    steps += [(m, 3, ("curate", a, q, extra)) for m, a, q, extra in CURATION]
    steps += [(m, 4, ("vote", q, room, online)) for m, q, room, online in VOTES]
    steps += [(RESTART_AT, 5, ("restart",))]
    voter = 0
    for minute, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
        session.at(minute)
        kind = step[0]
        if kind == "clock":
            session.call("POST", "/timer", {"action": step[1]})
        elif kind == "floor":
            session.call("POST", "/speaker", {"speaker": step[1]})
        elif kind == "ask":
            _, n, theme, via, text = step
            if via == "floor":
                reply = session.call(
                    "POST",
                    "/floor",
                    # Asked aloud and answered there and then.
                    {
                        "client_msg_id": f"floor-{n:04d}",
                        "text": text,
                        "theme": theme,
                        "answered": True,
                    },
                )
            else:
                body = {
                    "client_id": f"asker-{n:04d}",
                    "client_msg_id": f"message-{n:04d}",
                    "text": text,
                    "theme": theme,
                    "via": via,
                }
                if via == "room":
                    body["room_pass"] = session.room_pass()
                reply = session.call("POST", "/questions", body)
            ids[n] = reply["question"]["id"]
        elif kind == "curate":
            _, action, n, extra = step
            body = {**extra, **({"into": ids[extra["into"]]} if "into" in extra else {})}
            session.call("POST", f"/questions/{ids[n]}/{action}", body)
        elif kind == "vote":
            _, n, room, online = step
            for via, count in (("room", room), ("online", online)):
                for _ in range(count):
                    voter += 1
                    body = {"client_id": f"voter-{voter:04d}", "via": via}
                    if via == "room":
                        body["room_pass"] = session.room_pass()
                    session.call("POST", f"/questions/{ids[n]}/vote", body)
        else:
            session.restart()
    # The forgotten switch, noticed after the session: the interval starting at 55 began at 53.
    speaker, minute = CORRECTION
    intervals = session.call("GET", "/speaker")["intervals"]
    [late] = [i for i in intervals if i["speaker"] == speaker]
    session.call("PATCH", f"/speaker/intervals/{late['id']}", {"started_ms": T0 + minute * MIN})
    return session


@pytest.fixture
def session(demo_config):
    ran = run_session(demo_config)
    yield ran
    runtime.of(ran.app).close()


def csv_rows(session: Session) -> list[dict[str, str]]:
    response = session.client.get(f"{BASE}/export.csv", headers=ADMIN)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def recount(rows: list[dict[str, str]]) -> dict[str, Any]:
    """The report's question counts, recomputed from the CSV export alone."""

    def counts(items: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "counts": {
                "received": len(items),
                "published": sum(bool(r["approved_ms"]) for r in items),
                **{s: sum(r["status"] == s for r in items) for s in STATUSES},
            },
            "origins": {o: sum(r["via"] == o for r in items) for o in ("room", "online", "floor")},
            "votes": {
                "total": sum(int(r["votes"]) for r in items),
                "room": sum(int(r["votes_room"]) for r in items),
                "online": sum(int(r["votes_online"]) for r in items),
            },
        }

    themes = sorted({r["theme"] for r in rows})
    per_theme = {t: counts([r for r in rows if r["theme"] == t]) for t in themes}
    return {"all": counts(rows), **per_theme}


STATUSES = ("pending", "answered", "dismissed", "merged")


def test_speaking_totals_per_speaker_and_group_are_exact_through_a_restart_and_a_correction(
    session,
):
    view = session.call("GET", "/speaker")
    assert view["current"] is None  # nobody after minute 90
    assert view["totals"] == {sid: m * MIN for sid, m in EXPECTED_MINUTES.items()}
    assert view["total_ms"] == 90 * MIN
    rows = {row["id"]: row for row in view["speakers"]}
    panel = [RODUNER, HULSHORSTER, TSUNGA, KULIESIUTE, MIZUKAMI]
    assert view["panel_total_ms"] == sum(EXPECTED_MINUTES[p] for p in panel) * MIN == 58 * MIN
    # Shares of the panel's 58 minutes, against 30 % for Ms. Kuliešiūtė-Pirlot and an equal
    # split of the remaining 70 % (17.5 %) for the four others.
    assert {p: (rows[p]["panel_share"], rows[p]["target"], rows[p]["gap"]) for p in panel} == {
        RODUNER: (17.2, 17.5, -0.3),
        HULSHORSTER: (36.2, 17.5, 18.7),
        TSUNGA: (13.8, 17.5, -3.7),
        KULIESIUTE: (17.2, 30.0, -12.8),
        MIZUKAMI: (15.5, 17.5, -2.0),
    }
    assert rows[ROOM]["share"] == round(100 * 6 / 90, 1)
    assert rows[MODERATOR]["panel_share"] is None
    # Groups: the grouped panelists' 58 minutes (the moderator declared none).
    assert {g["group"]: (g["total_ms"], g["share"]) for g in view["groups"]} == {
        "men": (48 * MIN, 82.8),
        "women": (10 * MIN, 17.2),
    }
    # The restart lost nothing: Mr. Tsunga's interval was open across it, and it was corrected
    # to end where the next one now starts.
    intervals = view["intervals"]
    assert len(intervals) == len(FLOOR) - 1
    pairs = zip(intervals, intervals[1:], strict=False)
    assert all(a["ended_ms"] == b["started_ms"] for a, b in pairs)
    [tsunga] = [i for i in intervals if i["speaker"] == TSUNGA]
    assert (tsunga["started_ms"], tsunga["ended_ms"]) == (T0 + 45 * MIN, T0 + 53 * MIN)
    assert [i["speaker"] for i in intervals if i["corrected_ms"]] == [KULIESIUTE]


def test_the_report_has_the_hand_worked_numbers(session):
    report = session.call("GET", "/report.json")
    agenda = report["agenda"]
    assert [s["planned_ms"] for s in agenda["segments"]] == [m * MIN for m in (10, 15, 50, 10, 5)]
    assert [s["actual_ms"] for s in agenda["segments"]] == [m * MIN for m in EXPECTED_RAN_MINUTES]
    assert agenda["drift_ms"] == (sum(EXPECTED_RAN_MINUTES) - 90) * MIN == -MIN
    assert agenda["planned_end_ms"] == T0 + 90 * MIN
    assert [s["actual_start_ms"] for s in agenda["segments"]] == [
        T0 + m * MIN for m in (0, 11, 25, 77, 86)
    ]
    totals = report["questions"]
    assert totals["counts"] == {
        "received": 12,
        # Shown to attendees at some point; a floor question logged as answered counts too.
        "published": 9,
        "pending": 2,
        "answered": 3,
        "dismissed": 1,
        "merged": 1,
    }
    assert totals["origins"] == {"room": 5, "online": 6, "floor": 1}
    assert totals["votes"] == {"total": 17, "room": 9, "online": 8}
    themes = {t["key"]: t for t in report["themes"]}
    ssc = themes["ssc"]
    assert [(g["linked"], g["answered"]) for g in ssc["guiding_questions"]] == [
        (1, 1),
        (1, 0),
        (0, 0),
    ]
    assert [q["text"] for q in ssc["top_unanswered"]] == [QUESTIONS[1][4], QUESTIONS[9][4]]
    assert [(q["votes"], q["via"]) for q in ssc["top_unanswered"]] == [(5, "online"), (0, "room")]
    # Merged votes follow the question they were merged into.
    assert [q["text"] for q in themes["sustainability"]["top_unanswered"]] == [QUESTIONS[6][4]]
    assert themes["challenges"]["top_unanswered"][0]["status"] == "live"
    speaking = report["speaking"]
    assert {r["id"]: r["total_ms"] for r in speaking["speakers"] if r["total_ms"]} == {
        sid: m * MIN for sid, m in EXPECTED_MINUTES.items()
    }
    assert (speaking["intervals"], speaking["corrected"]) == (len(FLOOR) - 1, 1)
    activity = report["activity"]
    assert (activity["bucket_ms"], activity["start_ms"]) == (MIN, T0)
    # Minutes 0 to 90, the clock's last change (the last question came at 84).
    assert len(activity["buckets"]) == 91
    by_minute = {(b["start_ms"] - T0) // MIN: b for b in activity["buckets"]}
    assert by_minute[45]["questions"] == {"room": 0, "online": 0, "floor": 1}
    assert by_minute[10]["votes"] == {"room": 1, "online": 4}


def test_every_report_count_equals_the_count_recomputed_from_the_csv_export(session):
    report = session.call("GET", "/report.json")
    rows = csv_rows(session)
    expected = recount(rows)
    assert {k: report["questions"][k] for k in ("counts", "origins", "votes")} == expected["all"]
    for theme in report["themes"]:
        recounted = expected.get(theme["key"], recount([])["all"])
        assert {k: theme[k] for k in ("counts", "origins", "votes")} == recounted, theme["key"]
    # Participation: each bucket's questions by origin, from the CSV's created_ms and via.
    size, start = report["activity"]["bucket_ms"], report["activity"]["start_ms"]
    for bucket in report["activity"]["buckets"]:
        index = (bucket["start_ms"] - start) // size
        in_bucket = [r for r in rows if (int(r["created_ms"]) - start) // size == index]
        assert bucket["questions"] == {
            o: sum(r["via"] == o for r in in_bucket) for o in ("room", "online", "floor")
        }
    vote_totals = {"room": 0, "online": 0}
    for bucket in report["activity"]["buckets"]:
        for origin, count in bucket["votes"].items():
            vote_totals[origin] += count
    assert vote_totals == {o: expected["all"]["votes"][o] for o in ("room", "online")}
    # Questions linked to each guiding question, and how many of them were answered.
    for theme in report["themes"]:
        for guiding in theme["guiding_questions"]:
            linked = [
                r
                for r in rows
                if r["theme"] == theme["key"] and r["guiding_question"] == str(guiding["index"])
            ]
            assert guiding["linked"] == len(linked)
            assert guiding["answered"] == sum(r["status"] == "answered" for r in linked)
            assert guiding["votes"] == sum(int(r["votes"]) for r in linked)
    # The top unanswered questions are the published, unanswered ones with the most votes.
    for theme in report["themes"]:
        open_rows = [
            r for r in rows if r["theme"] == theme["key"] and r["status"] in ("approved", "live")
        ]
        ranked = sorted(open_rows, key=lambda r: (-int(r["votes"]), int(r["id"])))[:5]
        assert [q["id"] for q in theme["top_unanswered"]] == [int(r["id"]) for r in ranked]


def test_report_json_of_the_scripted_session_matches_the_kept_fixture(session):
    report = session.call("GET", "/report.json")
    text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_FIXTURES") == "1":
        FIXTURE.write_text(text, encoding="utf-8")
    assert text == FIXTURE.read_text(encoding="utf-8")


def test_refused_corrections_change_nothing(session):
    before = session.call("GET", "/speaker")
    intervals = before["intervals"]
    middle = intervals[5]
    cases = [
        # An end before its start.
        ({"started_ms": middle["started_ms"], "ended_ms": middle["started_ms"] - 1}, 400),
        # Swallowing the whole previous interval.
        ({"started_ms": intervals[4]["started_ms"] - MIN}, 409),
        # In the future.
        ({"ended_ms": session.clock() + MIN}, 400),
        # Someone the event does not have.
        ({"speaker": "nobody-at-all"}, 400),
        # Not a number.
        ({"started_ms": "soon"}, 400),
    ]
    for body, status in cases:
        response = session.client.patch(
            f"{BASE}/speaker/intervals/{middle['id']}", json=body, headers=ADMIN
        )
        assert response.status_code == status, (body, response.get_json())
        assert response.get_json()["error"]["message"]
    missing = session.client.patch(f"{BASE}/speaker/intervals/999999", json={}, headers=ADMIN)
    assert missing.status_code == 404
    after = session.call("GET", "/speaker")
    assert after["intervals"] == intervals and after["totals"] == before["totals"]


def test_declared_groups_and_targets_are_not_public(session):
    public = session.client.get(BASE).get_json()
    assert public["panelists"][3] == {
        "name": "Ms. Grytė Kuliešiūtė-Pirlot",
        "role": "Project Officer, The Erasmus for Young Entrepreneurs Support Office c/o "
        "EUROCHAMBRES",
    }
    assert "women" not in json.dumps(public, ensure_ascii=False)
    assert session.client.get(f"{BASE}/speaker").status_code == 401
    assert session.client.get(f"{BASE}/report.json").status_code == 401


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_markdown_of_the_scripted_session_matches_the_kept_fixture(session, lang):
    response = session.client.get(f"{BASE}/report.md?lang={lang}", headers=ADMIN)
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    text = response.get_data(as_text=True)
    kept = FIXTURE.with_name(f"session-report.{lang}.md")
    if os.environ.get("UPDATE_FIXTURES") == "1":
        kept.write_text(text, encoding="utf-8")
    assert text == kept.read_text(encoding="utf-8")


def test_on_postgresql_the_same_session_gives_the_same_report(demo_config, postgres_url):
    class OnPostgres(demo_config):  # type: ignore[misc, valid-type]
        DATABASE_URL = postgres_url

    ran = run_session(OnPostgres)
    try:
        report = ran.call("GET", "/report.json")
        text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        assert text == FIXTURE.read_text(encoding="utf-8")
        assert ran.call("GET", "/speaker")["totals"] == {
            sid: m * MIN for sid, m in EXPECTED_MINUTES.items()
        }
    finally:
        runtime.of(ran.app).close()
