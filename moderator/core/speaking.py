"""Who has the floor: speaking intervals, stored like the clock, and the balance they add up to.

A moderator or timekeeper switches the floor to a speaker (or to nobody); each switch closes the
open interval and opens the next at the same instant, so totals are sums of stored timestamps
and a restart, even ``kill -9``, loses nothing: the open interval simply goes on. A forgotten
switch is corrected afterwards by editing one interval (``correct``); the boundary it shares with
its neighbour moves for both, so no time is counted twice or lost.

Speakers are derived from the event's definition: the moderator, the panelists, anyone the
agenda names who is neither, and the audience in the room and online. Their ids are stable
across edits that leave a name alone, so a Stream Deck button keeps working.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import N_, Conflict, InvalidInput, NotFound
from moderator.core.event_file import EventDefinition
from moderator.models import Event, SpeakingInterval

MODERATOR = "moderator"
AUDIENCE_ROOM = "audience-room"
AUDIENCE_ONLINE = "audience-online"
FIXED_IDS = frozenset({MODERATOR, AUDIENCE_ROOM, AUDIENCE_ONLINE})
# What each kind of speaker is: a panelist is listed in the event's panelists; a "speaker" is
# named only in the agenda (opening remarks, a keynote).
PANELIST, AGENDA_SPEAKER, MODERATOR_KIND, AUDIENCE = "panelist", "speaker", "moderator", "audience"
# Names the pages and the report translate; the English is what an interval stores.
FIXED_NAMES = {
    MODERATOR: N_("Moderator"),
    AUDIENCE_ROOM: N_("Audience, in the room"),
    AUDIENCE_ONLINE: N_("Audience, online"),
}
MAX_ID = 80
# Room for "person-" before and "-NN" after, within the column's 80 characters.
SLUG_LENGTH = 64
_NOT_WORD = re.compile(r"[\W_]+")
# Far enough in the past to be no session of this app: guards against a zero or a typo in ms.
EARLIEST_MS = 946_684_800_000  # 2000-01-01


@dataclass(frozen=True)
class Speaker:
    """Someone who can have the floor, as the event's definition lists them."""

    id: str
    name: str
    kind: str
    role: str = ""
    group: str = ""
    target_share: int | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "group": self.group,
            "target_share": self.target_share,
        }


def _slug(name: str) -> str:
    """A speaker id from a name: lowercase words joined by '-', accents dropped so that an id
    is easy to type into a tool ("Hülshörster" -> "hulshorster"); other scripts' letters kept."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )
    slug = _NOT_WORD.sub("-", plain).strip("-")[:SLUG_LENGTH]
    return slug if slug and slug not in FIXED_IDS else f"person-{slug}".rstrip("-")


def _agenda_name(entry: str) -> str:
    """The name in an agenda's speaker line ("Ms. A. B., Director, X" -> "Ms. A. B.")."""
    return entry.split(",", 1)[0].strip()


def speakers_of(spec: EventDefinition) -> list[Speaker]:
    """Everyone who can have the floor: the moderator, the panelists, the audience in the room
    and online, then anyone else the agenda names (opening remarks, a keynote), in that order:
    the dashboard's keys 1 to 9 go to the first nine, so the audience, who take the floor again
    and again, come before those who speak once."""
    people: list[Speaker] = []
    taken: set[str] = set(FIXED_IDS)
    known: set[str] = set()

    def add(name: str, kind: str, **extra: Any) -> None:
        key = name.casefold()
        if key in known:
            return
        known.add(key)
        speaker_id = _slug(name)
        if speaker_id in taken:
            n = 2
            while f"{speaker_id}-{n}" in taken:
                n += 1
            speaker_id = f"{speaker_id}-{n}"
        taken.add(speaker_id)
        people.append(Speaker(speaker_id, name, kind, **extra))

    moderator = spec.moderator
    fixed_moderator = Speaker(
        MODERATOR,
        moderator.name if moderator else FIXED_NAMES[MODERATOR],
        MODERATOR_KIND,
        role=moderator.role if moderator else "",
        group=moderator.group if moderator else "",
    )
    if moderator:
        known.add(moderator.name.casefold())
    for person in spec.panelists:
        add(
            person.name,
            PANELIST,
            role=person.role,
            group=person.group,
            target_share=person.target_share,
        )
    for segment in spec.segments:
        for entry in segment.speakers:
            name = _agenda_name(entry)
            if name:
                add(name, AGENDA_SPEAKER, role=entry[len(name) :].lstrip(", ").strip())
    audience = [
        Speaker(AUDIENCE_ROOM, FIXED_NAMES[AUDIENCE_ROOM], AUDIENCE),
        Speaker(AUDIENCE_ONLINE, FIXED_NAMES[AUDIENCE_ONLINE], AUDIENCE),
    ]
    panelists = [p for p in people if p.kind == PANELIST]
    others = [p for p in people if p.kind != PANELIST]
    return [fixed_moderator, *panelists, *audience, *others]


