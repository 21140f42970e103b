"""HTTP views. Every action of the registry (``moderator/actions``) gets its route here, as a
codec: the JSON body (or the query string of a GET) and the URL's variables in, the action's
reply and status out. The rest are read-only views."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from moderator import actions, identity, locale, room_pass, runtime
from moderator.actions import Action, Actor, ScreenIdentity
from moderator.addresses import public_base_url
from moderator.api import bp
from moderator.auth import has_right, request_credential, requires
from moderator.core import audit, events, questions, report, screens, speaking, timer, votes
from moderator.core.access import Right
from moderator.core.errors import N_, InvalidInput
from moderator.core.event_file import export_toml
from moderator.core.languages import LANGUAGES
from moderator.core.questions import ATTENDEE_ORIGINS, check_client_id
from moderator.health import report as health_report
from moderator.models import Event
from moderator.web import report_page


def _body() -> dict[str, Any]:
    if request.method == "GET":
        return request.args.to_dict()
    if not request.get_data():
        return {}
    if request.mimetype in TOML_TYPES:
        # An event file itself (an upload, a tool): its version, if any, in the query string.
        try:
            text = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(N_("An event file must be UTF-8 text."), "invalid_toml") from None
        return {"toml": text, **request.args.to_dict()}
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: malformed like any other
        data = None
    if not isinstance(data, dict):
        raise InvalidInput(
            N_("Send a JSON object with 'Content-Type: application/json'."), "invalid_body"
        )
    return data


TOML_TYPES = ("application/toml", "text/toml", "text/x-toml")


def _actor(body: dict[str, Any], code: str) -> Actor:
    """Who sends this request: a moderator's credential (header or session), and the attendee
    or screen identity the body gives. ``via: "room"`` counts only with a valid room pass (the
    ``room`` cookie, or ``room_pass`` in the body); otherwise the request is ``online``."""
    client_id = body.get("client_id")
    via = body.get("via", "online")
    if via not in ATTENDEE_ORIGINS:
        raise InvalidInput(N_("via must be 'online' or 'room'."), "invalid_via")
    via = room_pass.origin(code, via, body.get("room_pass"))
    screen = None
    # A screen says which it is with its kind (a moderator's body may name a screen_id too);
    # what it may do is then decided by its token (``moderator/core/screens.py``).
    if body.get("screen_id") is not None and body.get("kind") is not None:
        kind, label = body.get("kind"), body.get("label")
        if kind not in screens.KINDS:
            raise InvalidInput(N_("kind must be 'screen' or 'stage'."), "invalid_kind")
        if label is not None and not isinstance(label, str):
            raise InvalidInput(N_("label must be text."), "invalid_label")
        screen = ScreenIdentity(check_client_id(body["screen_id"], "screen_id"), kind, label)
    credential, problem = request_credential()
    attendee, identity_problem = identity.resolve(
        None if client_id is None else check_client_id(client_id)
    )
    return Actor(
        credential=credential,
        credential_problem=problem,
        client_id=attendee,
        identity_problem=identity_problem,
        via=via,
        screen=screen,
        address=identity.address(),
    )


def _route(group: list[Action]) -> Callable[..., ResponseReturnValue]:
    # The event-file actions take a whole file: a larger body than the others.
    whole_files = any(action.command is dict for action in group)

    def view(code: str = "", **url_values: Any) -> ResponseReturnValue:
        if whole_files:
            request.max_content_length = current_app.config["EVENT_FILE_MAX_BYTES"]
        body = _body()
        data = {**body, **url_values}
        result = actions.perform(actions.choose(group, data), _actor(body, code), code, data)
        return jsonify(result.reply), result.status

    return view


for _index, ((_method, _rule), _group) in enumerate(actions.by_route().items()):
    bp.add_url_rule(_rule, endpoint=f"action_{_index}", view_func=_route(_group), methods=[_method])


# --- Read-only views -------------------------------------------------------------------------


@bp.get("/events/<code>")
def get_event(code: str) -> ResponseReturnValue:
    """One event with its themes (guiding questions) and segments, and its ``version``; for
    whoever may edit it, also ``file``: the JSON form of its event file, which ``PUT`` takes."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        body = {**events.event_view(event), "version": event.version}
        if has_right(Right.MODERATOR, code):
            body["file"] = events.file_form(event)
        return jsonify(body)


@bp.get("/events/<code>/event.toml")
@requires(Right.MODERATOR)
def export_event_file(code: str) -> ResponseReturnValue:
    """The event file (TOML) of the event as it is now; importing it gives the same event."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        text = export_toml(events.current_definition(event))
        version = event.version
    return Response(
        text,
        mimetype="application/toml",
        headers={
            "Content-Disposition": f'attachment; filename="{code}.toml"',
            "ETag": f'"{version}"',
        },
    )


@bp.get("/events/<code>/questions")
def list_questions(code: str) -> ResponseReturnValue:
    """Published questions; every question for a moderator; ``?client_id=`` adds one's own."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        body: dict[str, Any]
        if has_right(Right.QUEUE, code):
            body = {
                "questions": [
                    questions.moderator_view(q) for q in questions.all_questions(session, event)
                ]
            }
        else:
            published = runtime.public_questions().get(session, event, clock=runtime.clock())
            body = {"questions": list(published.views)}
        client_id = request.args.get("client_id")
        attendee = identity.peek(None if client_id is None else check_client_id(client_id))
        if attendee is not None:
            mine = questions.questions_of(session, event, attendee)
            body["mine"] = [questions.owner_view(q) for q in mine]
        return jsonify(body)


