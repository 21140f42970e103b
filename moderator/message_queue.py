"""The message queue between server processes (Redis), and what a process does while it cannot
reach it.

python-socketio's ``RedisManager`` hands an emit to this process's own clients directly and
publishes it for the other processes. While Redis is away, each publish tries to connect twice and
logs two errors, and the listener tries again after 1 s doubling to 60 s: what the other processes
sent after Redis returned was lost until the listener happened to try again, and what was sent
during the outage was never sent again. Here:

- while the queue is unreachable, nothing is published: this process's own clients already got
  the message, and the other processes' clients catch up when the queue returns (below); the
  outage is logged once when it starts and once when it ends;
- the listener tries again after ``retry_min_s`` doubling to ``retry_max_s``, and a failed
  publish makes it reconnect at once (its own connection may look alive to a dead peer);
- once subscribed again, ``on_return`` runs: the application resends what its pages show in
  common from the database and tells each page to fetch its own state again (``fanout.catch_up``),
  which covers every message lost meanwhile, whichever process sent it.

Only ``redis://``, ``rediss://`` and ``unix://`` queues get this manager; any other URL keeps
Flask-SocketIO's own choice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import redis
import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger("moderator.message_queue")

SCHEMES = ("redis://", "rediss://", "unix://")
# How long the listener waits for a message before it looks at its flags again.
POLL_S = 0.5


def handles(url: str | None) -> bool:
    """Whether ``url`` is a queue this module manages (else Flask-SocketIO picks a manager)."""
    return bool(url) and str(url).startswith(SCHEMES)


class MessageQueue(socketio.RedisManager):  # type: ignore[misc]
    """A Redis client manager that keeps serving this process's clients while Redis is away,
    reconnects within ``retry_max_s`` of its return and then calls ``on_return``."""

    name = "redis"

    def __init__(
        self,
        url: str,
        *,
        channel: str,
        on_return: Callable[[], None],
        retry_min_s: float = 0.1,
        retry_max_s: float = 1.0,
        timeout_s: float = 3.0,
    ) -> None:
        # No retries inside redis-py: a failure reaches this class at once, which decides.
        options = {
            "socket_connect_timeout": timeout_s,
            "socket_timeout": timeout_s,
            "socket_keepalive": True,
            "retry": Retry(NoBackoff(), 0),
        }
        super().__init__(url, channel=channel, redis_options=options)
        self.on_return = on_return
        self.retry_min_s = retry_min_s
        self.retry_max_s = max(retry_min_s, retry_max_s)
        # Wall-clock time (seconds) since when the queue is unreachable; None while it answers.
        self.unreachable_since: float | None = None
        self.outages = 0
        self.unpublished = 0  # messages not published during outages (pages resync instead)
        self._publisher: redis.Redis | None = None
        self._listener: Any = None  # the pubsub connection the listener reads
        self._listening = False  # subscribed, confirmed by Redis
        self._reconnect = False
        self._stopped = False

    # --- What the health report reads ------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """``state`` ("reachable", "unreachable" or "connecting" before the first subscription),
        since when it is unreachable (ISO 8601, UTC), outages and unpublished messages so far."""
        since = self.unreachable_since
        if since is not None:
            state = "unreachable"
        elif not self._listening:
            state = "connecting"
        else:
            state = "reachable"
        return {
            "state": state,
            "unreachable_since": (
                datetime.fromtimestamp(since, UTC).isoformat(timespec="seconds") if since else None
            ),
            "outages": self.outages,
            "unpublished": self.unpublished,
        }

    def lost(self, error: BaseException) -> None:
        """Count the queue as unreachable from now (if it was not already) and make the listener
        connect again: called when a publish or the listener's connection fails."""
        self._reconnect = True
        if self.unreachable_since is not None:
            return
        self.unreachable_since = time.time()
        self.outages += 1
        log.warning(
            "message_queue=unreachable error=%s channel=%s", type(error).__name__, self.channel
        )

    def stop(self) -> None:
        """End the listener (when its application closes)."""
        self._stopped = True

    # --- python-socketio's hooks -----------------------------------------------------------

    def _publish(self, data: Any) -> Any:
        if self.unreachable_since is not None:
            self.unpublished += 1
            return None
        try:
            if self._publisher is None:
                self._publisher = redis.Redis.from_url(self.redis_url, **self.redis_options)
            return self._publisher.publish(self.channel, self.json.dumps(data))
        except (redis.RedisError, OSError) as exc:
            self.unpublished += 1
            self.lost(exc)
            return None

    def _listen(self) -> Iterator[bytes]:
        # RedisManager's own unsubscribes at the end, from a connection that may be gone.
        channel = self.channel.encode("utf-8")
        for message in self._redis_listen_with_retries():
            if message["type"] == "message" and message["channel"] == channel:
                yield message["data"]

    def _redis_listen_with_retries(self) -> Iterator[dict[str, Any]]:
        delay = self.retry_min_s
        while not self._stopped:
            try:
                yield from self._subscribed()
            except (redis.RedisError, OSError) as exc:
                self.lost(exc)
            if self._listening:  # it was subscribed until now: the first retry comes soon
                delay = self.retry_min_s
            self._close_listener()
            time.sleep(delay)
            delay = min(delay * 2, self.retry_max_s)

    def _subscribed(self) -> Iterator[dict[str, Any]]:
        """Subscribe, then yield what arrives until the connection fails or must be renewed."""
        client = redis.Redis.from_url(self.redis_url, **self.redis_options)
        self.redis = client
        self._listener = self.pubsub = client.pubsub()  # type: ignore[no-untyped-call]
        self._reconnect = False
        self._listener.subscribe(self.channel)
        # Only the confirmation says the subscription holds: what is published from then on
        # reaches this process, and what was missed before is in the database.
        deadline = time.monotonic() + float(self.redis_options["socket_timeout"])
        while True:
            confirmation = self._listener.get_message(timeout=POLL_S)
            if confirmation is not None and confirmation["type"] == "subscribe":
                break
            if time.monotonic() > deadline:
                raise redis.TimeoutError("no confirmation of the subscription")
        self._listening = True
        self._returned()
        while not self._stopped and not self._reconnect:
            message = self._listener.get_message(timeout=POLL_S)
            if message is not None:
                yield message

    def _returned(self) -> None:
        since = self.unreachable_since
        if since is None:
            return
        self.unreachable_since = None
        self._close_publisher()  # its connection died with the old server
        log.warning(
            "message_queue=reachable unreachable_s=%.1f unpublished=%d channel=%s",
            time.time() - since,
            self.unpublished,
            self.channel,
        )
        try:
            self.on_return()
        except Exception:  # the listener must survive whatever the hint does
            log.exception("message_queue=reachable resync hint failed")

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        self._listening = False
        if listener is not None:
            try:
                listener.close()
            except (redis.RedisError, OSError):
                pass

    def _close_publisher(self) -> None:
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            try:
                publisher.close()
            except (redis.RedisError, OSError):
                pass
