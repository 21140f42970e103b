"""Votes arrive one message at a time and are written in batches: whoever is waiting when the
previous batch commits goes into the next one. A vote storm then costs one transaction per batch
instead of one per vote, and every vote is still stored before it is acknowledged.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from moderator import runtime
from moderator.core.errors import N_, DomainError, Unavailable
from moderator.core.votes import Ballot, Tally, vote_batch
from moderator.extensions import socketio
from moderator.tasks import Worker

log = logging.getLogger(__name__)
BATCH_LIMIT = 500
WAIT_SECONDS = 30


class _Slot:
    def __init__(self, event_id: int, ballot: Ballot):
        self.event_id = event_id
        self.ballot = ballot
        self.done: Any = socketio.server.eio.create_event()
        self.result: Tally | DomainError | None = None


class BallotBox(Worker):
    """Queues ballots and writes them in batches from one background task per process."""

    name = "ballot box"

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self.waiting: list[_Slot] = []

    def cast(self, event_id: int, ballot: Ballot) -> Tally:
        """Store one vote (in the next batch) and return the question's new count; raise
        the refusal if it was refused."""
        slot = _Slot(event_id, ballot)
        with self.lock:
            self.waiting.append(slot)
        self.wake()
        if not slot.done.wait(WAIT_SECONDS):
            raise Unavailable(
                N_("The server is too busy to record your vote; please try again."), "busy"
            )
        if isinstance(slot.result, DomainError):
            raise slot.result
        assert slot.result is not None
        return slot.result

    def has_work(self) -> bool:
        return bool(self.waiting)

    def step(self) -> None:
        with self.lock:
            batch, self.waiting = self.waiting[:BATCH_LIMIT], self.waiting[BATCH_LIMIT:]
        by_event: dict[int, list[_Slot]] = {}
        for slot in batch:
            by_event.setdefault(slot.event_id, []).append(slot)
        for event_id, slots in by_event.items():
            results: list[Tally | DomainError]
            try:
                with runtime.database(self.app).session() as session:
                    results = vote_batch(
                        session,
                        event_id,
                        [s.ballot for s in slots],
                        clock=runtime.clock(self.app),
                    )
            except Exception:  # every waiting voter must get an answer; the log gets the cause
                log.exception("storing a batch of %d votes failed", len(slots))
                results = [
                    Unavailable(
                        N_("Your vote could not be stored; please try again."), "vote_failed"
                    )
                ] * len(slots)
            for slot, result in zip(slots, results, strict=True):
                slot.result = result
                slot.done.set()