EXPORT_FIELDS = (
    "id",
    "status",
    "theme",
    "via",
    "text",
    "original_text",
    "name",
    "affiliation",
    "votes",
    "votes_room",
    "votes_online",
    "starred",
    "queue_position",
    "merged_into_id",
    "similar_to_id",
    "flag",
    "guiding_question",
    "created_ms",
    "approved_ms",
    "live_ms",
    "answered_ms",
    "edited_ms",
    "updated_ms",
)


def _export_rows(session: Session, event: Event) -> list[dict[str, Any]]:
    split = votes.split_by_origin(session, event)
    return [
        {
            **questions.moderator_view(q),
            "votes_room": split.get(q.id, {}).get("room", 0),
            "votes_online": split.get(q.id, {}).get("online", 0),
        }
        for q in questions.all_questions(session, event)
    ]


# A cell starting with one of these is a formula to a spreadsheet (tab and carriage return too,
# which some strip before looking); a leading ' makes it text.
_FORMULA_STARTS = frozenset("=+-@\t\r")


def _spreadsheet_safe(value: Any) -> Any:
    """``value`` for a CSV cell that a spreadsheet shows as text, never runs."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


@bp.get("/events/<code>/export.json")
@requires(Right.MODERATOR)
def export_json(code: str) -> ResponseReturnValue:
    """Every question of the event with its votes by origin, edits and merges, the
    organisers' audit trail and the speaking intervals, as JSON."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        trail = audit.recent(session, event, limit=100_000)
        return jsonify(
            {
                "event": events.event_view(event),
                "questions": _export_rows(session, event),
                "audit": [audit.entry_view(entry) for entry in reversed(trail)],
                "speaking": [
                    speaking.interval_view(i) for i in speaking.intervals_of(session, event)
                ],
            }
        )


@bp.get("/events/<code>/export.csv")
@requires(Right.MODERATOR)
def export_csv(code: str) -> ResponseReturnValue:
    """The same as CSV (UTF-8 with BOM so spreadsheets read accents)."""
    with runtime.database().session() as session:
        rows = _export_rows(session, events.get_event(session, code))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _spreadsheet_safe(v) for k, v in row.items()})
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{code}-questions.csv"'},
    )


@bp.get("/time")
def server_time() -> ResponseReturnValue:
    """The server's clock in milliseconds, for tools that estimate their offset."""
    return jsonify({"server_ms": runtime.clock()()})


@bp.get("/events/<code>/timer")
def get_timer(code: str) -> ResponseReturnValue:
    """The agenda timer: segment, state, remaining time (negative is overtime), schedule drift."""
    clock = runtime.clock()
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        row = timer.get_timer(session, event, clock=clock)
        return jsonify(timer.timer_view(event, row, now=clock()))


@bp.get("/events/<code>/speaker")
@requires(Right.CLOCK)
def get_speaker(code: str) -> ResponseReturnValue:
    """Who has the floor and since when, the speakers (ids and names), the totals per speaker
    in ms, the balance (shares, targets, groups) and every interval, for corrections."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        return jsonify(speaking.speaking_view(session, event, now=runtime.clock()()))


@bp.get("/events/<code>/report.json")
@requires(Right.MODERATOR)
def report_json(code: str) -> ResponseReturnValue:
    """The session report as data (``docs/API.md``): per theme and guiding question, counts
    by status and origin, votes and the top unanswered questions; the agenda planned against
    actual; speaking time per speaker and group; questions and votes per minute."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        return jsonify(report.build(session, event, clock=runtime.clock()))


@bp.get("/events/<code>/report.md")
@requires(Right.MODERATOR)
def report_markdown(code: str) -> ResponseReturnValue:
    """The session report as a Markdown file to paste into a summary, in ``?lang=`` (one of the
    UI's languages) or else the reader's language (``moderator/locale.py``)."""
    asked = request.args.get("lang")
    if asked is not None and locale.supported(asked) != asked:
        raise InvalidInput(
            N_("There is no report in {lang}; ask for one of: {languages}."),
            "unknown_language",
            lang=repr(asked[:20]),
            languages=", ".join(LANGUAGES),
        )
    lang = locale.current()
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        data = report.build(session, event, clock=runtime.clock())
    return Response(
        report_page.markdown(data, lang),
        content_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{code}-report.{lang}.md"'},
    )


@bp.get("/events/<code>/display")
def get_display(code: str) -> ResponseReturnValue:
    """Blackout, the speakers' message and the last flash."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        display = screens.get_display(session, event, clock=runtime.clock())
        return jsonify(screens.display_view(display))


@bp.get("/events/<code>/screens")
@requires(Right.PAIRING)
def list_screens(code: str) -> ResponseReturnValue:
    """The room screens and stage monitors, with offset, round trip and last contact."""
    with runtime.database().session() as session:
        event = events.get_event(session, code)
        return jsonify(screens.screen_views(session, event))


@bp.get("/events/<code>/room-pass")
@requires(Right.PAIRING)
def get_room_pass(code: str) -> ResponseReturnValue:
    """The link that counts a phone "in the room": ``{"url", "valid_until_ms"}``. With
    ``?printable=1`` the printed pass for today (in the event's time zone), valid until the
    day ends; otherwise the rotating pass the paired room screens show now."""
    with runtime.database().session() as session:
        timezone = events.get_event(session, code).spec.timezone
    if request.args.get("printable") in {"1", "true", "yes"}:
        token, until = room_pass.printed(code, timezone)
    else:
        token, until = room_pass.rotating(code)
    response = jsonify(
        {"url": f"{public_base_url()}/r/{code}?pass={token}", "valid_until_ms": until}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health")
def health() -> ResponseReturnValue:
    """For monitoring, without login: database, message queue, connections, background work;
    503 when the database does not answer (``moderator/health.py``)."""
    status, body = health_report(runtime.current_app_object())
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, status
