"""Page views; the pages then talk to the server over Socket.IO."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import segno
from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from moderator import fanout, identity, locale, room_pass, runtime
from moderator.addresses import is_loopback, public_base_url
from moderator.auth import (
    cross_site_request,
    csrf_token,
    csrf_valid,
    log_in,
    log_out,
    session_credential,
)
from moderator.core import events, report
from moderator.core.access import Right
from moderator.core.errors import NotFound, TooMany
from moderator.core.languages import localized
from moderator.health import note_http_refusal
from moderator.web import bp
from moderator.web.dates import EventTime, event_time
from moderator.web.messages import (
    attendee_messages,
    moderator_messages,
    stage_messages,
    time_messages,
)
from moderator.web.report_page import page_view


def _event_or_404(code: str) -> dict[str, Any]:
    """The event as ``events.event_view`` gives it (its ``language`` included), or a 404."""
    with runtime.database().session() as session:
        try:
            view = events.event_view(events.get_event(session, code))
        except NotFound:
            abort(404)
    # The page's language falls back to the event's own (``moderator/locale.py``).
    g.event_language = view.get("language")
    return view


def _in_page_language(event: dict[str, Any]) -> dict[str, Any]:
    """The event's texts (title, segments, themes, guiding questions) in the page's language where
    the event file gives them; see ``events.localized_view``."""
    return events.localized_view(event, locale.current())


@bp.app_template_global()
def lang_attr(text_lang: str) -> Markup:
    """` lang="es"` for an element whose text is not in the page's language, else nothing."""
    if text_lang == locale.current():
        return Markup("")
    return Markup(' lang="{}"').format(text_lang)


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG."""
    return Markup(
        segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff", omitsize=True)
    )


@bp.get("/")
def index() -> ResponseReturnValue:
    """The hosted events, with links to each page."""
    lang = locale.current()
    hosted = []
    with runtime.database().session() as session:
        for event in events.list_events(session):
            spec = event.spec
            title, title_lang = localized(spec.title, spec.title_translations, lang, spec.language)
            hosted.append(
                {
                    "code": event.code,
                    "title": title,
                    "title_lang": title_lang,
                    "when": event_time(spec.date, spec.start, spec.timezone),
                }
            )
    return render_template("index.html", events=hosted, messages=time_messages())


@bp.get("/e/<code>")
def attendee(code: str) -> ResponseReturnValue:
    """The attendee page for people following online."""
    return _attendee_page(code, "online")


@bp.get("/r/<code>")
def attendee_in_room(code: str) -> ResponseReturnValue:
    """The attendee page opened from the room's QR code: questions are marked as from the room
    once the browser has shown a valid room pass (``?pass=``, then its ``room`` cookie; see
    ``moderator/room_pass.py``), otherwise as online. A valid pass is kept in the cookie and
    dropped from the address bar."""
    if "pass" in request.args:
        event = _event_or_404(code)
        response = redirect(url_for("web.attendee_in_room", code=code), 303)
        if room_pass.valid(code, event["timezone"], request.args.get("pass")):
            room_pass.give_cookie(response, code)
        return response
    return _attendee_page(code, "room")


def when_of(event: dict[str, Any]) -> EventTime:
    """When ``event`` is, in the page's locale and the event's zone (moderator/web/dates.py)."""
    return event_time(event.get("date") or "", event.get("start") or "", event["timezone"])


def _attendee_page(code: str, via: str) -> ResponseReturnValue:
    event = _event_or_404(code)
    if identity.from_cookie() is None:
        try:
            identity.mint()
        except TooMany:
            pass  # the page still shows the questions; sending says why it cannot

    return render_template(
        "attendee.html",
        event=_in_page_language(event),
        via=via,
        when=when_of(event),
        max_length=current_app.config["QUESTION_MAX_LENGTH"],
        name_max=current_app.config["NAME_MAX_LENGTH"],
        affiliation_max=current_app.config["AFFILIATION_MAX_LENGTH"],
        messages=attendee_messages(),
    )


@bp.get("/e/<code>/screen")
def screen(code: str) -> ResponseReturnValue:
    """The room screen: the question on screen and a QR code to join from the room. The page
    carries no room pass: a paired screen asks for the rotating link (``join_link``). When the
    code's address is this computer's own (127.0.0.1), a note says so, for the moderator."""
    event = _event_or_404(code)
    join_url = f"{public_base_url()}/r/{code}"
    host = urlsplit(join_url).hostname or ""
    return render_template(
        "screen.html",
        event=_in_page_language(event),
        join_url=join_url,
        qr_svg=qr_svg(join_url),
        reach_host=host if is_loopback(host) else None,
        messages=attendee_messages(),
    )


@bp.get("/e/<code>/stage")
def stage(code: str) -> ResponseReturnValue:
    """The stage monitor facing the panelists: the countdown and the moderator's messages."""
    return render_template(
        "stage.html", event=_in_page_language(_event_or_404(code)), messages=stage_messages()
    )