def _speaker(spec: EventDefinition, speaker_id: object) -> Speaker:
    speakers = speakers_of(spec)
    for speaker in speakers:
        if speaker.id == speaker_id:
            return speaker
    raise InvalidInput(
        N_("There is no speaker {speaker} in this event; GET the speaker list for the ids."),
        "unknown_speaker",
        speaker=repr(speaker_id)[:MAX_ID],
    )


# --- Reading -------------------------------------------------------------------------------------


def intervals_of(session: Session, event: Event) -> list[SpeakingInterval]:
    """The event's intervals, oldest first."""
    return list(
        session.scalars(
            select(SpeakingInterval)
            .where(SpeakingInterval.event_id == event.id)
            .order_by(SpeakingInterval.started_ms, SpeakingInterval.id)
        )
    )


def open_interval(session: Session, event: Event) -> SpeakingInterval | None:
    """The interval of whoever has the floor now, if anyone."""
    return session.scalar(
        select(SpeakingInterval).where(
            SpeakingInterval.event_id == event.id, SpeakingInterval.ended_ms.is_(None)
        )
    )


def totals(intervals: Iterable[SpeakingInterval], *, now: int) -> dict[str, int]:
    """Milliseconds per speaker id; an open interval counts up to ``now``."""
    result: dict[str, int] = {}
    for interval in intervals:
        end = now if interval.ended_ms is None else interval.ended_ms
        result[interval.speaker] = result.get(interval.speaker, 0) + max(
            0, end - interval.started_ms
        )
    return result


def names_of(intervals: Iterable[SpeakingInterval]) -> dict[str, str]:
    """The name each speaker id had in its latest interval."""
    return {i.speaker: i.name for i in intervals}


def _share(part: int, whole: int) -> float | None:
    return None if whole <= 0 else round(100 * part / whole, 1)


def balance(
    speakers: Sequence[Speaker], by_speaker: dict[str, int], names: dict[str, str] | None = None
) -> dict[str, Any]:
    """Per speaker: total, share of all the floor time, and for panelists their share of the
    panelists' time against their target (their own, or an equal split of what the others'
    targets leave) and the gap to it, in percentage points; per declared group, its total and
    share of the grouped speakers' time. Speakers no longer listed (renamed or removed from
    the event since) keep their time, under the name ``names`` gives (their intervals')."""
    listed = {s.id for s in speakers}
    everyone = list(speakers) + [
        Speaker(sid, (names or {}).get(sid, sid), AGENDA_SPEAKER)
        for sid in sorted(by_speaker)
        if sid not in listed
    ]
    total = sum(by_speaker.values())
    panelists = [s for s in everyone if s.kind == PANELIST]
    panel_total = sum(by_speaker.get(s.id, 0) for s in panelists)
    fixed = [s.target_share for s in panelists if s.target_share is not None]
    free = len(panelists) - len(fixed)
    equal = max(0.0, 100 - sum(fixed)) / free if free else 0.0
    rows = []
    for s in everyone:
        ms = by_speaker.get(s.id, 0)
        row: dict[str, Any] = {
            **s.view(),
            # False for an id no longer in the event's list (kept for its time, not offered).
            "listed": s.id in listed,
            "total_ms": ms,
            "share": _share(ms, total),
        }
        if s.kind == PANELIST:
            target = float(s.target_share) if s.target_share is not None else round(equal, 1)
            panel_share = _share(ms, panel_total)
            row["panel_share"] = panel_share
            row["target"] = target
            row["gap"] = None if panel_share is None else round(panel_share - target, 1)
        else:
            row["panel_share"] = row["target"] = row["gap"] = None
        rows.append(row)
    groups: dict[str, int] = {}
    for s in everyone:
        if s.group:
            groups[s.group] = groups.get(s.group, 0) + by_speaker.get(s.id, 0)
    grouped_total = sum(groups.values())
    return {
        "total_ms": total,
        "panel_total_ms": panel_total,
        "speakers": rows,
        "groups": [
            {"group": g, "total_ms": ms, "share": _share(ms, grouped_total)}
            for g, ms in groups.items()
        ],
    }


def interval_view(interval: SpeakingInterval) -> dict[str, Any]:
    return {
        "id": interval.id,
        "speaker": interval.speaker,
        "name": interval.name,
        "started_ms": interval.started_ms,
        "ended_ms": interval.ended_ms,
        "corrected_ms": interval.corrected_ms,
    }


def speaking_view(session: Session, event: Event, *, now: int) -> dict[str, Any]:
    """Who has the floor and since when, the speakers, and the balance at ``now``: what
    dashboards draw (adding the time since ``server_now_ms`` to the current speaker by
    themselves) and what ``GET /speaker`` answers."""
    intervals = intervals_of(session, event)
    current = next((i for i in intervals if i.ended_ms is None), None)
    by_speaker = totals(intervals, now=now)
    return {
        "current": None
        if current is None
        else {
            "speaker": current.speaker,
            "name": current.name,
            "since_ms": current.started_ms,
            "interval_id": current.id,
        },
        "server_now_ms": now,
        "totals": by_speaker,
        **balance(speakers_of(event.spec), by_speaker, names_of(intervals)),
        "intervals": [interval_view(i) for i in intervals],
    }


