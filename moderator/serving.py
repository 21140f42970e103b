"""The production server: eventlet.wsgi on a listening socket, made to hold against floods
(docs/security.md, "Floods").

- ``ConnectionGuard``: at accept time, at most CONNECTIONS_PER_ADDRESS open connections per
  network address (more are reset at once and cost nothing); running out of file descriptors
  pauses accepting for ACCEPT_PAUSE_MS instead of ending the server.
- ``protocol``: a connection has HANDSHAKE_TIMEOUT_S to send its request line and headers
  (counted from accept, or from its previous response), and SOCKET_TIMEOUT_S per read or write.
- ``bound_websocket_messages``: a websocket message is capped as a whole, however many frames
  it comes in, and unmasked at C speed (eventlet unmasks byte by byte in Python); a websocket
  yields after each message and stops reading once its connection is closed.

Only ``python -m moderator`` under eventlet uses this; tests under ``threading`` do not.
"""

from __future__ import annotations

import errno
import logging
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from flask_socketio import SocketIO

log = logging.getLogger("moderator.serving")

# accept() failing for want of resources: wait for connections to close, then go on.
OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
LOG_EVERY_S = 10.0
# SO_LINGER on, 0 s: close() sends a reset at once and leaves nothing in TIME_WAIT.
RESET_ON_CLOSE = struct.pack("ii", 1, 0)


GUARD_KEY = "moderator.connection_guard"


class ConnectionGuard:
    """Counts the open connections of each address, and accepts only what may come in.

    ``accept`` wraps the listening socket's own: a connection from an address already holding
    ``per_address`` is reset and the next one is taken; EMFILE and its kind pause for
    ``pause_s`` and try again. ``release`` is called when a connection accepted here closes.
    """

    def __init__(
        self,
        per_address: int,
        pause_s: float,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_address = per_address
        self.pause_s = pause_s
        self.sleep = sleep
        self.clock = clock
        self.open: Counter[str] = Counter()
        self.refused = 0  # connections reset because their address held its share
        self.pauses = 0  # times accept paused for want of descriptors
        self._lock = threading.Lock()
        self._last_log: dict[str, float] = {}

    def accept(self, accept: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
        """The next connection that may come in, with its address."""
        while True:
            try:
                connection, address = accept()
            except OSError as exc:
                if exc.errno not in OUT_OF_RESOURCES:
                    raise
                self.pauses += 1
                self._warn(
                    "resources",
                    "accept failed (%s) with %d connections open: pausing %.2f s; "
                    "raise the file limit (ulimit -n) or lower MAX_CONNECTIONS",
                    errno.errorcode.get(exc.errno or 0, exc.errno),
                    sum(self.open.values()),
                    self.pause_s,
                )
                self.sleep(self.pause_s)
                continue
            host = _host(address)
            with self._lock:
                admitted = self.open[host] < self.per_address
                if admitted:
                    self.open[host] += 1
            if admitted:
                return connection, address
            self.refused += 1
            self._warn(
                "per_address",
                "an address holds %d connections (CONNECTIONS_PER_ADDRESS); resetting more "
                "(%d so far)",
                self.per_address,
                self.refused,
            )
            _reset(connection)

    def report(self) -> dict[str, int]:
        """What the health report shows: connections open, addresses holding them, the busiest
        address's share (no address itself), resets and pauses so far."""
        with self._lock:
            return {
                "open": sum(self.open.values()),
                "addresses": len(self.open),
                "busiest_address": max(self.open.values(), default=0),
                "per_address_cap": self.per_address,
                "refused_per_address": self.refused,
                "accept_pauses": self.pauses,
            }

    def release(self, address: Any) -> None:
        """A connection accepted from ``address`` closed."""
        host = _host(address)
        with self._lock:
            left = self.open[host] - 1
            if left > 0:
                self.open[host] = left
            else:
                del self.open[host]

    def _warn(self, kind: str, message: str, *args: Any) -> None:
        # At most one line per kind every LOG_EVERY_S: a flood must not flood the log.
        now = self.clock()
        if now - self._last_log.get(kind, -LOG_EVERY_S) >= LOG_EVERY_S:
            self._last_log[kind] = now
            log.warning(message, *args)


def _host(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) and address else str(address)


def _reset(connection: Any) -> None:
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)
    except OSError:
        pass
    connection.close()


class GuardedListener:
    """The listening socket as eventlet.wsgi sees it: its ``accept`` goes through the guard;
    everything else is the socket's own."""

    def __init__(self, listener: Any, guard: ConnectionGuard) -> None:
        self._listener = listener
        self.guard = guard

    def accept(self) -> tuple[Any, Any]:
        return self.guard.accept(self._listener.accept)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._listener, name)


