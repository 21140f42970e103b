"""Room screens and stage monitors: what they show besides the clock (blackout, messages to the
speakers, flash), their pairing (a page counts as a screen only once a moderator has accepted
the code it shows) and which of them are connected, with their measured clock offset."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator.core.clock import Clock
from moderator.core.errors import N_, NP_, Forbidden, InvalidInput, NotFound
from moderator.models import Display, Event, Screen

KINDS = ("screen", "stage")
DISPLAY_ACTIONS = ("message", "clear", "flash", "blackout", "speaker_time")
MESSAGE_MAX_LENGTH = 200
LABEL_MAX_LENGTH = 60


def get_display(session: Session, event: Event, *, clock: Clock) -> Display:
    """The event's display settings, created on first use."""
    display = session.get(Display, event.id)
    if display is None:
        display = Display(event_id=event.id, blackout=False, updated_ms=clock())
        session.add(display)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            display = session.get(Display, event.id)
            assert display is not None  # the other writer's row
    return display


def apply_display(
    session: Session,
    event: Event,
    *,
    action: str,
    clock: Clock,
    text: str | None = None,
    on: bool | None = None,
) -> Display:
    """A moderator's command to the screens: ``message`` (with ``text``), ``clear``, ``flash``,
    ``blackout`` (with ``on``), or ``speaker_time`` (with ``on``: stage monitors show the
    current speaker's time)."""
    if action not in DISPLAY_ACTIONS:
        raise InvalidInput(
            N_("Unknown display action {action}; use one of: {options}."),
            "unknown_action",
            action=repr(action),
            options=", ".join(DISPLAY_ACTIONS),
        )
    display = get_display(session, event, clock=clock)
    now = clock()
    if action == "message":
        if text is None or not text.strip():
            raise InvalidInput(N_("Write the message for the speakers."), "empty_text")
        text = " ".join(text.split())
        if len(text) > MESSAGE_MAX_LENGTH:
            raise InvalidInput(
                NP_(
                    "The message is {n} character long; the limit is {limit}.",
                    "The message is {n} characters long; the limit is {limit}.",
                ),
                "text_too_long",
                n=len(text),
                limit=MESSAGE_MAX_LENGTH,
            )
        display.message, display.message_ms = text, now
    elif action == "clear":
        display.message, display.message_ms = None, now
    elif action == "flash":
        display.flash_ms = now
    else:
        if on is None:
            raise InvalidInput(N_("on must be true or false."), "invalid_on")
        if action == "blackout":
            display.blackout = on
        else:
            display.speaker_time = on
    display.updated_ms = now
    session.commit()
    return display


def display_view(display: Display) -> dict[str, Any]:
    """Blackout, the message to the speakers and when the last flash was asked for."""
    return {
        "blackout": display.blackout,
        "message": display.message,
        "message_ms": display.message_ms,
        "flash_ms": display.flash_ms,
        "speaker_time": display.speaker_time,
    }


# --- Pairing -------------------------------------------------------------------------------------

# No 0/O, 1/I/L: read from across a room and typed on a laptop.
PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CODE_LENGTH = 6
PAIRING_CODE_MS = 10 * 60_000
# Unpaired rows whose page went away without a disconnect (a killed process) are dropped after
# this long without contact; a waiting page renews its code, and its contact, every 10 minutes.
UNPAIRED_FORGOTTEN_MS = 60 * 60_000
TOKEN_MAX_LENGTH = 100


def hash_token(token: str) -> str:
    """What is stored of a screen token: its SHA-256, so a database dump pairs nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_pairing_code(value: str) -> str:
    """A code as typed: case, spaces and dashes do not matter."""
    return "".join(value.split()).replace("-", "").upper()


def check_label(value: str) -> str:
    """A screen's name as the moderator gives it: one line, not empty, within the limit."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
        raise InvalidInput(N_("The name must be plain text on one line."), "invalid_label")
    label = " ".join(value.split())
    if not label:
        raise InvalidInput(N_("Give the screen a name."), "empty_label")
    if len(label) > LABEL_MAX_LENGTH:
        raise InvalidInput(
            NP_(
                "The name is {n} character long; the limit is {limit}.",
                "The name is {n} characters long; the limit is {limit}.",
            ),
            "label_too_long",
            n=len(label),
            limit=LABEL_MAX_LENGTH,
        )
    return label


