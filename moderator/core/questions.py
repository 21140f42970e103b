"""Questions: submitted by attendees (or logged from the floor), curated by moderators.

States: pending (awaiting review) -> approved (public) -> live (on screen, at most one per event)
-> answered; pending, approved or live -> dismissed (restorable); any open question -> merged
into another. Every write commits before it returns, so whatever an adapter acknowledges is
stored; a write that lost a race with another moderator is refused, never half-applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.exc import StaleDataError

from moderator.core import similarity
from moderator.core.clock import Clock
from moderator.core.errors import Conflict, InvalidInput, NotFound, TooMany
from moderator.models import Event, Question, Vote

PENDING, APPROVED, LIVE, ANSWERED, DISMISSED, MERGED = (
    "pending",
    "approved",
    "live",
    "answered",
    "dismissed",
    "merged",
)
PUBLIC_STATUSES = frozenset({APPROVED, LIVE, ANSWERED})
ATTENDEE_ORIGINS = ("online", "room")
FLOOR = "floor"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than tab and newline are dropped: they have no place in a question and
# PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# How many of its theme's newest questions a new one is compared with for near-duplicates.
SIMILARITY_WINDOW = 60
CLOSED = frozenset({DISMISSED, MERGED})


@dataclass(frozen=True)
class Limits:
    """How long the fields of a submission may be, in characters."""

    text: int = 300
    name: int = 80
    affiliation: int = 120
    # Questions one attendee may send per minute; counted in the database, so the same on
    # every server process.
    per_minute: int = 5


@dataclass(frozen=True)
class Change:
    """A question after an action, and whether attendees could see it before."""

    question: Question
    was_public: bool


@dataclass(frozen=True)
class Draft:
    """A checked submission, not yet stored."""

    client_id: str
    client_msg_id: str
    text: str
    theme: str
    via: str
    name: str | None
    affiliation: str | None


def _clean(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _field(data: dict, key: str, *, required: bool, limit: int, label: str) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{label} is missing.", f"missing_{key}")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", f"invalid_{key}")
    value = _clean(value)
    if not value:
        if required:
            raise InvalidInput(f"{label} is empty.", f"empty_{key}")
        return None
    if len(value) > limit:
        raise InvalidInput(
            f"{label} is {len(value)} characters long; the limit is {limit}.", f"{key}_too_long"
        )
    return value


def check_client_id(value: object, key: str = "client_id") -> str:
    """A client-generated identifier: 8 to 64 letters, digits, - or _."""
    if value is None:
        raise InvalidInput(f"{key} is missing.", f"missing_{key}")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InvalidInput(f"{key} must be 8 to 64 letters, digits, - or _.", f"invalid_{key}")
    return value


def check_text(value: object, limits: Limits) -> str:
    """A question's text: trimmed, not empty, within the limit."""
    return _field({"text": value}, "text", required=True, limit=limits.text, label="The question")


def check_theme(value: object, theme_keys: tuple[str, ...]) -> str:
    """One of the event's theme keys."""
    if value is None:
        raise InvalidInput("Choose a theme for the question.", "missing_theme")
    if not isinstance(value, str) or value not in theme_keys:
        raise InvalidInput(
            f"Unknown theme {value!r}; choose one of: {', '.join(theme_keys)}.", "unknown_theme"
        )
    return value


def parse_submission(
    data: object, limits: Limits, theme_keys: tuple[str, ...], origins=ATTENDEE_ORIGINS
) -> Draft:
    """Check a submission's fields; raise ``InvalidInput`` naming the first problem."""
    if not isinstance(data, dict):
        raise InvalidInput("Send the question as a JSON object.", "invalid_body")
    via = data.get("via", origins[0])
    if via not in origins:
        raise InvalidInput(f"via must be {' or '.join(repr(o) for o in origins)}.", "invalid_via")
    return Draft(
        client_id=check_client_id(data.get("client_id")),
        client_msg_id=check_client_id(data.get("client_msg_id"), "client_msg_id"),
        text=check_text(data.get("text"), limits),
        theme=check_theme(data.get("theme"), theme_keys),
        via=via,
        name=_field(data, "name", required=False, limit=limits.name, label="The name"),
        affiliation=_field(
            data, "affiliation", required=False, limit=limits.affiliation, label="The affiliation"
        ),
    )


