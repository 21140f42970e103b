"""The stored state: events, questions and votes. Times are integer milliseconds since the epoch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from moderator.core.event_file import EventDefinition


class Base(DeclarativeBase):
    pass


class Event(Base):
    """An event hosted under a short code; its agenda and themes come from its event file."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # ``EventDefinition.to_dict()``, as JSON; the core reads it typed, through ``spec``.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    premoderation: Mapped[bool] = mapped_column(default=True)
    # The theme the panel is on now; the moderator's queue highlights it.
    current_theme: Mapped[str | None] = mapped_column(String(32))
    # Words that send a question to review even when pre-moderation is off.
    word_filter: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    # Raised by every edit of the definition or of a setting it holds; an edit that carries an
    # older one is refused (two organisers editing at once get a conflict, not an overwrite).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Archived events leave the organiser's lists of upcoming and past events; nothing else.
    archived_ms: Mapped[int | None] = mapped_column(BigInteger)
    # When askers' names and affiliations were last erased (``core/privacy.py``).
    names_erased_ms: Mapped[int | None] = mapped_column(BigInteger)

    @property
    def spec(self) -> EventDefinition:
        """The stored definition, typed: agenda, themes, panelists, with the file's defaults.

        Built once per loaded ``definition``: assigning a new one (or reloading it after an
        expiry) builds it again. The cache holds the dict it was built from and compares by
        identity, so a new dict can never be mistaken for the old one.
        """
        definition = self.definition
        cached: tuple[dict[str, Any], EventDefinition] | None = self.__dict__.get("_spec")
        if cached is None or cached[0] is not definition:
            cached = (definition, EventDefinition.from_dict(definition))
            self.__dict__["_spec"] = cached
        return cached[1]


