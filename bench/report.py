"""How long does the session report take for a big event?

The report is computed on demand from what is stored (``moderator/core/report.py``), in the
server process: under eventlet, the time it takes is time no other request or socket of that
process is served. For each size, fills a fresh SQLite database (migrated as the app does) with
the demo event, that many questions across its themes and origins, five votes per question on
average and a speaking interval per minute of a 90-minute session, then times, five times each,
building the report's data, rendering the page's charts and tables, and the Markdown. Prints
the medians.

    .venv/bin/python bench/report.py [--sizes 1000 10000] [--runs 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from bench.common import machine, write_json  # noqa: E402
from moderator.app import DEMO_EVENT_FILE  # noqa: E402
from moderator.core import events, report, speaking  # noqa: E402
from moderator.core.clock import FakeClock  # noqa: E402
from moderator.core.event_file import load_event_file  # noqa: E402
from moderator.core.report_markdown import render  # noqa: E402
from moderator.core.timer import TimerCommand, apply  # noqa: E402
from moderator.db import Database  # noqa: E402
from moderator.models import Question, SpeakingInterval, Vote  # noqa: E402
from moderator.web.report_page import page_view  # noqa: E402

START = 1_748_434_500_000
MIN = 60_000
STATUSES = ("pending", "approved", "answered", "dismissed", "merged", "approved", "answered")


class English:
    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


def fill(database: Database, questions: int, clock: FakeClock) -> None:
    rng = random.Random(questions)
    definition = load_event_file(DEMO_EVENT_FILE)
    with database.session() as s:
        events.install_events(s, [definition], clock=clock)
        event = events.get_event(s, definition.code)
        apply(s, event, TimerCommand("start"), clock=clock)
        themes = [t.key for t in definition.themes]
        rows = []
        for n in range(questions):
            created = START + rng.randrange(90 * MIN)
            status = rng.choice(STATUSES)
            rows.append(
                {
                    "event_id": event.id,
                    "client_id": f"client-{n:06d}",
                    "client_msg_id": f"message-{n:06d}",
                    "text": f"Question {n}: how will exchanges scale across the Global South?",
                    "theme": rng.choice(themes),
                    "via": rng.choice(("room", "online", "online", "floor")),
                    "status": status,
                    "starred": False,
                    "votes": 0,
                    "votes_revision": 0,
                    "created_ms": created,
                    "updated_ms": created,
                    "approved_ms": None if status == "pending" else created + 1000,
                    "guiding_question": rng.choice((None, 0, 1)),
                    "version": 1,
                }
            )
        s.execute(insert(Question), rows)
        ids = list(s.scalars(Question.__table__.select().with_only_columns(Question.id)))
        votes = []
        for voter in range(questions * 5 // 10):
            for qid in rng.sample(ids, min(10, len(ids))):
                votes.append(
                    {
                        "question_id": qid,
                        "client_id": f"voter-{voter:06d}",
                        "via": rng.choice(("room", "online")),
                        "created_ms": START + rng.randrange(90 * MIN),
                    }
                )
        s.execute(insert(Vote).prefix_with("OR IGNORE"), votes)
        people = [sp.id for sp in speaking.speakers_of(definition)]
        s.execute(
            insert(SpeakingInterval),
            [
                {
                    "event_id": event.id,
                    "speaker": rng.choice(people),
                    "name": "Someone",
                    "started_ms": START + m * MIN,
                    "ended_ms": START + (m + 1) * MIN,
                }
                for m in range(90)
            ],
        )
        s.commit()


def median_ms(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args()
    figures: dict = {"machine": machine(), "sizes": {}}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            clock = FakeClock(START)
            database = Database(f"sqlite:///{folder}/report.db")
            fill(database, size, clock)
            clock.now_ms = START + 90 * MIN
            code = load_event_file(DEMO_EVENT_FILE).code

            def build(
                database: Database = database, code: str = code, clock: FakeClock = clock
            ) -> dict:
                with database.session() as s:
                    return report.build(s, events.get_event(s, code), clock=clock)

            data = build()
            votes = data["questions"]["votes"]
            result = {
                "questions": size,
                "votes": votes["room"] + votes["online"],
                "build_ms": median_ms(build, args.runs),
                "page_ms": median_ms(partial(page_view, data, "en", rtl=False), args.runs),
                "markdown_ms": median_ms(partial(render, data, English()), args.runs),
            }
            database.dispose()
        figures["sizes"][size] = result
        print(
            f"{size:>6} questions, {result['votes']:>6} votes: report data "
            f"{result['build_ms']} ms, page charts and tables {result['page_ms']} ms, "
            f"Markdown {result['markdown_ms']} ms (medians of {args.runs})"
        )
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