def filtered_word(event: Event, text: str) -> str | None:
    """The first word of the event's word filter that the text contains, if any."""
    lowered = text.casefold()
    for word in event.word_filter or []:
        if re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", lowered):
            return word
    return None


def submit(
    session: Session,
    event: Event,
    data: object,
    clock: Clock,
    limits: Limits,
    theme_keys: tuple[str, ...],
) -> tuple[Question, bool]:
    """Store an attendee's question; return it and whether it is new.

    The same ``client_msg_id`` sent again (a resend after a reconnect) returns the stored question
    instead of a copy. With pre-moderation off it is published at once, unless it contains a word
    of the event's word filter.
    """
    # A resend is recognised by the unique (event, client_msg_id) when it is stored again
    # (see _store): no lookup on the common path.
    draft = parse_submission(data, limits, theme_keys)
    recent = session.scalar(
        _SENT_SINCE,
        {"event_id": event.id, "client_id": draft.client_id, "since": clock() - 60_000},
    )
    if recent >= limits.per_minute:
        existing = _by_client_msg_id(session, event, draft.client_msg_id)
        if existing is not None:  # a resend of one already counted
            return _resent(existing, draft.client_id), False
        raise TooMany(
            f"You have sent {recent} questions in the last minute; please wait a moment before "
            f"sending another.",
        )
    flag = filtered_word(event, draft.text)
    status = PENDING if event.premoderation or flag else APPROVED
    return _store(session, event, draft, status, clock, flag=flag and f"word filter: {flag}")


def log_floor_question(
    session: Session,
    event: Event,
    data: object,
    clock: Clock,
    limits: Limits,
    theme_keys: tuple[str, ...],
) -> tuple[Question, bool]:
    """A question asked at the room's microphone, logged by a moderator so the record is complete.

    ``{"text", "theme", "client_msg_id", "name"?, "affiliation"?, "answered"?: bool}``.
    """
    if not isinstance(data, dict):
        raise InvalidInput("Send the question as a JSON object.", "invalid_body")
    answered = data.get("answered", False)
    if not isinstance(answered, bool):
        raise InvalidInput("answered must be true or false.", "invalid_answered")
    msg_id = data.get("client_msg_id")
    fields = {**data, "via": FLOOR, "client_id": f"floor-{msg_id}"[:64]}
    if isinstance(msg_id, str):
        existing = _by_client_msg_id(session, event, msg_id)
        if existing is not None:
            return _resent(existing, fields["client_id"]), False
    draft = parse_submission(fields, limits, theme_keys, origins=(FLOOR,))
    return _store(session, event, draft, ANSWERED if answered else APPROVED, clock)


def _store(
    session: Session, event: Event, draft: Draft, status: str, clock: Clock, flag: str | None = None
) -> tuple[Question, bool]:
    recent = session.execute(_NEWEST_OF_THEME, {"event_id": event.id, "theme": draft.theme}).all()
    match = similarity.best_match(
        draft.text, [(r.id, r.text) for r in recent if r.status not in CLOSED]
    )
    now = clock()
    values = dict(
        event_id=event.id,
        client_id=draft.client_id,
        client_msg_id=draft.client_msg_id,
        text=draft.text,
        theme=draft.theme,
        via=draft.via,
        name=draft.name,
        affiliation=draft.affiliation,
        status=status,
        flag=flag,
        similar_to_id=match[0] if match else None,
        similarity=match[1] if match else None,
        starred=False,
        votes=0,
        created_ms=now,
        updated_ms=now,
        approved_ms=None if status == PENDING else now,
        answered_ms=now if status == ANSWERED else None,
        live_ms=None,
        status_before_dismiss=None,
        original_text=None,
        edited_ms=None,
        merged_into_id=None,
        queue_position=None,
        version=1,
    )
    try:
        # A plain INSERT built once: a burst of submissions pays for no unit-of-work bookkeeping
        # and no statement construction.
        question_id = session.execute(_INSERT_QUESTION, values).scalar_one()
        session.commit()
    except IntegrityError:
        # The same message arrived twice at once; the other copy won, return it.
        session.rollback()
        existing = _by_client_msg_id(session, event, draft.client_msg_id)
        if existing is None:
            raise
        return _resent(existing, draft.client_id), False
    question = Question(id=question_id, **values)
    # Known to be stored as it is: attach it to the session without reading it back.
    make_transient_to_detached(question)
    session.add(question)
    return question, True


