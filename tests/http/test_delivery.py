"""Light on a weak network: text responses gzip-compressed for browsers that accept it, static
files under versioned addresses kept for a year, and a reload that costs almost nothing."""

import gzip
import re

import pytest

from tests.fixtures.constants import EVENT, ROOT

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
BASE = f"/api/events/{EVENT}"


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


@pytest.mark.parametrize("path", [f"/e/{EVENT}", f"/e/{EVENT}/screen", f"/e/{EVENT}/stage"])
def test_every_static_address_on_a_page_carries_the_version(client, app, path):
    urls = static_urls(client.get(path).get_data(as_text=True))
    assert urls
    version = app.config["STATIC_VERSION"]
    assert all(url.startswith(f"/static/v/{version}/") for url in urls), urls


def test_a_versioned_static_file_is_kept_for_a_year(client):
    [script] = [
        u for u in static_urls(client.get(f"/e/{EVENT}").get_data(as_text=True)) if ".js" in u
    ]
    response = client.get(script)
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.max_age == 365 * 24 * 3600 and cache.immutable and cache.public
    assert not cache.no_cache


def test_an_old_or_unversioned_address_still_works_but_is_revalidated(client):
    for path in ("/static/js/attendee.js", "/static/v/0123456789ab/js/attendee.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.cache_control.no_cache and not response.cache_control.immutable
        assert response.get_etag()[0]


def test_modules_import_each_other_by_relative_path_so_they_keep_the_version(client):
    """An absolute import (``/static/...``) would fetch an unversioned, uncached module."""
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    assert len(scripts) >= 5
    found = 0
    for script in scripts:
        text = client.get(f"/static/js/{script.name}").get_data(as_text=True)
        imports = re.findall(r'^\s*(?:import|export) [^;]*? from "([^"]+)"', text, re.M | re.S)
        imports += re.findall(r'import\(\s*"([^"]+)"', text)
        assert all(path.startswith(".") for path in imports), (script.name, imports)
        found += len(imports)
    assert found >= 8  # the pattern finds them (connection.js alone is imported by four)


@pytest.mark.parametrize(
    "path, mimetype",
    [
        (f"/e/{EVENT}", "text/html"),
        ("/static/css/app.css", "text/css"),
        ("/static/js/attendee.js", "text/javascript"),
        ("/static/vendor/socket.io-client-4.8.4/socket.io.esm.min.js", "text/javascript"),
        (BASE, "application/json"),
    ],
)
def test_text_is_gzip_compressed_when_the_client_accepts_it(client, bearer, path, mimetype):
    plain = client.get(path, headers=bearer)
    packed = client.get(path, headers={**bearer, **GZIP})
    assert plain.mimetype == packed.mimetype == mimetype
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.vary and "Accept-Encoding" in plain.vary
    if path.startswith("/static/"):  # pages and replies carry per-request tokens and times
        assert gzip.decompress(packed.data) == plain.data
    else:
        assert gzip.decompress(packed.data).startswith(plain.data[:15])
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    if len(plain.data) > 2000:
        assert len(packed.data) < len(plain.data) / 2


def test_gzip_refused_with_q_zero_is_not_sent(client):
    response = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers


def test_a_small_reply_is_not_compressed(client):
    response = client.get("/api/time", headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_a_compressed_static_file_revalidates_to_304(client):
    first = client.get("/static/js/attendee.js", headers=GZIP)
    etag, weak = first.get_etag()
    assert weak  # the same file in another encoding
    again = client.get(
        "/static/js/attendee.js", headers={**GZIP, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    # Served again from the compressed copy, byte for byte.
    assert client.get("/static/js/attendee.js", headers=GZIP).data == first.data


def test_a_missing_static_file_is_a_plain_404(client):
    response = client.get("/static/v/whatever/js/nothing.js", headers=GZIP)
    assert response.status_code == 404


def test_pages_with_the_csrf_token_are_not_compressed(client, moderator_client):
    """A compressed secret beside attacker-chosen text leaks through the size (BREACH)."""
    login = client.get(f"/moderate/{EVENT}", headers=GZIP)
    dashboard = moderator_client.get(f"/moderate/{EVENT}", headers=GZIP)
    for page in (login, dashboard):
        assert 'name="csrf"' in page.get_data(as_text=True)
        assert "Content-Encoding" not in page.headers
