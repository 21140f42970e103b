"""HTTP views: parse the request, call the core, hand the result to the fan-out."""

from __future__ import annotations

import csv
import io

from flask import Response, jsonify, request

from moderator import agenda, fanout
from moderator.api import bp
from moderator.auth import is_moderator, moderator_required
from moderator.ballot_box import ballot_box
from moderator.core import events, questions, screens, timer, votes
from moderator.core.errors import InvalidInput
from moderator.extensions import db
from moderator.runtime import clock, limits, snapshots


def _json_object() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(
            "Send a JSON object with 'Content-Type: application/json'.", "invalid_body"
        )
    return data


@bp.get("/events")
def list_events():
    """Every hosted event: code and title."""
    with db.session() as session:
        return jsonify([{"code": e.code, "title": e.title} for e in events.list_events(session)])


@bp.get("/events/<code>")
def get_event(code: str):
    """One event with its themes (guiding questions) and segments."""
    with db.session() as session:
        return jsonify(events.event_view(events.get_event(session, code)))


@bp.patch("/events/<code>")
@moderator_required
def update_event(code: str):
    """Change live settings: ``premoderation``, ``current_theme``, ``word_filter``."""
    data = _json_object()
    with db.session() as session:
        event = events.get_event(session, code)
        events.update_settings(session, event, clock=clock(), **events.settings_from_json(data))
        fanout.settings_changed(code, event)
        return jsonify({**events.event_view(event), **events.settings_view(event)})


@bp.post("/events/<code>/questions")
def submit_question(code: str):
    """An attendee's question; 201 when new, 200 when the same client_msg_id was seen before."""
    data = _json_object()
    with db.session() as session:
        event = snapshots().get(session, code, clock=clock())
        question, created = questions.submit(
            session, event, data, clock(), limits(), event.theme_keys
        )
        if created:
            fanout.question_submitted(code, question)
        return jsonify({"question": questions.owner_view(question)}), 201 if created else 200


@bp.get("/events/<code>/questions")
def list_questions(code: str):
    """Published questions; every question for a moderator; ``?client_id=`` adds one's own."""
    with db.session() as session:
        event = events.get_event(session, code)
        if is_moderator():
            body = {
                "questions": [
                    questions.moderator_view(q) for q in questions.all_questions(session, event)
                ]
            }
        else:
            body = {
                "questions": [
                    questions.public_view(q) for q in questions.public_questions(session, event)
                ]
            }
        client_id = request.args.get("client_id")
        if client_id is not None:
            body["mine"] = [
                questions.owner_view(q) for q in questions.questions_of(session, event, client_id)
            ]
        return jsonify(body)


@bp.post("/events/<code>/questions/<int:question_id>/<action>")
@moderator_required
def act_on_question(code: str, question_id: int, action: str):
    """A moderator's action: approve, dismiss, restore, live, unlive, answered, star, unstar,
    queue, unqueue; edit ``{"text"}``, retag ``{"theme"}``, merge ``{"into": id}``."""
    body = _json_object() if request.get_data() else {}
    with db.session() as session:
        event = events.get_event(session, code)
        changes = questions.apply_action(
            session, event, question_id, action, clock(), body, limits(), events.theme_keys(event)
        )
        fanout.question_changes(code, changes)
        return jsonify({"question": questions.moderator_view(changes[-1].question)})


@bp.post("/events/<code>/queue")
@moderator_required
def reorder_queue(code: str):
    """Reorder the up-next list: ``{"order": [ids]}``, exactly the ids now in it."""
    data = _json_object()
    with db.session() as session:
        event = events.get_event(session, code)
        changes = questions.reorder_queue(session, event, data.get("order"), clock())
        fanout.question_changes(code, changes)
        return jsonify({"order": data["order"]})


@bp.post("/events/<code>/floor")
@moderator_required
def log_floor_question(code: str):
    """Log a question asked at the room's microphone (origin ``floor``)."""
    data = _json_object()
    with db.session() as session:
        event = events.get_event(session, code)
        question, created = questions.log_floor_question(
            session, event, data, clock(), limits(), events.theme_keys(event)
        )
        if created:
            fanout.question_submitted(code, question)
        return jsonify({"question": questions.moderator_view(question)}), 201 if created else 200