class Question(Base):
    """One attendee question and where it is in moderation."""

    __tablename__ = "questions"
    __table_args__ = (
        # A resend after a reconnect carries the same client_msg_id and must not create a copy.
        UniqueConstraint("event_id", "client_msg_id", name="uq_questions_event_client_msg"),
        Index("ix_questions_event_status", "event_id", "status"),
        Index("ix_questions_event_client", "event_id", "client_id"),
        # A theme's newest questions, in order, with no sort (near-duplicates on arrival).
        Index("ix_questions_event_theme_newest", "event_id", "theme", "id"),
        # At most one question per event is on screen, enforced by the database so that two
        # moderators acting at once cannot both win.
        Index(
            "uq_questions_one_live",
            "event_id",
            unique=True,
            sqlite_where=text("status = 'live'"),
            postgresql_where=text("status = 'live'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    client_msg_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    theme: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(String(200))
    affiliation: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    # The status a dismissed question returns to when restored.
    status_before_dismiss: Mapped[str | None] = mapped_column(String(12))
    starred: Mapped[bool] = mapped_column(default=False)
    votes: Mapped[int] = mapped_column(default=0)
    # How many times ``votes`` changed. Votes are written by plain UPDATEs that leave
    # ``version`` alone (a vote must not refuse a moderator's edit); the public version is the
    # sum of both (``core.questions.public_version``).
    votes_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set on the first edit, so moderators can always see what the attendee wrote.
    original_text: Mapped[str | None] = mapped_column(Text)
    edited_ms: Mapped[int | None] = mapped_column(BigInteger)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    # Place in the moderator's "up next" list; None when not in it.
    queue_position: Mapped[int | None]
    # Why it waits for review although pre-moderation is off (the word filter).
    flag: Mapped[str | None] = mapped_column(String(120))
    similar_to_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    similarity: Mapped[int | None]
    created_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    approved_ms: Mapped[int | None] = mapped_column(BigInteger)
    live_ms: Mapped[int | None] = mapped_column(BigInteger)
    answered_ms: Mapped[int | None] = mapped_column(BigInteger)
    # Which of its theme's guiding questions the moderator linked it to (an index into the
    # theme's ``questions``), for the session report; None when not linked.
    guiding_question: Mapped[int | None] = mapped_column(default=None)
    # Two moderators changing one question at once: the second write is refused, not merged.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Vote(Base):
    """One attendee's upvote of one question."""

    __tablename__ = "votes"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Whether the voter follows from the room or online, so votes can be split by origin.
    via: Mapped[str] = mapped_column(String(8), default="online")
    created_ms: Mapped[int] = mapped_column(BigInteger)


class Timer(Base):
    """The event's agenda countdown, stored as timestamps so that a restart resumes it exactly.

    Remaining time is never stored: it is derived from ``started_ms`` (when the current run
    began), ``elapsed_ms`` (time run before that) and ``added_ms`` (time added or removed).
    """

    __tablename__ = "timers"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    segment_index: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(8), default="idle")
    started_ms: Mapped[int | None] = mapped_column(BigInteger)
    elapsed_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    added_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    auto_advance: Mapped[bool] = mapped_column(default=False)
    # When each segment last started counting (None until it has), for schedule drift.
    actual_starts: Mapped[list[int | None]] = mapped_column(JSON, default=list)
    # The first start of the session: anchors the planned schedule on rehearsal days.
    session_started_ms: Mapped[int | None] = mapped_column(BigInteger)
    # How long each segment's countdown ran before the clock left it, by segment id, summed
    # over its runs (pauses excluded): the report's "actual" beside the plan.
    segment_run_ms: Mapped[dict[str, int] | None] = mapped_column(JSON, default=None)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
    # Two moderators (or two processes auto-advancing) acting at once: the second write fails.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Display(Base):
    """What the room screens and stage monitors show besides the timer: blackout, messages."""

    __tablename__ = "displays"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    blackout: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str | None] = mapped_column(String(200))
    message_ms: Mapped[int | None] = mapped_column(BigInteger)
    flash_ms: Mapped[int | None] = mapped_column(BigInteger)
    # Whether stage monitors show who has the floor and for how long (off by default).
    speaker_time: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class Screen(Base):
    """A room screen or stage monitor, with the clock offset and round trip it measured.

    ``screen_id`` is issued by the server. An unpaired screen (a page that is showing its
    ``pairing_code``) is not listed; pairing stores the name the moderator gave and the hash of
    the secret token the screen presents from then on."""

    __tablename__ = "screens"
    __table_args__ = (
        UniqueConstraint("event_id", "screen_id", name="uq_screens_event_screen"),
        UniqueConstraint("token_hash", name="uq_screens_token_hash"),
        Index("ix_screens_event_pairing_code", "event_id", "pairing_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    screen_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(60))
    offset_ms: Mapped[float | None]
    rtt_ms: Mapped[float | None]
    connected: Mapped[bool] = mapped_column(default=True)
    first_seen_ms: Mapped[int] = mapped_column(BigInteger)
    last_seen_ms: Mapped[int] = mapped_column(BigInteger)
    paired: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    token_hash: Mapped[str | None] = mapped_column(String(64))
    pairing_code: Mapped[str | None] = mapped_column(String(12))
    code_expires_ms: Mapped[int | None] = mapped_column(BigInteger)


class Login(Base):
    """One browser login: with the administrator's token, or with an invitation's (then
    ``invitation_id`` says which). Logging out revokes it, and so does revoking its invitation;
    either ends every dashboard opened with it, on every process."""

    __tablename__ = "logins"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    revoked_ms: Mapped[int | None] = mapped_column(BigInteger)
    invitation_id: Mapped[str | None] = mapped_column(String(16))


class Invitation(Base):
    """Access to one event with one role (moderator, timekeeper, screens), given as a link.

    Only a hash of the secret token is stored; the link is shown once, when it is made."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_event", "event_id"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    # Who made it (the label of their access: "administrator", or an invitation's label).
    created_by: Mapped[str] = mapped_column(String(80))
    revoked_ms: Mapped[int | None] = mapped_column(BigInteger)


class AuditEntry(Base):
    """One action by the administrator, a moderator or a timekeeper: who, what, when."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_event_id", "event_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    at_ms: Mapped[int] = mapped_column(BigInteger)
    # The label of the access used ("administrator", or the invitation's label) and its role.
    who: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))
    # The action's registry name (``moderator/actions``), and what it was given, shortened.
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SpeakingInterval(Base):
    """Who had the floor from ``started_ms`` to ``ended_ms`` (None while they still have it).

    At most one interval per event is open, enforced by the database, so two timekeepers switching
    at once cannot leave two people speaking. ``speaker`` is an id of ``core/speaking.py``
    (a panelist, an agenda speaker, the moderator or the audience) and ``name`` what it was
    called then, so that the report still names someone the agenda no longer lists."""

    __tablename__ = "speaking_intervals"
    __table_args__ = (
        Index("ix_speaking_intervals_event_started", "event_id", "started_ms"),
        Index(
            "uq_speaking_intervals_one_open",
            "event_id",
            unique=True,
            sqlite_where=text("ended_ms IS NULL"),
            postgresql_where=text("ended_ms IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    speaker: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    started_ms: Mapped[int] = mapped_column(BigInteger)
    ended_ms: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # When someone last corrected it after the fact (a forgotten switch), else None.
    corrected_ms: Mapped[int | None] = mapped_column(BigInteger, default=None)


class Attendee(Base):
    """An attendee identity the server issued, with a keyed hash of the address it came from,
    so that new identities can be limited per address (on every process)."""

    __tablename__ = "attendees"
    __table_args__ = (Index("ix_attendees_address_created", "address", "created_ms"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(32))
    created_ms: Mapped[int] = mapped_column(BigInteger)
