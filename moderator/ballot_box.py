"""Votes arrive one message at a time and are written in batches: whoever is waiting when the
previous batch commits goes into the next one. A vote storm then costs one transaction per batch
instead of one per vote, and every vote is still stored before it is acknowledged.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from moderator.core.errors import DomainError
from moderator.core.votes import Ballot, vote_batch
from moderator.extensions import db, socketio
from moderator.runtime import clock

BATCH_LIMIT = 500
WAIT_SECONDS = 30


class _Slot:
    def __init__(self, event_id: int, ballot: Ballot):
        self.event_id = event_id
        self.ballot = ballot
        self.done = socketio.server.eio.create_event()
        self.result: tuple[int, int] | DomainError | None = None


class BallotBox:
    """Queues ballots and writes them in batches from one background task per process."""

    def __init__(self) -> None:
        self.waiting: list[_Slot] = []
        self.lock = threading.Lock()
        self.running = False

    def cast(self, event_id: int, ballot: Ballot) -> tuple[int, int]:
        """Store one vote (in the next batch) and return ``(question id, new count)``; raise
        the refusal if it was refused."""
        slot = _Slot(event_id, ballot)
        with self.lock:
            self.waiting.append(slot)
            start = not self.running
            self.running = True
        if start:
            socketio.start_background_task(self._drain, current_app._get_current_object())
        if not slot.done.wait(WAIT_SECONDS):
            raise DomainError(
                "The server is too busy to record your vote; please try again.", "busy"
            )
        if isinstance(slot.result, DomainError):
            raise slot.result
        return slot.result

    def _drain(self, app: Flask) -> None:
        while True:
            with self.lock:
                batch, self.waiting = self.waiting[:BATCH_LIMIT], self.waiting[BATCH_LIMIT:]
                if not batch:
                    self.running = False
                    return
            by_event: dict[int, list[_Slot]] = {}
            for slot in batch:
                by_event.setdefault(slot.event_id, []).append(slot)
            for event_id, slots in by_event.items():
                try:
                    with app.app_context(), db.session() as session:
                        results = vote_batch(session, event_id, [s.ballot for s in slots], clock())
                except Exception:  # noqa: BLE001 - every waiting voter must get an answer
                    results = [
                        DomainError(
                            "Your vote could not be stored; please try again.", "vote_failed"
                        )
                    ] * len(slots)
                for slot, result in zip(slots, results, strict=True):
                    slot.result = result
                    slot.done.set()


ballot_box = BallotBox()
