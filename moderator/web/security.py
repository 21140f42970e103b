"""Headers every response carries: pages, API replies, static files.

The policy allows scripts, styles and connections from the app's own origin only: no inline
script or style attribute (the templates hold only JSON data blocks, which are never run).
Socket.IO connects to the page's own host; ``'self'`` covers ``ws:``/``wss:`` there in current
browsers, and the explicit ``ws://host wss://host`` keep Safari before 16 connecting. Nothing
may frame a page, except the room screen, which the dashboard previews in an iframe.

Engine.IO's own replies (``/socket.io/``) are answered below Flask and carry none of these.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.wrappers import Response as BaseResponse

from moderator.auth import own_hosts

# Pages the app's own dashboard shows in an iframe (templates/moderate.html: the preview).
FRAMED_BY_SELF = frozenset({"web.screen"})
# Pages it frames only as a preview (``?preview=1``): the stage monitor, which previews the
# message being typed (never the real stage monitor, which stays unframable).
FRAMED_BY_SELF_AS_PREVIEW = frozenset({"web.stage"})

# What a versioned static address may send without the page headers: never a document (an SVG
# or an HTML file opened by itself would be one, and keeps them all).
STATIC_CODE = frozenset({"text/javascript", "application/javascript", "text/css"})

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": under it browsers send "Origin: null" with every form post, which the
    # cross-site check of moderator writes (moderator/auth.py) would then refuse.
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app``."""
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    if versioned_static(response):
        # A script or stylesheet is no document: a browser applies neither a policy nor a
        # frame rule from its headers, and its imports follow the page's referrer policy. On a
        # phone's first load they are bytes for nothing; nosniff still matters.
        response.headers["X-Content-Type-Options"] = HEADERS["X-Content-Type-Options"]
        return response
    framed_by_self = request.endpoint in FRAMED_BY_SELF or (
        request.endpoint in FRAMED_BY_SELF_AS_PREVIEW and "preview" in request.args
    )
    response.headers["Content-Security-Policy"] = content_security_policy(
        own_hosts(), framed_by_self=framed_by_self
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN" if framed_by_self else "DENY"
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


def versioned_static(response: Response) -> bool:
    """Whether ``response`` is a script or stylesheet under a versioned static address."""
    return (
        request.endpoint == "static"
        and bool((request.view_args or {}).get("version"))
        and response.mimetype in STATIC_CODE
    )


def content_security_policy(hosts: list[str], *, framed_by_self: bool = False) -> str:
    """The policy, with websocket sources for ``hosts`` (each ``host[:port]``)."""
    sockets = " ".join(f"{scheme}://{host}" for host in hosts for scheme in ("ws", "wss"))
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src 'self' {sockets}".rstrip(),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'" if framed_by_self else "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def set_private_cookie(response: BaseResponse, name: str, value: str, *, max_age: int) -> None:
    """Set a cookie only the server reads: HttpOnly, SameSite=Lax, Secure behind TLS
    (``SESSION_COOKIE_SECURE``), like the session cookie."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
