"""The QR code that works: started as README says, the server listens on this computer only and
says so, at start and on the room screen; ``--room`` (``ROOM=1``) starts it for the room, on
every interface, with this computer's network address in the links and the QR code."""

from __future__ import annotations

import re

import pytest
import requests

from moderator.addresses import is_loopback, lan_address, listens_everywhere
from tests.fixtures.constants import EVENT
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import ServerProcess


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("qa.example.org", False),
    ],
)
def test_loopback_addresses_are_told_apart(host, loopback):
    assert is_loopback(host) is loopback


def test_every_interface_is_told_apart():
    assert listens_everywhere("0.0.0.0") and listens_everywhere("::")
    assert not listens_everywhere("127.0.0.1") and not listens_everywhere("192.168.1.20")


def test_the_room_screen_warns_the_moderator_when_its_qr_code_points_here(client):
    page = client.get(f"/e/{EVENT}/screen").get_data(as_text=True)
    assert f"http://localhost/r/{EVENT}" in page
    note = re.search(r'<p class="reach-note" id="reach-note">(.*?)</p>', page, re.S)
    assert note and "localhost" in note.group(1) and "--room" in note.group(1)


def test_no_warning_when_the_qr_code_points_to_the_network(config_class):
    from moderator import runtime
    from moderator.app import create_app

    class RoomConfig(config_class):
        PUBLIC_URL = "http://192.168.1.20:5000"

    app = create_app(RoomConfig)
    try:
        page = app.test_client().get(f"/e/{EVENT}/screen").get_data(as_text=True)
    finally:
        runtime.of(app).close()
    assert f"http://192.168.1.20:5000/r/{EVENT}" in page
    assert "reach-note" not in page


def printout(server: ServerProcess) -> str:
    return wait_until(
        lambda: "admin token" in server.log.read_text() and server.log.read_text(),
        timeout=10,
        message="the start-up printout",
    )


def test_started_as_readme_says_it_says_phones_cannot_reach_it(live_server):
    text = printout(live_server)
    assert f"stage monitor    : {live_server.url}/e/{EVENT}/stage" in text
    assert "Listening on 127.0.0.1 only" in text and "python -m moderator --room" in text


def test_room_listens_everywhere_and_puts_the_network_address_in_the_qr_code(tmp_path):
    server = ServerProcess(tmp_path / "instance", env={"ROOM": "1"}).start()
    try:
        text = printout(server)
        base = f"http://{lan_address()}:{server.port}"
        assert f"Moderation dashboard on {base}" in text
        assert f"room screen      : {base}/e/{EVENT}/screen" in text
        assert f"stage monitor    : {base}/e/{EVENT}/stage" in text
        assert "Listening on 127.0.0.1 only" not in text
        assert "is a guess (set PUBLIC_URL if wrong)" in text
        # Opened on this computer by its loopback address, the room screen still shows the
        # network address.
        page = requests.get(f"{server.url}/e/{EVENT}/screen", timeout=5).text
        assert f"{base}/r/{EVENT}" in page
        if not is_loopback(lan_address()):  # a machine with a network
            assert "reach-note" not in page
    finally:
        server.stop()


def test_behind_a_reverse_proxy_loopback_is_not_a_problem(tmp_path):
    server = ServerProcess(
        tmp_path / "instance", env={"PUBLIC_URL": "https://qa.example.org"}
    ).start()
    try:
        text = printout(server)
        assert f"room screen      : https://qa.example.org/e/{EVENT}/screen" in text
        assert "reached through https://qa.example.org (a reverse proxy)" in text
        assert "phones in the room cannot open" not in text
    finally:
        server.stop()
