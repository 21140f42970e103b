"""Messages per connection: a token bucket for each Socket.IO connection, so one fast client
cannot take the server's time from everyone else (docs/security.md, "Floods").

This is the per-connection pace only. Limits per attendee and per address on what the messages
do (submissions, votes, look-ups) are counted elsewhere and shared between processes; this one
is in memory, per process, and forgotten when the connection goes.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class TokenBucket:
    """``burst`` messages at once, refilled at ``per_second``. A refused message still costs a
    token, down to ``-burst``: a client that ignores the refusals runs into debt (and reaches
    ``bankrupt``), however it times its messages. ``strikes`` counts the refusals in a row."""

    __slots__ = ("burst", "per_second", "tokens", "stamp", "strikes")

    def __init__(self, burst: int, per_second: float, now: float) -> None:
        self.burst = max(1, burst)
        self.per_second = max(per_second, 1e-9)
        self.tokens = float(self.burst)
        self.stamp = now
        self.strikes = 0

    def take(self, now: float) -> float:
        """Spend one token: 0.0 when allowed, otherwise the seconds until one is available."""
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.per_second)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            self.strikes = 0
            return 0.0
        self.strikes += 1
        self.tokens = max(-float(self.burst), self.tokens - 1.0)
        return (1.0 - self.tokens) / self.per_second

    @property
    def bankrupt(self) -> bool:
        """It sent ``burst`` more messages than it was allowed, refusals notwithstanding."""
        return self.tokens <= -float(self.burst)


@dataclass(frozen=True)
class Verdict:
    """What to do with one message: ``allowed``; otherwise refuse it, asking to wait
    ``retry_after`` seconds, and close the connection too when it ``keeps_going``. ``first``:
    the first refusal since the last message allowed (the one worth a line in the log)."""

    allowed: bool
    retry_after: float = 0.0
    keeps_going: bool = False
    first: bool = False


class ConnectionThrottle:
    """The buckets of this process's connections, keyed by Socket.IO connection id."""

    def __init__(
        self, burst: int, per_second: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_second > 0

    def check(self, connection: str) -> Verdict:
        """Count one message of ``connection``."""
        if not self.enabled:
            return Verdict(True)
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(connection)
            if bucket is None:
                bucket = self._buckets[connection] = TokenBucket(self.burst, self.per_second, now)
            wait = bucket.take(now)
            strikes, bankrupt = bucket.strikes, bucket.bankrupt
        if wait <= 0.0:
            return Verdict(True)
        # Rounded up to a tenth of a second, so that waiting that long is always enough.
        retry_after = math.ceil(wait * 10) / 10
        return Verdict(False, retry_after, keeps_going=bankrupt, first=strikes == 1)

    def forget(self, connection: str) -> None:
        """The connection closed."""
        with self._lock:
            self._buckets.pop(connection, None)

    def __len__(self) -> int:
        return len(self._buckets)