@bp.get("/events/<code>/similar")
def similar_questions(code: str):
    """Published questions like ``?text=``, to upvote instead of asking again."""
    with db.session() as session:
        event = events.get_event(session, code)
        found = questions.similar_public(session, event, request.args.get("text", ""))
        return jsonify(
            {"similar": [{**questions.public_view(q), "score": score} for q, score in found]}
        )


@bp.route("/events/<code>/questions/<int:question_id>/vote", methods=["POST", "DELETE"])
def vote(code: str, question_id: int):
    """An attendee's upvote (POST) or taking it back (DELETE): ``{"client_id", "via"?}``."""
    data = _json_object()
    with db.session() as session:
        event = events.get_event(session, code)
        if request.method == "DELETE":
            qid, count = votes.unvote(session, event, question_id, data.get("client_id"))
    if request.method == "POST":
        # Outside the session: no connection is held while the vote waits for its batch.
        ballot = votes.Ballot(question_id, data.get("client_id"), data.get("via", "online"))
        qid, count = ballot_box.cast(event.id, ballot)
    fanout.vote_relay.changed(code, qid)
    return jsonify({"question": {"id": qid, "votes": count}})


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
    "created_ms",
    "approved_ms",
    "live_ms",
    "answered_ms",
    "edited_ms",
    "updated_ms",
)


def _export_rows(session, event) -> list[dict]:
    split = votes.split_by_origin(session, event)
    return [
        {
            **questions.moderator_view(q),
            "votes_room": split.get(q.id, {}).get("room", 0),
            "votes_online": split.get(q.id, {}).get("online", 0),
        }
        for q in questions.all_questions(session, event)
    ]


@bp.get("/events/<code>/export.json")
@moderator_required
def export_json(code: str):
    """Every question of the event with its votes by origin, edits and merges, as JSON."""
    with db.session() as session:
        event = events.get_event(session, code)
        return jsonify(
            {"event": events.event_view(event), "questions": _export_rows(session, event)}
        )


@bp.get("/events/<code>/export.csv")
@moderator_required
def export_csv(code: str):
    """The same as CSV (UTF-8 with BOM so spreadsheets read accents)."""
    with db.session() as session:
        rows = _export_rows(session, events.get_event(session, code))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        # A leading = + - @ would make a spreadsheet run the cell as a formula.
        writer.writerow(
            {k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()}
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{code}-questions.csv"'},
    )


@bp.get("/time")
def server_time():
    """The server's clock in milliseconds, for tools that estimate their offset."""
    return jsonify({"server_ms": clock()()})


@bp.get("/events/<code>/timer")
def get_timer(code: str):
    """The agenda clock: segment, state, remaining time (negative is overtime), schedule drift."""
    with db.session() as session:
        event = events.get_event(session, code)
        row = timer.get_timer(session, event, clock=clock())
        return jsonify(timer.timer_view(event, row, now=clock()()))


@bp.post("/events/<code>/timer")
@moderator_required
def drive_timer(code: str):
    """A clock command: ``{"action", "seconds", "index"}``; replies with the new state."""
    data = _json_object()
    with db.session() as session:
        event = events.get_event(session, code)
        row = timer.apply(session, event, timer.command_from_json(data), clock=clock())
        return jsonify(agenda.publish(code, event, row))


@bp.get("/events/<code>/display")
def get_display(code: str):
    """Blackout, the speakers' message and the last flash."""
    with db.session() as session:
        event = events.get_event(session, code)
        return jsonify(screens.display_view(screens.get_display(session, event, clock())))


@bp.post("/events/<code>/display")
@moderator_required
def drive_display(code: str):
    """A display command: message, clear, flash or blackout."""
    data = _json_object()
    with db.session() as session:
        event = events.get_event(session, code)
        view = screens.display_view(screens.apply_display(session, event, data, clock()))
        fanout.display_changed(code, view)
        return jsonify(view)


@bp.get("/events/<code>/screens")
@moderator_required
def list_screens(code: str):
    """The room screens and stage monitors, with offset, round trip and last contact."""
    with db.session() as session:
        event = events.get_event(session, code)
        return jsonify([screens.screen_view(x) for x in screens.list_screens(session, event)])
