"""The published questions of each event, read once and shared by every resync and
similar-question look-up: a burst of them costs one read, not one read each.

A copy is read again when a question changes on this process (``forget``), at most
``ttl_ms`` after one changed on another process, and its vote counts are updated in place as
they are sent (``votes_changed``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from moderator.core import similarity
from moderator.core.clock import Clock
from moderator.core.questions import ANSWERED, public_questions, public_view
from moderator.core.votes import Tally
from moderator.models import Event


@dataclass(frozen=True)
class PublicList:
    """The published questions as read at ``read_ms``: what attendees see, oldest first, and
    the open ones' texts prepared for similarity."""

    read_ms: int
    views: tuple[dict[str, Any], ...]
    open_texts: Mapping[int, str]

    def similar(self, text: str, limit: int = 3) -> list[dict[str, Any]]:
        """Open questions like ``text``, most similar first, each with its ``score``."""
        by_id = {view["id"]: view for view in self.views}
        found = similarity.ranked_prepared(text[:1000], self.open_texts, limit)
        return [{**by_id[qid], "score": score} for qid, score in found]


class PublicQuestions:
    """One ``PublicList`` per event code, at most ``ttl_ms`` old. Readers that miss at the same
    moment wait for one read instead of each making their own."""

    def __init__(self, ttl_ms: int = 1000) -> None:
        self.ttl_ms = ttl_ms
        self.reads = 0  # how many times the database was read (tests and bench/ look)
        self._lists: dict[str, PublicList] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, session: Session, event: Event, *, clock: Clock) -> PublicList:
        """The event's published questions, from a copy at most ``ttl_ms`` old."""
        fresh = self._fresh(event.code, clock())
        if fresh is not None:
            return fresh
        with self._guard:
            lock = self._locks.setdefault(event.code, threading.Lock())
        with lock:
            fresh = self._fresh(event.code, clock())  # read by whoever held the lock
            if fresh is not None:
                return fresh
            now = clock()
            found = public_questions(session, event)
            copy = PublicList(
                read_ms=now,
                views=tuple(public_view(q) for q in found),
                open_texts=similarity.prepare(
                    (q.id, q.text) for q in found if q.status != ANSWERED
                ),
            )
            self.reads += 1
            self._lists[event.code] = copy
            return copy

    def forget(self, code: str) -> None:
        """A question of the event changed here: the next reader reads again."""
        self._lists.pop(code, None)

    def votes_changed(self, code: str, counts: Mapping[int, Tally]) -> None:
        """New vote counts, as they are sent to attendees: the copy stays, with them and the
        versions that order them."""
        copy = self._lists.get(code)
        if copy is None or not counts:
            return
        views = tuple(
            _with_tally(view, counts[view["id"]]) if view["id"] in counts else view
            for view in copy.views
        )
        self._lists[code] = PublicList(copy.read_ms, views, copy.open_texts)

    def _fresh(self, code: str, now: int) -> PublicList | None:
        copy = self._lists.get(code)
        if copy is not None and 0 <= now - copy.read_ms < self.ttl_ms:
            return copy
        return None


def _with_tally(view: dict[str, Any], tally: Tally) -> dict[str, Any]:
    # A copy older than the tally takes its count; a newer one (read after it) keeps its own.
    if view.get("version", 0) >= tally.version:
        return view
    return {**view, "votes": tally.votes, "version": tally.version}
