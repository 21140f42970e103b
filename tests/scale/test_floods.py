"""Floods against a real server (python -m moderator under eventlet): idle and unfinished
connections from one address (127.0.0.2) never lock another address (127.0.0.3) out, never end
the server, even with few file descriptors, and the flooding address is served again once its
connections close; a message larger than the cap, sent in small frames, closes only its own
connection. Marked ``heavy``: run by ``.ci/run`` as its own step (``-m heavy``)."""

from __future__ import annotations

import http.client
import json
import socket
import threading

import pytest

from tests.fixtures.constants import EVENT
from tests.fixtures.helpers import wait_until
from tests.fixtures.raw_socketio import ConnectionClosed, RawSocketIO
from tests.fixtures.server import ServerProcess

pytestmark = pytest.mark.heavy

FLOODER, OTHER = "127.0.0.2", "127.0.0.3"


def page_loads(server: ServerProcess, source: str) -> bool:
    """The attendee page, then a Socket.IO connection and its resync, from ``source``."""
    try:
        web = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=5, source_address=(source, 0)
        )
        web.request("GET", f"/e/{EVENT}")
        response = web.getresponse()
        response.read()
        web.close()
        if response.status != 200:
            return False
        attendee = RawSocketIO(server.port, source, timeout=5)
        try:
            attendee.connect({"event": EVENT, "client_id": "page-" + source.replace(".", "-")})
            reply = attendee.call("sync", {})
        finally:
            attendee.close()
        return isinstance(reply, dict) and "questions" in reply
    except (OSError, ConnectionClosed, AssertionError):
        return False


def health(server: ServerProcess, source: str) -> dict:
    web = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=5, source_address=(source, 0)
    )
    web.request("GET", "/api/health")
    body: dict = json.loads(web.getresponse().read())
    web.close()
    return body


def flood(port: int, count: int) -> list[socket.socket]:
    """``count`` connections from FLOODER, left open: a third silent, a third with an
    unfinished HTTP request, a third with an unfinished websocket handshake."""
    opened = []
    unfinished = (
        b"",
        f"GET /e/{EVENT} HTTP/1.1\r\nHost: x\r\n".encode(),
        b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nUpgrade: websocket\r\n",
    )
    for n in range(count):
        sock = socket.socket()
        sock.settimeout(2)
        sock.bind((FLOODER, 0))
        try:
            sock.connect(("127.0.0.1", port))
            if unfinished[n % 3]:
                sock.sendall(unfinished[n % 3])
        except OSError:
            pass  # refused, reset or waiting in a full backlog: it still counts as tried
        opened.append(sock)
    return opened