# The statements of the submission path, built once (a burst pays only for executing them).
_INSERT_QUESTION = insert(Question).returning(Question.id)
_SENT_SINCE = select(func.count()).where(
    Question.event_id == bindparam("event_id"),
    Question.client_id == bindparam("client_id"),
    Question.created_ms > bindparam("since"),
)
# The theme's newest questions, straight off the (event_id, theme, id) index: no sort.
_NEWEST_OF_THEME = (
    select(Question.id, Question.text, Question.status)
    .where(Question.event_id == bindparam("event_id"), Question.theme == bindparam("theme"))
    .order_by(Question.id.desc())
    .limit(SIMILARITY_WINDOW)
)


def _by_client_msg_id(session: Session, event: Event, client_msg_id: str) -> Question | None:
    return session.scalar(
        select(Question).where(
            Question.event_id == event.id, Question.client_msg_id == client_msg_id
        )
    )


def _resent(question: Question, client_id: str) -> Question:
    if question.client_id != client_id:
        raise Conflict(
            "This client_msg_id was already used by someone else; generate a new one.",
            "client_msg_id_taken",
        )
    return question


def get_question(session: Session, event: Event, question_id: object) -> Question:
    """The event's question with this id, or ``NotFound``."""
    if isinstance(question_id, str) and question_id.isdigit():
        question_id = int(question_id)
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise InvalidInput("The question id must be a whole number.", "invalid_id")
    question = session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise NotFound(f"There is no question {question_id} in this event.", "unknown_question")
    return question


# action -> (statuses it applies to, status it leads to; None means computed)
_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "approve": (frozenset({PENDING, DISMISSED}), APPROVED),
    "dismiss": (frozenset({PENDING, APPROVED, LIVE}), DISMISSED),
    "restore": (frozenset({DISMISSED, ANSWERED}), None),
    "live": (frozenset({PENDING, APPROVED, ANSWERED}), LIVE),
    "unlive": (frozenset({LIVE}), APPROVED),
    "answered": (frozenset({APPROVED, LIVE}), ANSWERED),
}
# Actions that change a question without moving it between states; each takes a body.
_EDITS = ("star", "unstar", "edit", "retag", "queue", "unqueue", "merge")
ACTIONS = (*_TRANSITIONS, *_EDITS)

_REFUSALS = {
    PENDING: "is still awaiting review",
    APPROVED: "is already approved",
    LIVE: "is on screen",
    ANSWERED: "is already answered",
    DISMISSED: "is dismissed; restore it first",
    MERGED: "was merged into another question",
}