def _login_form(
    event: dict[str, Any],
    next_path: str,
    status: int,
    *,
    error: bool = False,
    other_event: bool = False,
    no_report: bool = False,
) -> ResponseReturnValue:
    """The login form instead of a staff page: after a wrong token (``error``), for a login of
    another event (``other_event``) or of a role without the report (``no_report``)."""
    page = render_template(
        "login.html",
        event=event,
        next=next_path,
        csrf=csrf_token(),
        error=error,
        other_event=other_event,
        no_report=no_report,
    )
    return page, status


@bp.get("/moderate/<code>")
def moderate(code: str) -> ResponseReturnValue:
    """The moderator dashboard; the login form until the browser has logged in."""
    event = _in_page_language(_event_or_404(code))
    token = request.args.get("token")
    if token is not None:
        # A link carrying the token logs in once, then drops the token from the address bar.
        if log_in(token) is not None:
            # Everything else in the address stays (``?lang=``).
            kept = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
            return redirect(url_for("web.moderate", code=code) + (f"?{kept}" if kept else ""))
        note_http_refusal("wrong_token")
        return _login_form(event, url_for("web.moderate", code=code), 403, error=True)
    credential = session_credential()
    if credential is None or not credential.covers(code):
        # Logged in for another event: the same form, to log in with this event's link.
        return _login_form(
            event,
            request.path,
            401 if credential is None else 403,
            other_event=credential is not None,
        )
    return render_template(
        "moderate.html",
        event=event,
        when=when_of(event),
        csrf=csrf_token(),
        messages=moderator_messages(),
        access=credential.view(code),
    )


def _report_of(code: str) -> dict[str, Any]:
    with runtime.database().session() as session:
        return report.build(session, events.get_event(session, code), clock=runtime.clock())


@bp.get("/e/<code>/report")
def report_page(code: str) -> ResponseReturnValue:
    """The session report for the event's moderators (the login form until the browser has
    logged in with a moderator's access): agenda, themes, speaking time and participation, each
    chart with its numbers in a table; it prints as a clean document."""
    event = _in_page_language(_event_or_404(code))
    credential = session_credential()
    if credential is None or not credential.allows(Right.MODERATOR, code):
        return _login_form(
            event,
            request.path,
            401 if credential is None else 403,
            other_event=credential is not None and not credential.covers(code),
            no_report=credential is not None and credential.covers(code),
        )
    data = _report_of(code)
    lang = locale.current()
    return render_template(
        "report.html",
        event=event,
        when=when_of(event),
        report=data,
        view=page_view(data, lang, rtl=locale.direction(lang) == "rtl"),
    )


def _safe_next(target: str | None) -> str:
    # Only local paths, so the login form cannot be used to redirect elsewhere.
    if (
        not target
        or urlsplit(target).netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return url_for("web.index")
    return target


def _refuse_cross_site() -> None:
    if cross_site_request():
        note_http_refusal("cross_site")
        abort(403, _("Another site's page may not log a moderator in or out."))


@bp.get("/lang/<language>")
def choose_language(language: str) -> ResponseReturnValue:
    """The language switcher: remember the choice in the ``lang`` cookie, back to the page."""
    chosen = locale.supported(language)
    if chosen is None or chosen != language:
        abort(404)
    response = redirect(_safe_next(request.args.get("next")), 303)
    response.set_cookie(
        locale.COOKIE,
        chosen,
        max_age=locale.COOKIE_SECONDS,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.post("/login")
def login() -> ResponseReturnValue:
    """Log a browser in with the moderator token (form post, CSRF- and Origin-checked)."""
    _refuse_cross_site()
    next_url = _safe_next(request.form.get("next"))
    if not csrf_valid(request.form.get("csrf")):
        note_http_refusal("csrf")
        return render_template(
            "login.html", event=None, next=next_url, csrf=csrf_token(), error=False, expired=True
        ), 400
    if log_in(request.form.get("token", "").strip()) is None:
        note_http_refusal("wrong_token")
        return render_template(
            "login.html", event=None, next=next_url, csrf=csrf_token(), error=True
        ), 403
    return redirect(next_url)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the moderator session (form post, CSRF- and Origin-checked) and every dashboard
    opened with it."""
    _refuse_cross_site()
    if csrf_valid(request.form.get("csrf")):
        login_id = log_out()
        if login_id is not None:
            fanout.logged_out(login_id)
            runtime.of().login_watch.ended(login_id)
    return redirect(url_for("web.index"))