def close_all(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        sock.close()


def closed_by_server_while_sending(attacker: RawSocketIO, size: int) -> bool:
    """Send one message of ``size`` bytes in 16 KiB frames, never finished: True when the
    server closes the connection (a close frame, a reset), False when it just waits."""
    try:
        attacker.frame(1, b'42["similar",{"text":"', final=False)
        for _ in range(size // (16 * 1024)):
            attacker.frame(0, b"x" * 16 * 1024, final=False)
        attacker.receive()
    except TimeoutError:
        return False
    except ConnectionClosed as closed:
        return closed.status in (1009, 1006)
    except OSError:
        return True
    return False


@pytest.fixture
def servers(tmp_path):
    started: list[ServerProcess] = []

    def start(env: dict[str, str], file_limit: int | None = None) -> ServerProcess:
        server = ServerProcess(tmp_path / f"instance-{len(started)}", env, file_limit)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def test_an_idle_flood_from_one_address_leaves_another_address_working(servers):
    server = servers(
        {"CONNECTIONS_PER_ADDRESS": "400", "HANDSHAKE_TIMEOUT_S": "60"}, file_limit=1024
    )
    assert wait_until(lambda: page_loads(server, FLOODER), timeout=20)
    held = flood(server.port, 3000)
    try:
        assert wait_until(lambda: page_loads(server, OTHER), timeout=30, message="page from .3")
        # The cap engaged (it is what kept descriptors for others), and the server lives.
        assert "CONNECTIONS_PER_ADDRESS" in server.log.read_text()
        assert server.alive()
        # The health report shows it to monitoring, without naming the address.
        listener = health(server, OTHER)["listener"]
        assert listener["busiest_address"] == 400 and listener["refused_per_address"] > 0
        assert FLOODER not in json.dumps(listener)
    finally:
        close_all(held)
    assert wait_until(lambda: page_loads(server, FLOODER), timeout=30, message="page from .2")
    assert page_loads(server, OTHER)
    assert server.alive()


def test_running_out_of_descriptors_pauses_the_server_instead_of_ending_it(servers):
    server = servers({"HANDSHAKE_TIMEOUT_S": "60"}, file_limit=256)
    held = flood(server.port, 600)
    try:
        wait_until(lambda: "EMFILE" in server.log.read_text(), timeout=30, message="EMFILE")
        assert server.alive()
    finally:
        close_all(held)
    assert wait_until(lambda: page_loads(server, OTHER), timeout=30, message="page from .3")
    assert wait_until(lambda: page_loads(server, FLOODER), timeout=30, message="page from .2")
    assert server.alive()


def test_connections_that_never_finish_their_request_are_closed(servers):
    server = servers({"HANDSHAKE_TIMEOUT_S": "2"})
    held = flood(server.port, 60)
    try:
        for sock in held:
            sock.settimeout(30)
            # Closed by the server: an orderly end of stream, or a reset.
            try:
                assert sock.recv(1024) == b""
            except ConnectionResetError:
                pass
    finally:
        close_all(held)
    assert page_loads(server, FLOODER)


def test_a_message_over_the_cap_in_small_frames_closes_only_its_connection(servers):
    server = servers({"SOCKETIO_MAX_MESSAGE_BYTES": str(256 * 1024)})
    other = RawSocketIO(server.port, OTHER)
    other.connect({"event": EVENT, "client_id": "other-attendee"})
    # Fragments are put back together (and unmasked) right: a message in three frames works.
    assert "questions" in other.call("sync", {}, fragments=3)  # type: ignore[operator]
    # Under the cap, a long message in many frames is read whole and answered.
    reply = other.call("similar", {"text": "y" * 200 * 1024}, fragments=16)
    assert isinstance(reply, dict) and ("similar" in reply or "error" in reply)

    attacker = RawSocketIO(server.port, FLOODER)
    attacker.connect({"event": EVENT, "client_id": "attacker"})
    assert closed_by_server_while_sending(attacker, 64 * 16 * 1024)  # 1 MiB, 4 x the cap
    attacker.close()

    assert "questions" in other.call("sync", {})  # type: ignore[operator]
    other.close()
    assert server.alive()


def test_a_transport_that_never_joins_a_namespace_is_closed_and_a_joined_one_stays(servers):
    server = servers({"HANDSHAKE_TIMEOUT_S": "2"})
    joined = RawSocketIO(server.port, OTHER, timeout=30)
    joined.connect({"event": EVENT, "client_id": "joined-attendee"})
    silent = RawSocketIO(server.port, FLOODER, timeout=30)  # engine.io open, then nothing
    try:
        while silent.receive() != "1":  # engine.io's "close", then the websocket's end
            pass
    except ConnectionClosed:
        pass
    silent.close()
    assert "questions" in joined.call("sync", {})  # type: ignore[operator]
    joined.close()


def test_a_client_sending_as_fast_as_it_can_is_closed_and_others_are_answered(servers):
    server = servers({})
    other = RawSocketIO(server.port, OTHER, timeout=10)
    other.connect({"event": EVENT, "client_id": "other-attendee"})
    flooder = RawSocketIO(server.port, FLOODER, timeout=10)
    flooder.connect({"event": EVENT, "client_id": "flooding-attendee"})
    outcome: list[str] = []

    def send_until_closed() -> None:
        try:
            for _ in range(2_000_000):  # bounded: about 26 MB
                flooder.send('42["sync",{}]')
            outcome.append("never closed")
        except OSError:
            outcome.append("closed")

    sender = threading.Thread(target=send_until_closed, daemon=True)
    sender.start()
    try:
        for _ in range(10):  # each within the socket's 10 s, or TimeoutError
            assert "questions" in other.call("sync", {})  # type: ignore[operator]
        sender.join(60)
        assert outcome == ["closed"]
        assert "questions" in other.call("sync", {})  # type: ignore[operator]
    finally:
        flooder.close()
        other.close()
    assert server.alive()
