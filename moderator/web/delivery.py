"""How responses travel on a weak network: text compressed with gzip for clients that accept it,
static files under a versioned address cached for a year.

Pages are ES modules that import each other by relative path (``./connection.js``), so the
version is a path segment, not a query string: ``/static/v/<digest>/js/attendee.js`` and every
module it imports resolve under the same version. The digest covers the whole static folder and
is computed once when the app is built: a changed file changes every address, so a browser never
mixes old and new modules. An address with another version (a page from before an upgrade) is
still answered, with the current file, but revalidated instead of kept.

Under the current version the app's own scripts and stylesheets go out without their comment
lines and indentation (moderator/web/strip.py: stripped once, then kept in memory, like the
compressed copies); ``STATIC_STRIP=0`` sends them as on disk, and so does the unversioned address.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Flask, Response, request, send_from_directory
from flask.typing import ResponseReturnValue

from moderator.web.strip import strip_source

# What is worth compressing: text. Images other than SVG and fonts are compressed already.
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/plain",
        "text/csv",
    }
)
YEAR_S = 365 * 24 * 3600
# Pages that carry a secret (the session's CSRF token) are sent as they are: a compressed
# secret beside text an attacker chose leaks through the response's size (BREACH). These pages
# are the moderator's, loaded once on a laptop: their weight does not matter.
NOT_COMPRESSED = frozenset({"web.moderate", "web.login", "web.logout"})


def static_digest(folder: Path) -> str:
    """A short digest of every file under ``folder`` (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Serve ``app``'s static files under a versioned path and compress its text responses."""
    folder = Path(app.static_folder or "static")
    version = static_digest(folder)
    app.config["STATIC_VERSION"] = version
    app.add_url_rule(f"{app.static_url_path}/v/<version>/<path:filename>", endpoint="static")
    # Compressed static bodies, by file and ETag: compressed once, not for each of a thousand
    # phones joining together. Only files that exist get in.
    compressed: dict[tuple[str, str], bytes] = {}
    # The app's own scripts and styles without comments and indentation, by file: stripped once.
    stripped: dict[str, bytes] = {}
    strip = bool(app.config["STATIC_STRIP"])

    def strippable(filename: str) -> bool:
        """Whether ``filename`` is sent stripped: the app's own JS and CSS (vendored files are
        minified already, and are not ours to rewrite)."""
        return strip and filename.endswith((".js", ".css")) and not filename.startswith("vendor/")

    def static(filename: str, version: str | None = None) -> ResponseReturnValue:
        """A static file; kept for a year when asked for under the current version."""
        current = version == app.config["STATIC_VERSION"]
        response = send_from_directory(folder, filename, max_age=YEAR_S if current else None)
        if current and response.status_code == 200 and strippable(filename):
            response.direct_passthrough = False
            source = stripped.get(filename)
            if source is None:
                # Only files that exist get in: send_from_directory found this one.
                data = response.get_data()
                try:
                    text = data.decode()
                except UnicodeDecodeError:
                    source = data  # not text the stripper can read: sent as it is
                else:
                    source = strip_source(text, javascript=filename.endswith(".js")).encode()
                stripped[filename] = source
            else:
                response.close()  # the file is not read: the stripped copy is sent
            response.set_data(source)
            # Not the file on disk: a range of it would not be a range of this.
            response.headers.pop("Accept-Ranges", None)
        if current:
            response.cache_control.immutable = True
            # Each byte counts on a phone's first load, and a file kept for good is never
            # revalidated: Cache-Control says all there is to say.
            for redundant in ("Expires", "Last-Modified", "ETag", "Content-Disposition"):
                response.headers.pop(redundant, None)
        return response

    # The same endpoint name, so every url_for("static", ...) in the templates gets the version.
    app.view_functions["static"] = static

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static":
            values.setdefault("version", app.config["STATIC_VERSION"])

    def compress(response: Response) -> Response:
        if response.mimetype not in COMPRESSIBLE:
            return response
        response.vary.add("Accept-Encoding")
        if (
            response.status_code != 200
            or request.endpoint in NOT_COMPRESSED
            or "Content-Encoding" in response.headers
            or request.accept_encodings["gzip"] <= 0
        ):
            return response
        # A static file as sent from disk, or its stripped copy.
        static_file = request.endpoint == "static"
        if response.is_streamed and not static_file:
            return response  # produced piece by piece: left as it comes
        etag, _weak = response.get_etag()
        # By file, not by address: any version in an address is answered, and must not grow
        # this. A file kept for good has no ETag (its versioned address names its content).
        key = (str((request.view_args or {}).get("filename")), etag or "current")
        body = compressed.get(key) if static_file else None
        if body is None:
            response.direct_passthrough = False
            data = response.get_data()
            if len(data) < app.config["COMPRESS_MIN_BYTES"]:
                return response
            # A static file is compressed once: at the smallest size.
            level = 9 if static_file else app.config["COMPRESS_LEVEL"]
            body = gzip.compress(data, compresslevel=level, mtime=0)
            if static_file:
                compressed[key] = body
        else:
            response.direct_passthrough = False
            response.close()  # the file is not read: the compressed copy is sent
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        if etag:
            # The same resource in another encoding: a weak validator, which If-None-Match still
            # matches (a reload gets 304).
            response.set_etag(etag, weak=True)
        return response

    app.after_request(compress)
