"""The accept-time guard of the production server (``moderator/serving.py``), on real sockets:
an address past its share of connections is reset at once, others come in; running out of
descriptors pauses accepting instead of ending the server."""

import errno
import socket

import pytest

from moderator.serving import ConnectionGuard


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(5)
    yield server
    server.close()


def connect_from(source: str, listener) -> socket.socket:
    client = socket.socket()
    client.settimeout(5)
    client.bind((source, 0))
    client.connect(listener.getsockname())
    return client


def test_an_address_past_its_share_is_reset_and_another_address_comes_in(listener):
    guard = ConnectionGuard(per_address=2, pause_s=0)
    flood = [connect_from("127.0.0.2", listener) for _ in range(3)]
    other = connect_from("127.0.0.3", listener)
    accepted = [guard.accept(listener.accept) for _ in range(3)]
    assert [address[0] for _conn, address in accepted] == ["127.0.0.2", "127.0.0.2", "127.0.0.3"]
    assert guard.refused == 1
    with pytest.raises(ConnectionResetError):
        flood[2].recv(1)  # reset by the server: nothing waits in TIME_WAIT
    assert guard.open == {"127.0.0.2": 2, "127.0.0.3": 1}

    # One of the address's connections closes: it may open one again.
    accepted[0][0].close()
    guard.release(accepted[0][1])
    again = connect_from("127.0.0.2", listener)
    _conn, address = guard.accept(listener.accept)
    assert address[0] == "127.0.0.2"
    assert guard.open == {"127.0.0.2": 2, "127.0.0.3": 1}
    for sock in [*flood, other, again, *(conn for conn, _a in accepted)]:
        sock.close()


def test_running_out_of_descriptors_pauses_accepting_and_goes_on():
    naps: list[float] = []
    failures = [OSError(errno.EMFILE, "Too many open files"), OSError(errno.ENFILE, "x")]

    def accept():
        if failures:
            raise failures.pop(0)
        return "connection", ("127.0.0.2", 4000)

    guard = ConnectionGuard(per_address=10, pause_s=0.25, sleep=naps.append)
    assert guard.accept(accept) == ("connection", ("127.0.0.2", 4000))
    assert naps == [0.25, 0.25]
    assert guard.pauses == 2


def test_another_accept_error_is_not_swallowed():
    def accept():
        raise OSError(errno.EBADF, "Bad file descriptor")

    with pytest.raises(OSError):
        ConnectionGuard(per_address=10, pause_s=0, sleep=lambda _s: None).accept(accept)
