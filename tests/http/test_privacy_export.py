"""After the askers' names are erased, the moderator's export still has every question and
every vote, with the name and affiliation columns empty."""

import csv
import dataclasses
import io

import pytest

from moderator import runtime
from moderator.core import events, privacy
from moderator.core.clock import FakeClock
from tests.fixtures.constants import EVENT
from tests.fixtures.helpers import submission

BASE = f"/api/events/{EVENT}"
PERSONAL = ("name", "affiliation")


@pytest.fixture
def erased(app, client, bearer, panel_definition):
    """Named and anonymous questions with votes, exported, then erased by the server's sweep
    on a clock past the event's erasure moment: the exports from before."""
    definition = dataclasses.replace(panel_definition, erase_names_after_days=30)
    clock = FakeClock(privacy.erasure_due_ms(definition) - 60_000)
    runtime.of(app).clock = clock
    with runtime.database(app).session() as session:
        events.install_events(session, [definition], clock=clock)
    people = [("Ann Asker", "Clinic A"), ("Bo", None), (None, "Ministry B"), (None, None)]
    ids = []
    for n, (name, affiliation) in enumerate(people, start=1):
        body = submission(n, name=name, affiliation=affiliation)
        ids.append(client.post(f"{BASE}/questions", json=body).get_json()["question"]["id"])
    for qid in ids[:3]:
        assert client.post(f"{BASE}/questions/{qid}/approve", headers=bearer).status_code == 200
    for voter, qid in enumerate([ids[0], ids[0], ids[2]]):
        vote = client.post(f"{BASE}/questions/{qid}/vote", json={"client_id": f"voter-{voter:04d}"})
        assert vote.status_code == 200
    before = exports(client, bearer)
    assert [q["name"] for q in before["json"]] == ["Ann Asker", "Bo", None, None]
    clock.advance(60_000)
    runtime.of(app).privacy_sweep.step()
    return before


def exports(client, bearer) -> dict[str, list[dict]]:
    as_json = client.get(f"{BASE}/export.json", headers=bearer)
    as_csv = client.get(f"{BASE}/export.csv", headers=bearer)
    assert (as_json.status_code, as_csv.status_code) == (200, 200)
    text = as_csv.get_data(as_text=True).lstrip("\ufeff")
    return {
        "json": as_json.get_json()["questions"],
        "csv": list(csv.DictReader(io.StringIO(text))),
    }


def without_personal(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in PERSONAL} for row in rows]


def test_the_json_export_keeps_every_question_and_vote_without_names(client, bearer, erased):
    after = exports(client, bearer)["json"]
    assert [(q["name"], q["affiliation"]) for q in after] == [(None, None)] * 4
    assert without_personal(after) == without_personal(erased["json"])
    assert [(q["votes"], q["votes_online"]) for q in after] == [(2, 2), (0, 0), (1, 1), (0, 0)]


def test_the_csv_export_keeps_every_question_and_vote_without_names(client, bearer, erased):
    after = exports(client, bearer)["csv"]
    assert [(r["name"], r["affiliation"]) for r in after] == [("", "")] * 4
    assert without_personal(after) == without_personal(erased["csv"])
    assert [r["votes"] for r in after] == ["2", "0", "1", "0"]