def guarded_pool(size: int, guard: ConnectionGuard) -> Any:
    """eventlet.wsgi's pool of connection handlers, releasing each connection's place in the
    guard when its handler ends (however it ends)."""
    import eventlet

    class GuardedPool(eventlet.GreenPool):  # type: ignore[misc]
        def spawn(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            # eventlet.wsgi spawns ``process_request([address, socket, state])``.
            address = args[0][0]
            thread = super().spawn(function, *args, **kwargs)
            thread.link(lambda _thread: guard.release(address))
            return thread

    return GuardedPool(size)


def protocol(buffer_bytes: int, handshake_s: float) -> type:
    """eventlet.wsgi's connection handler with small buffers and a deadline for the request
    head."""
    import eventlet
    import eventlet.wsgi

    class FloodSafeProtocol(eventlet.wsgi.HttpProtocol):  # type: ignore[misc]
        # An attendee holds one connection for hours. eventlet gives each a 16 KB write and an
        # 8 KB read buffer; smaller ones save about 4 KB of resident memory per connection
        # (bench/capacity.py), and our larger responses just take a few more system calls.
        wbufsize = buffer_bytes
        rbufsize = buffer_bytes
        _head_deadline: Any = None

        def handle_one_request(self) -> None:
            # One byte every few seconds would pass any per-read timeout: the whole head has a
            # deadline. socket.timeout is what eventlet.wsgi already treats as "close it".
            self._head_deadline = eventlet.Timeout(
                handshake_s, TimeoutError("request head not received in time")
            )
            try:
                super().handle_one_request()
            finally:
                self._head_deadline.cancel()

        def get_environ(self) -> Any:
            # The head is in: from here the application decides how long it takes.
            if self._head_deadline is not None:
                self._head_deadline.cancel()
            return super().get_environ()

    return FloodSafeProtocol


def bound_websocket_messages(socketio: SocketIO) -> None:
    """Make this Socket.IO server's websockets cap each message as a whole (at its
    ``max_http_buffer_size``) and unmask frames quickly. Per server: other apps are untouched."""
    import eventlet
    from engineio.async_drivers.eventlet import WebSocketWSGI
    from eventlet.websocket import FailedConnectionError, RFC6455WebSocket

    class BoundedMessage(RFC6455WebSocket.Message):  # type: ignore[misc]
        size = 0

        def push(self, data: bytes, final: bool = False) -> None:
            # eventlet checks each frame's length; fragments add up here. 1009: message too big.
            self.size += len(data)
            if self.size > self.max_frame_length:
                raise FailedConnectionError(
                    1009, f"Message larger than {self.max_frame_length} bytes."
                )
            super().push(data, final)

    class BoundedWebSocket(RFC6455WebSocket):  # type: ignore[misc]
        Message = BoundedMessage
        owner: Any = None  # the engine.io connection reading from it

        def wait(self) -> Any:
            # Once the server has closed the engine.io connection (for its pace, say), read
            # nothing more: engine.io would otherwise go on reading and dispatching whatever
            # the client still sends, each message in a green thread of its own.
            if self.owner is not None and self.owner.closed:
                return None
            # eventlet reads without yielding while data is waiting: a client that never stops
            # sending would keep the whole process for itself. One message, then everyone else.
            eventlet.sleep(0)
            return super().wait()

        @staticmethod
        def _apply_mask(
            data: bytes, mask: Any, length: int | None = None, offset: int = 0
        ) -> bytes:
            # XOR of two integers instead of eventlet's Python loop over every byte: one
            # client's megabytes no longer take the server's CPU from everyone else.
            length = len(data) if length is None else length
            if length <= 0:
                return b""
            key = bytes(mask[(offset + i) % 4] for i in range(4))
            stream = (key * (length // 4 + 1))[:length]
            mixed = int.from_bytes(data[:length], "little") ^ int.from_bytes(stream, "little")
            return mixed.to_bytes(length, "little")

    class BoundedWebSocketWSGI(WebSocketWSGI):  # type: ignore[misc]
        def _handle_hybi_request(self, environ: Any) -> Any:
            ws = super()._handle_hybi_request(environ)
            # Built by eventlet after the handshake; same object, bounded behaviour (its frame
            # reader has not started yet).
            ws.__class__ = BoundedWebSocket
            ws.owner = getattr(self.handler, "__self__", None)
            return ws

    eio = socketio.server.eio
    eio._async = {**eio._async, "websocket": BoundedWebSocketWSGI}


def serve(app: Flask, host: str, port: int) -> None:
    """Listen on ``host``:``port`` and serve ``app`` until stopped."""
    import eventlet
    import eventlet.green.socket
    import eventlet.wsgi

    config = app.config
    # A listen backlog sized for a crowd joining at once (socketio.run's default of 50 makes
    # the 51st simultaneous attendee wait for a SYN retry).
    family, *_rest, address = eventlet.green.socket.getaddrinfo(host, port)[0]
    listener = eventlet.listen(address, family, backlog=config["LISTEN_BACKLOG"])
    guard = ConnectionGuard(
        config["CONNECTIONS_PER_ADDRESS"], config["ACCEPT_PAUSE_MS"] / 1000, sleep=eventlet.sleep
    )
    # The health report shows what the guard refused (``moderator/health.py``).
    app.extensions[GUARD_KEY] = guard
    eventlet.wsgi.server(
        GuardedListener(listener, guard),
        app,
        custom_pool=guarded_pool(config["MAX_CONNECTIONS"], guard),
        log_output=False,
        protocol=protocol(config["CONNECTION_BUFFER_BYTES"], config["HANDSHAKE_TIMEOUT_S"]),
        keepalive=config["HANDSHAKE_TIMEOUT_S"],
        socket_timeout=config["SOCKET_TIMEOUT_S"],
    )