def _new_code(session: Session, event: Event, now: int) -> str:
    while True:
        code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))
        taken = session.scalar(
            select(Screen.id).where(Screen.event_id == event.id, Screen.pairing_code == code)
        )
        if taken is None:
            return code


def _give_code(session: Session, event: Event, screen: Screen, now: int) -> None:
    screen.pairing_code = _new_code(session, event, now)
    screen.code_expires_ms = now + PAIRING_CODE_MS
    screen.last_seen_ms = now


def waiting_screen(session: Session, event: Event, *, kind: str, clock: Clock) -> Screen:
    """A new unpaired screen, with a server-issued id and a pairing code (not listed)."""
    if kind not in KINDS:
        raise InvalidInput(N_("kind must be 'screen' or 'stage'."), "invalid_kind")
    now = clock()
    session.execute(
        delete(Screen).where(
            Screen.event_id == event.id,
            Screen.paired.is_(False),
            Screen.last_seen_ms < now - UNPAIRED_FORGOTTEN_MS,
        )
    )
    screen = Screen(
        event_id=event.id,
        screen_id=secrets.token_urlsafe(12),
        kind=kind,
        label="",
        connected=True,
        paired=False,
        first_seen_ms=now,
        last_seen_ms=now,
    )
    _give_code(session, event, screen, now)
    session.add(screen)
    session.commit()
    return screen


