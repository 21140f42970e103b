"""The clock the core reads, injected so tests can run on a fake one."""

import time
from collections.abc import Callable

Clock = Callable[[], int]
"""Returns the current time in whole milliseconds since the Unix epoch."""


def system_clock() -> int:
    """Wall-clock time in milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


class FakeClock:
    """A clock that only moves when told to; for tests."""

    def __init__(self, start_ms: int = 1_748_434_500_000):
        self.now_ms = start_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, ms: int) -> None:
        """Move the clock forward by ``ms`` milliseconds."""
        self.now_ms += ms