def apply_action(
    session: Session,
    event: Event,
    question_id: object,
    action: object,
    clock: Clock,
    body: dict | None = None,
    limits: Limits | None = None,
    theme_keys: tuple[str, ...] = (),
) -> list[Change]:
    """Carry out a moderator's action on a question; return every question it changed.

    Putting a question live takes the previous live one off screen (back to approved). ``body``
    carries ``text`` (edit), ``theme`` (retag) or ``into`` (merge).
    """
    if action not in ACTIONS:
        raise InvalidInput(
            f"Unknown action {action!r}; use one of: {', '.join(ACTIONS)}.", "unknown_action"
        )
    body = body or {}
    question = get_question(session, event, question_id)
    now = clock()
    was_public = question.status in PUBLIC_STATUSES
    if question.status == MERGED:
        raise Conflict(f"Question {question.id} {_REFUSALS[MERGED]}.", "wrong_status")
    changes: list[Change] = []
    if action in _EDITS:
        changes += _edit(session, event, question, action, body, limits, theme_keys, now)
    else:
        allowed, target = _TRANSITIONS[action]
        if question.status not in allowed:
            raise Conflict(f"Question {question.id} {_REFUSALS[question.status]}.", "wrong_status")
        if action == "live":
            current = session.scalar(
                select(Question).where(Question.event_id == event.id, Question.status == LIVE)
            )
            if current is not None:
                current.status = APPROVED
                current.updated_ms = now
                changes.append(Change(current, True))
                _flush(session, current)
        if target is None:  # restore
            target = (
                (question.status_before_dismiss or PENDING)
                if question.status == DISMISSED
                else APPROVED
            )
        if target == DISMISSED:
            question.status_before_dismiss = (
                APPROVED if question.status == LIVE else question.status
            )
        question.status = target
        if target != APPROVED:
            question.queue_position = None  # "up next" holds approved questions only
        if target == APPROVED and question.approved_ms is None:
            question.approved_ms = now
        elif target == LIVE:
            question.live_ms = now
            question.approved_ms = question.approved_ms or now
        elif target == ANSWERED:
            question.answered_ms = now
    question.updated_ms = now
    changes.append(Change(question, was_public))
    _commit(session, question)
    return changes


def _edit(session, event, question, action, body, limits, theme_keys, now) -> list[Change]:
    if action in ("star", "unstar"):
        question.starred = action == "star"
    elif action == "edit":
        text = check_text(body.get("text"), limits or Limits())
        if text != question.text:
            if question.original_text is None:
                question.original_text = question.text
            question.text = text
            question.edited_ms = now
    elif action == "retag":
        question.theme = check_theme(body.get("theme"), theme_keys)
    elif action == "queue":
        if question.status != APPROVED:
            raise Conflict(
                f"Only approved questions go in the up-next list; question {question.id} "
                f"{_REFUSALS.get(question.status, 'is ' + question.status)}.",
                "wrong_status",
            )
        if question.queue_position is None:
            last = session.scalar(
                select(func.max(Question.queue_position)).where(Question.event_id == event.id)
            )
            question.queue_position = (last or 0) + 1
    elif action == "unqueue":
        question.queue_position = None
    else:
        return _merge(session, event, question, body.get("into"), now)
    return []


def _merge(session: Session, event: Event, source: Question, into: object, now: int) -> list:
    """Fold ``source`` into the question ``into``: votes combined (a person who voted for both
    counts once), the asker told where theirs went."""
    if into is None:
        raise InvalidInput('Say which question to merge into: {"into": id}.', "missing_into")
    target = get_question(session, event, into)
    if target.id == source.id:
        raise InvalidInput("A question cannot be merged into itself.", "merge_into_itself")
    if target.status == MERGED:
        raise Conflict(
            f"Question {target.id} was itself merged into question {target.merged_into_id}; "
            f"merge into that one.",
            "merge_cycle",
        )
    if target.status == DISMISSED:
        raise Conflict(f"Question {target.id} is dismissed; restore it first.", "wrong_status")
    if source.status == LIVE:
        raise Conflict(
            f"Question {source.id} is on screen; take it off screen before merging it.",
            "wrong_status",
        )
    target_voters = select(Vote.client_id).where(Vote.question_id == target.id)
    session.execute(
        update(Vote)
        .where(Vote.question_id == source.id, Vote.client_id.not_in(target_voters))
        .values(question_id=target.id)
    )
    session.execute(Vote.__table__.delete().where(Vote.question_id == source.id))
    target.votes = session.scalar(select(func.count()).where(Vote.question_id == target.id))
    source.votes = 0
    source.status = MERGED
    source.merged_into_id = target.id
    source.queue_position = None
    target.updated_ms = now
    return [Change(target, target.status in PUBLIC_STATUSES)]