def paired_by_token(
    session: Session, event: Event, token: object, *, kind: str, clock: Clock
) -> Screen | None:
    """The paired screen whose token this is, marked connected; ``None`` for any other token
    (the page then waits to be paired again)."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    screen = session.scalar(
        select(Screen).where(
            Screen.event_id == event.id,
            Screen.token_hash == hash_token(token),
            Screen.paired.is_(True),
        )
    )
    if screen is None:
        return None
    screen.kind, screen.connected, screen.last_seen_ms = kind, True, clock()
    session.commit()
    return screen


def _find(session: Session, event: Event, screen_id: str) -> Screen | None:
    return session.scalar(
        select(Screen).where(Screen.event_id == event.id, Screen.screen_id == screen_id)
    )


def pairing_state(
    session: Session, event: Event, screen_id: str, *, clock: Clock
) -> dict[str, Any]:
    """What a screen page shows about its pairing: its name once paired, otherwise its code
    (renewed when it has expired)."""
    screen = _find(session, event, screen_id)
    if screen is None:
        raise NotFound(N_("This screen is no longer known; reconnect."), "unknown_screen")
    if screen.paired:
        return {"paired": True, "screen_id": screen.screen_id, "label": screen.label}
    now = clock()
    if screen.pairing_code is None or (screen.code_expires_ms or 0) <= now:
        _give_code(session, event, screen, now)
        session.commit()
    return {
        "paired": False,
        "screen_id": screen.screen_id,
        "code": screen.pairing_code,
        "expires_ms": screen.code_expires_ms,
    }


def pair_screen(
    session: Session, event: Event, *, code: str, label: str, clock: Clock
) -> tuple[Screen, str]:
    """Pair the waiting screen that shows ``code`` under the moderator's ``label``; return it
    and its new secret token (given to the screen only). A code works once, until it expires."""
    label = check_label(label)
    wanted = normalize_pairing_code(code)
    now = clock()
    screen = None
    if len(wanted) == PAIRING_CODE_LENGTH:
        screen = session.scalar(
            select(Screen).where(
                Screen.event_id == event.id,
                Screen.pairing_code == wanted,
                Screen.paired.is_(False),
                Screen.code_expires_ms > now,
            )
        )
    if screen is None:
        raise NotFound(
            N_("No screen is showing this pairing code (codes last 10 minutes and work once)."),
            "unknown_pairing_code",
        )
    token = secrets.token_urlsafe(32)
    screen.paired, screen.label, screen.token_hash = True, label, hash_token(token)
    screen.pairing_code, screen.code_expires_ms, screen.last_seen_ms = None, None, now
    session.commit()
    return screen, token


def _paired(session: Session, event: Event, screen_id: str) -> Screen:
    screen = _find(session, event, screen_id)
    if screen is None or not screen.paired:
        raise NotFound(
            N_("No paired screen {screen_id}."), "unknown_screen", screen_id=repr(screen_id)
        )
    return screen


def rename_screen(session: Session, event: Event, *, screen_id: str, label: str) -> Screen:
    """Give a paired screen another name."""
    label = check_label(label)
    screen = _paired(session, event, screen_id)
    screen.label = label
    session.commit()
    return screen


def remove_screen(session: Session, event: Event, *, screen_id: str, clock: Clock) -> bool:
    """Unlist and unpair a screen: its token no longer works. A connected page waits to be
    paired again (a new code); a disconnected one is forgotten. Whether it was connected."""
    screen = _paired(session, event, screen_id)
    connected = screen.connected
    if connected:
        screen.paired, screen.token_hash, screen.label = False, None, ""
        screen.offset_ms = screen.rtt_ms = None
        _give_code(session, event, screen, clock())
    else:
        session.delete(screen)
    session.commit()
    return connected


def report_screen(
    session: Session,
    event: Event,
    *,
    screen_id: str,
    token: str | None,
    offset_ms: float | None,
    rtt_ms: float | None,
    clock: Clock,
) -> Screen:
    """Record a paired screen's measured clock offset and round trip. The report must carry
    the screen's token: knowing a screen's id is not enough to report as it."""
    measured = {"offset_ms": offset_ms, "rtt_ms": rtt_ms}
    for key, value in measured.items():
        if value is not None and abs(value) > 1e12:
            raise InvalidInput(
                N_("{key} must be a number of milliseconds."), f"invalid_{key}", key=key
            )
    screen = _find(session, event, screen_id)
    if (
        screen is None
        or not screen.paired
        or screen.token_hash is None
        or not isinstance(token, str)
        or len(token) > TOKEN_MAX_LENGTH
        or not hmac.compare_digest(screen.token_hash, hash_token(token))
    ):
        raise Forbidden(
            N_("This screen is not paired: a moderator pairs it with the code it shows."),
            "not_paired",
        )
    screen.connected, screen.last_seen_ms = True, clock()
    if measured["offset_ms"] is not None:
        screen.offset_ms = measured["offset_ms"]
    if measured["rtt_ms"] is not None:
        screen.rtt_ms = measured["rtt_ms"]
    session.commit()
    return screen


def screen_gone(session: Session, event: Event, screen_id: str, *, clock: Clock) -> bool:
    """A screen's page went away: a paired screen stays listed, marked disconnected (so a
    missing screen stands out); an unpaired one is forgotten. Whether the list changed."""
    screen = _find(session, event, screen_id)
    if screen is None:
        return False
    if not screen.paired:
        session.delete(screen)
        session.commit()
        return False
    screen.connected, screen.last_seen_ms = False, clock()
    session.commit()
    return True


def list_screens(session: Session, event: Event) -> list[Screen]:
    """The event's paired screens, first registered first."""
    return list(
        session.scalars(
            select(Screen)
            .where(Screen.event_id == event.id, Screen.paired.is_(True))
            .order_by(Screen.id)
        )
    )


def screen_view(screen: Screen) -> dict[str, Any]:
    """What the moderator's list of screens shows."""
    return {
        "screen_id": screen.screen_id,
        "kind": screen.kind,
        "label": screen.label,
        "offset_ms": screen.offset_ms,
        "rtt_ms": screen.rtt_ms,
        "connected": screen.connected,
        "last_seen_ms": screen.last_seen_ms,
    }


def screen_views(session: Session, event: Event) -> list[dict[str, Any]]:
    """The moderator's list of the event's screens, as every transport sends it."""
    return [screen_view(screen) for screen in list_screens(session, event)]
