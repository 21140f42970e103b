"""The organiser's workspace: the administrator's list of events and the event editor, with its
access panel (invitations), recent actions and personal-data box.

The pages are shells: their scripts (``static/js/workspace.js``, ``static/js/event-editor.js``)
read and write everything through the JSON API, so the browser and the tools go through the
same checks. A view only decides who may open the page, and hands the script what it needs to
start: the event's code, the session's CSRF token, the languages and the time zones offered.
"""

from __future__ import annotations

import functools
import zoneinfo

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from moderator import runtime
from moderator.auth import csrf_token, current_credential
from moderator.core import events
from moderator.core.access import Credential, Right
from moderator.core.errors import NotFound
from moderator.core.languages import LANGUAGES
from moderator.web import bp
from moderator.web.messages import workspace_messages

# The areas of the IANA database where places are; the rest are legacy aliases ("US/Eastern",
# "EST5EDT") and POSIX names nobody should pick.
_ZONE_AREAS = frozenset(
    [
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
)


@functools.cache
def zone_names() -> tuple[str, ...]:
    """The time zones a person would pick (``Europe/Paris``, ``UTC``), sorted."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if name == "UTC" or ("/" in name and name.split("/", 1)[0] in _ZONE_AREAS)
        )
    )


def _refused(credential: Credential | None) -> ResponseReturnValue:
    """The login form, as the dashboard gives it: 401 without any access, 403 with an access
    that does not reach this page (a timekeeper's, another event's moderator's)."""
    return render_template(
        "login.html",
        event=None,
        next=request.full_path.rstrip("?"),
        csrf=csrf_token(),
        error=False,
    ), 401 if credential is None else 403


def _event_exists(code: str) -> bool:
    with runtime.database().session() as session:
        try:
            events.get_event(session, code)
        except NotFound:
            return False
    return True


def _editor(credential: Credential, code: str | None) -> ResponseReturnValue:
    return render_template(
        "event_editor.html",
        code=code,
        is_admin=credential.allows(Right.ADMIN, code),
        csrf=csrf_token(),
        event_languages=LANGUAGES,
        zone_names=zone_names(),
        messages=workspace_messages(),
    )


@bp.get("/admin")
def admin() -> ResponseReturnValue:
    """The administrator's list of events: live now, upcoming, past and archived."""
    credential = current_credential()
    if credential is None or not credential.allows(Right.ADMIN, None):
        return _refused(credential)
    return render_template("workspace.html", csrf=csrf_token(), messages=workspace_messages())


@bp.get("/admin/events/new")
def new_event() -> ResponseReturnValue:
    """The event editor, empty, for the administrator to create an event."""
    credential = current_credential()
    if credential is None or not credential.allows(Right.ADMIN, None):
        return _refused(credential)
    return _editor(credential, None)


@bp.get("/admin/events/<code>/edit")
def edit_event(code: str) -> ResponseReturnValue:
    """The event editor of ``code``, with its access panel: for whoever holds the moderator's
    right on it (the administrator, the moderator invited to this event), archive and delete
    for the administrator only."""
    credential = current_credential()
    if credential is None or not credential.allows(Right.MODERATOR, code):
        return _refused(credential)
    if not _event_exists(code):
        abort(404)
    return _editor(credential, code)