def reorder_queue(session: Session, event: Event, order: object, clock: Clock) -> list[Change]:
    """Set the order of the up-next list. ``order`` must hold exactly the ids now in it, so a
    moderator working from a stale list is told instead of silently undoing another's change."""
    if not isinstance(order, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in order
    ):
        raise InvalidInput("order must be a list of question ids.", "invalid_order")
    queued = list(
        session.scalars(
            select(Question).where(
                Question.event_id == event.id, Question.queue_position.is_not(None)
            )
        )
    )
    if len(order) != len(set(order)) or set(order) != {q.id for q in queued}:
        raise Conflict(
            "The up-next list changed meanwhile; it has been reloaded, please reorder again.",
            "stale_order",
        )
    by_id = {q.id: q for q in queued}
    now = clock()
    changes = []
    for position, question_id in enumerate(order, start=1):
        question = by_id[question_id]
        if question.queue_position != position:
            question.queue_position = position
            question.updated_ms = now
            changes.append(Change(question, question.status in PUBLIC_STATUSES))
    _commit(session, *(c.question for c in changes))
    return changes


def _flush(session: Session, *questions: Question) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _changed_meanwhile(questions) from None


def _commit(session: Session, *questions: Question) -> None:
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise _changed_meanwhile(questions) from None
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "Another question was put on screen at the same moment; try again.", "live_taken"
        ) from None


def _changed_meanwhile(questions) -> Conflict:
    ids = ", ".join(str(q.id) for q in questions)
    return Conflict(
        f"Another moderator changed question {ids} at the same moment; yours was not applied. "
        f"Your screen shows the latest.",
        "question_changed",
    )


def public_questions(session: Session, event: Event) -> list[Question]:
    """What every attendee may see: approved, live and answered questions, oldest first."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.status.in_(PUBLIC_STATUSES))
            .order_by(Question.id)
        )
    )


def all_questions(session: Session, event: Event) -> list[Question]:
    """Every question of the event, for moderators, oldest first."""
    return list(
        session.scalars(select(Question).where(Question.event_id == event.id).order_by(Question.id))
    )


def questions_of(session: Session, event: Event, client_id: object) -> list[Question]:
    """The questions one attendee sent, whatever their status."""
    client_id = check_client_id(client_id)
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.client_id == client_id)
            .order_by(Question.id)
        )
    )


def similar_public(
    session: Session, event: Event, text: object, limit: int = 3
) -> list[tuple[Question, int]]:
    """Published questions like ``text``, for an attendee to upvote instead of repeating."""
    if not isinstance(text, str):
        raise InvalidInput("text must be text.", "invalid_text")
    candidates = public_questions(session, event)
    by_id = {q.id: q for q in candidates if q.status != ANSWERED}
    found = similarity.ranked(text[:1000], ((q.id, q.text) for q in by_id.values()), limit)
    return [(by_id[i], score) for i, score in found]


def public_view(question: Question) -> dict:
    """The question as attendees and room screens see it."""
    return {
        "id": question.id,
        "text": question.text,
        "theme": question.theme,
        "via": question.via,
        "name": question.name,
        "affiliation": question.affiliation,
        "status": question.status,
        "votes": question.votes,
        "created_ms": question.created_ms,
    }


def owner_view(question: Question) -> dict:
    """The question as its author sees it in "My questions", with its client_msg_id and, once
    merged, the question it was merged into."""
    return {
        **public_view(question),
        "client_msg_id": question.client_msg_id,
        "merged_into_id": question.merged_into_id,
    }


def moderator_view(question: Question) -> dict:
    """Everything a moderator needs about a question (never the author's client id)."""
    return {
        **public_view(question),
        "starred": question.starred,
        "original_text": question.original_text,
        "edited_ms": question.edited_ms,
        "merged_into_id": question.merged_into_id,
        "queue_position": question.queue_position,
        "flag": question.flag,
        "similar_to_id": question.similar_to_id,
        "similarity": question.similarity,
        "updated_ms": question.updated_ms,
        "approved_ms": question.approved_ms,
        "live_ms": question.live_ms,
        "answered_ms": question.answered_ms,
        "version": question.version,
    }