def stage_view(session: Session, event: Event, *, now: int) -> dict[str, Any]:
    """What a stage monitor needs to show the current speaker's time: who, since when, and
    their total before this interval (nothing about anyone else)."""
    current = open_interval(session, event)
    if current is None:
        return {"current": None, "server_now_ms": now}
    before = session.scalars(
        select(SpeakingInterval).where(
            SpeakingInterval.event_id == event.id,
            SpeakingInterval.speaker == current.speaker,
            SpeakingInterval.ended_ms.is_not(None),
        )
    )
    return {
        "current": {
            "speaker": current.speaker,
            "name": current.name,
            "since_ms": current.started_ms,
            "earlier_ms": sum(totals(before, now=now).values()),
        },
        "server_now_ms": now,
    }


# --- Changing ------------------------------------------------------------------------------------


def switch(
    session: Session, event: Event, speaker_id: str | None, *, clock: Clock
) -> SpeakingInterval | None:
    """Give the floor to ``speaker_id`` (None: nobody) from now on; the same speaker again
    changes nothing. Returns the open interval."""
    speaker = None if speaker_id is None else _speaker(event.spec, speaker_id)
    current = open_interval(session, event)
    if current is not None and speaker is not None and current.speaker == speaker.id:
        return current
    if current is None and speaker is None:
        return None
    now = clock()
    start = now
    if current is not None:
        start = max(now, current.started_ms)
        if start == current.started_ms:
            # Switched again within the same millisecond: the first press held no time.
            session.delete(current)
        else:
            current.ended_ms = start
        session.flush()
    opened = None
    if speaker is not None:
        opened = SpeakingInterval(
            event_id=event.id, speaker=speaker.id, name=speaker.name, started_ms=start
        )
        session.add(opened)
    _commit(session)
    return opened


def correct(
    session: Session,
    event: Event,
    interval_id: int,
    *,
    speaker: str | None = None,
    started_ms: int | None = None,
    ended_ms: int | None = None,
    clock: Clock,
) -> SpeakingInterval:
    """Correct one interval after the fact: who it was, when it started, when it ended. A
    boundary shared with the interval before or after moves for both; one that would overlap
    another interval, or reach past now, is refused and nothing changes."""
    now = clock()
    intervals = intervals_of(session, event)
    index = next((k for k, i in enumerate(intervals) if i.id == interval_id), None)
    if index is None:
        raise NotFound(
            N_("There is no speaking interval {id} in this event."),
            "unknown_interval",
            id=interval_id,
        )
    interval = intervals[index]
    before = intervals[index - 1] if index > 0 else None
    after = intervals[index + 1] if index + 1 < len(intervals) else None
    new_start = interval.started_ms if started_ms is None else started_ms
    new_end = interval.ended_ms if ended_ms is None else ended_ms
    for value, key in ((started_ms, "started_ms"), (ended_ms, "ended_ms")):
        if value is not None and not EARLIEST_MS <= value <= now:
            raise InvalidInput(
                N_("{key} must be a moment in milliseconds since 1970, not in the future."),
                "invalid_moment",
                key=key,
            )
    if new_end is not None and new_end <= new_start:
        raise InvalidInput(N_("An interval must end after it starts."), "invalid_interval")
    if speaker is not None:
        who = _speaker(event.spec, speaker)
        interval.speaker, interval.name = who.id, who.name
    if before is not None and before.ended_ms == interval.started_ms:
        before.ended_ms = new_start
    old_end = interval.ended_ms
    if after is not None and old_end is not None and after.started_ms == old_end:
        assert new_end is not None
        after.started_ms = new_end
    interval.started_ms, interval.ended_ms = new_start, new_end
    interval.corrected_ms = now
    if _overlapping(intervals, now=now):
        session.rollback()
        raise Conflict(
            N_(
                "That would overlap another speaker's interval, or leave one with no time: "
                "correct the neighbouring interval first."
            ),
            "interval_overlap",
        )
    _commit(session)
    return interval


def _overlapping(intervals: list[SpeakingInterval], *, now: int) -> bool:
    ordered = sorted(intervals, key=lambda i: (i.started_ms, i.id))
    for first, second in zip(ordered, ordered[1:], strict=False):
        if first.ended_ms is None or first.ended_ms > second.started_ms:
            return True
    return any(
        (now if i.ended_ms is None else i.ended_ms) <= i.started_ms and i.ended_ms is not None
        for i in ordered
    )


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            N_("Someone else switched the speaker at the same moment; yours was not applied."),
            "speaker_changed",
        ) from None
