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
from moderator.auth import csrf_token
from moderator.core import events
from moderator.core.errors import NotFound
from moderator.core.languages import LANGUAGES
from moderator.web import bp
from moderator.web.messages import workspace_messages


# TEMPORARY until the lead's ``current_credential`` lands in moderator/auth.py.
class Staff:
    is_admin = True

    def may_edit(self, code: str) -> bool:
        return True


def current_staff() -> Staff | None:
    from moderator.auth import has_moderator_session

    return Staff() if has_moderator_session() else None


@functools.cache
def zone_names() -> tuple[str, ...]:
    """The IANA time zones a person would pick (``Europe/Paris``, ``UTC``), sorted; not the
    legacy aliases (``US/Eastern``, ``EST5EDT``) nor the POSIX ones."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if name == "UTC"
            or (
                "/" in name
                and name.split("/", 1)[0]
                in {
                    "Africa",
                    "America",
                    "Antarctica",
                    "Asia",
                    "Atlantic",
                    "Australia",
                    "Europe",
                    "Indian",
                    "Pacific",
                }
            )
        )
    )


def _login_page() -> ResponseReturnValue:
    return render_template(
        "login.html", event=None, next=request.full_path.rstrip("?"), csrf=csrf_token(), error=False
    ), 401


def _event_exists(code: str) -> bool:
    with runtime.database().session() as session:
        try:
            events.get_event(session, code)
        except NotFound:
            return False
    return True


def _editor(staff: Staff, code: str | None) -> ResponseReturnValue:
    return render_template(
        "event_editor.html",
        code=code,
        is_admin=staff.is_admin,
        csrf=csrf_token(),
        event_languages=LANGUAGES,
        zone_names=zone_names(),
        messages=workspace_messages(),
    )


@bp.get("/admin")
def admin() -> ResponseReturnValue:
    """The administrator's list of events: live now, upcoming, past and archived."""
    staff = current_staff()
    if staff is None or not staff.is_admin:
        return _login_page()
    return render_template("workspace.html", csrf=csrf_token(), messages=workspace_messages())


@bp.get("/admin/events/new")
def new_event() -> ResponseReturnValue:
    """The event editor, empty, for the administrator to create an event."""
    staff = current_staff()
    if staff is None or not staff.is_admin:
        return _login_page()
    return _editor(staff, None)


@bp.get("/admin/events/<code>/edit")
def edit_event(code: str) -> ResponseReturnValue:
    """The event editor of ``code``, with its access panel: for the administrator, and for the
    moderator invited to this event (without archive and delete)."""
    staff = current_staff()
    if staff is None or not staff.may_edit(code):
        return _login_page()
    if not _event_exists(code):
        abort(404)
    return _editor(staff, code)
