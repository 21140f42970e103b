"""The speaking-time view the dashboard draws from: every speaker the event lists is offered
(``listed``), and one no longer listed keeps its time without being offered a button."""

from __future__ import annotations

from moderator import runtime
from moderator.models import SpeakingInterval
from tests.fixtures.constants import EVENT

SPEAKER = f"/api/events/{EVENT}/speaker"


def test_the_events_speakers_are_listed_in_order(client, bearer):
    view = client.get(SPEAKER, headers=bearer).get_json()
    assert [s["id"] for s in view["speakers"]] == [
        "moderator",
        "panelist-one",
        "panelist-two",
        "audience-room",
        "audience-online",
    ]
    assert all(s["listed"] for s in view["speakers"])


def test_a_speaker_no_longer_listed_keeps_their_time_unoffered(client, bearer, app):
    assert client.post(SPEAKER, json={"speaker": "panelist-two"}, headers=bearer).status_code == 200
    assert client.post(SPEAKER, json={"speaker": None}, headers=bearer).status_code == 200
    with app.app_context(), runtime.database().session() as session:
        session.query(SpeakingInterval).update({"speaker": "someone-gone"})
        session.commit()
    view = client.get(SPEAKER, headers=bearer).get_json()
    gone = next(s for s in view["speakers"] if s["id"] == "someone-gone")
    assert gone["listed"] is False and gone["total_ms"] == view["totals"]["someone-gone"]
    # Named as their intervals named them, not by their id.
    assert gone["name"] == "Panelist Two"
