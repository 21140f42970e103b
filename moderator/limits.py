"""Rate limits per person and per network address, shared between processes.

Each limited thing (``RULES``: new connections, questions, votes, similar-question look-ups,
screen reports) is counted in fixed windows of ``window_s`` twice: per identity (the
server-issued attendee id, or the screen's id) with a tight figure, and per address (from
``moderator/identity.py``) with a generous one, since a conference room puts hundreds of phones
behind one NAT. A hit past either figure is refused with ``RateLimited`` (429, ``retry_after``
seconds: until the window ends).

The counters live in Redis when the app has one (``RATE_LIMIT_REDIS_URL``, by default the
Socket.IO message queue): one pipelined ``INCR`` + ``PEXPIRE`` per key and hit, so every process
counts together and no vote costs a database write. Without Redis, or while it does not answer,
each process counts on its own in memory (logged once when it switches, and again when Redis is
back): a limit is then per process, and nobody is ever refused because Redis is away.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moderator.core.clock import Clock
from moderator.core.errors import NP_, RateLimited

log = logging.getLogger("moderator.limits")

# How long the limiter keeps to its own counters after Redis failed before asking it again,
# so that an outage costs one timeout per interval, not one per hit.
REDIS_RETRY_S = 5.0
REDIS_TIMEOUT_S = 0.25
# Per-process counters kept at most (distinct identities and addresses within a window).
LOCAL_KEYS_LIMIT = 200_000


@dataclass(frozen=True)
class Rule:
    """One limited thing: at most ``per_identity`` hits per identity and ``per_address`` per
    address in each window of ``window_s`` seconds (0 switches that half off)."""

    name: str
    per_identity: int
    per_address: int
    window_s: int


# The rule of each limited thing and the settings its two figures are read from
# (``config.py``). Questions per attendee are counted in the database instead
# (``QUESTIONS_PER_MINUTE``, ``moderator/core/questions.py``): exact across processes even
# without Redis, and a resend of a question already stored does not count again.
RULES: dict[str, tuple[str | None, str]] = {
    "connect": ("NEW_CONNECTIONS_PER_PERSON", "NEW_CONNECTIONS_PER_ADDRESS"),
    "submit": (None, "QUESTIONS_PER_ADDRESS"),
    "vote": ("VOTES_PER_PERSON", "VOTES_PER_ADDRESS"),
    "similar": ("SIMILAR_PER_PERSON", "SIMILAR_PER_ADDRESS"),
    "screen_report": ("SCREEN_REPORTS_PER_SCREEN", "SCREEN_REPORTS_PER_ADDRESS"),
}

# What a refusal says, by rule (None: a rule not listed here), by who is counted ("id": the
# person, "addr": the address) and by whether the window is the usual minute: whole sentences,
# so that each can be translated; ``n`` is the wait in seconds.
_TOO_MANY: dict[tuple[str | None, str, bool], tuple[str, str]] = {
    ("connect", "id", True): NP_(
        "Too many connection attempts from you in this minute (the limit is {limit}); please try "
        "again in {n} s.",
        "Too many connection attempts from you in this minute (the limit is {limit}); please try "
        "again in {n} s.",
    ),
    ("connect", "id", False): NP_(
        "Too many connection attempts from you in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
        "Too many connection attempts from you in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
    ),
    ("connect", "addr", True): NP_(
        "Too many connection attempts from your network in this minute (the limit is {limit}); "
        "please try again in {n} s.",
        "Too many connection attempts from your network in this minute (the limit is {limit}); "
        "please try again in {n} s.",
    ),
    ("connect", "addr", False): NP_(
        "Too many connection attempts from your network in this {window} s (the limit is "
        "{limit}); please try again in {n} s.",
        "Too many connection attempts from your network in this {window} s (the limit is "
        "{limit}); please try again in {n} s.",
    ),
    ("submit", "id", True): NP_(
        "Too many questions from you in this minute (the limit is {limit}); please try again in "
        "{n} s.",
        "Too many questions from you in this minute (the limit is {limit}); please try again in "
        "{n} s.",
    ),
    ("submit", "id", False): NP_(
        "Too many questions from you in this {window} s (the limit is {limit}); please try again "
        "in {n} s.",
        "Too many questions from you in this {window} s (the limit is {limit}); please try again "
        "in {n} s.",
    ),
    ("submit", "addr", True): NP_(
        "Too many questions from your network in this minute (the limit is {limit}); please try "
        "again in {n} s.",
        "Too many questions from your network in this minute (the limit is {limit}); please try "
        "again in {n} s.",
    ),
    ("submit", "addr", False): NP_(
        "Too many questions from your network in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
        "Too many questions from your network in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
    ),
    ("vote", "id", True): NP_(
        "Too many votes from you in this minute (the limit is {limit}); please try again in {n} s.",
        "Too many votes from you in this minute (the limit is {limit}); please try again in {n} s.",
    ),
    ("vote", "id", False): NP_(
        "Too many votes from you in this {window} s (the limit is {limit}); please try again in "
        "{n} s.",
        "Too many votes from you in this {window} s (the limit is {limit}); please try again in "
        "{n} s.",
    ),
    ("vote", "addr", True): NP_(
        "Too many votes from your network in this minute (the limit is {limit}); please try again "
        "in {n} s.",
        "Too many votes from your network in this minute (the limit is {limit}); please try again "
        "in {n} s.",
    ),
    ("vote", "addr", False): NP_(
        "Too many votes from your network in this {window} s (the limit is {limit}); please try "
        "again in {n} s.",
        "Too many votes from your network in this {window} s (the limit is {limit}); please try "
        "again in {n} s.",
    ),
    ("similar", "id", True): NP_(
        "Too many look-ups from you in this minute (the limit is {limit}); please try again in "
        "{n} s.",
        "Too many look-ups from you in this minute (the limit is {limit}); please try again in "
        "{n} s.",
    ),
    ("similar", "id", False): NP_(
        "Too many look-ups from you in this {window} s (the limit is {limit}); please try again "
        "in {n} s.",
        "Too many look-ups from you in this {window} s (the limit is {limit}); please try again "
        "in {n} s.",
    ),
    ("similar", "addr", True): NP_(
        "Too many look-ups from your network in this minute (the limit is {limit}); please try "
        "again in {n} s.",
        "Too many look-ups from your network in this minute (the limit is {limit}); please try "
        "again in {n} s.",
    ),
    ("similar", "addr", False): NP_(
        "Too many look-ups from your network in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
        "Too many look-ups from your network in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
    ),
    ("screen_report", "id", True): NP_(
        "Too many clock reports from you in this minute (the limit is {limit}); please try again "
        "in {n} s.",
        "Too many clock reports from you in this minute (the limit is {limit}); please try again "
        "in {n} s.",
    ),
    ("screen_report", "id", False): NP_(
        "Too many clock reports from you in this {window} s (the limit is {limit}); please try "
        "again in {n} s.",
        "Too many clock reports from you in this {window} s (the limit is {limit}); please try "
        "again in {n} s.",
    ),
    ("screen_report", "addr", True): NP_(
        "Too many clock reports from your network in this minute (the limit is {limit}); please "
        "try again in {n} s.",
        "Too many clock reports from your network in this minute (the limit is {limit}); please "
        "try again in {n} s.",
    ),
    ("screen_report", "addr", False): NP_(
        "Too many clock reports from your network in this {window} s (the limit is {limit}); "
        "please try again in {n} s.",
        "Too many clock reports from your network in this {window} s (the limit is {limit}); "
        "please try again in {n} s.",
    ),
    (None, "id", True): NP_(
        "Too many requests from you in this minute (the limit is {limit}); please try again in "
        "{n} s.",
        "Too many requests from you in this minute (the limit is {limit}); please try again in "
        "{n} s.",
    ),
    (None, "id", False): NP_(
        "Too many requests from you in this {window} s (the limit is {limit}); please try again "
        "in {n} s.",
        "Too many requests from you in this {window} s (the limit is {limit}); please try again "
        "in {n} s.",
    ),
    (None, "addr", True): NP_(
        "Too many requests from your network in this minute (the limit is {limit}); please try "
        "again in {n} s.",
        "Too many requests from your network in this minute (the limit is {limit}); please try "
        "again in {n} s.",
    ),
    (None, "addr", False): NP_(
        "Too many requests from your network in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
        "Too many requests from your network in this {window} s (the limit is {limit}); please "
        "try again in {n} s.",
    ),
}


def rules_from(config: Mapping[str, Any]) -> dict[str, Rule]:
    """Each rule with the figures and the window ``config`` sets."""
    window_s = max(1, int(config["RATE_LIMIT_WINDOW_S"]))
    return {
        name: Rule(name, int(config[person]) if person else 0, int(config[address]), window_s)
        for name, (person, address) in RULES.items()
    }


class LocalCounters:
    """Fixed-window counters in this process's memory (the fallback, and the only store
    without Redis). Expired windows are dropped as time passes; the table is bounded."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (count, expires at ms)
        self._lock = threading.Lock()
        self._next_sweep_ms = 0

    def hit(self, keys: list[str], expires_ms: int, now_ms: int) -> list[int]:
        """Count one hit on each key (all expiring at ``expires_ms``); the counts after it."""
        with self._lock:
            if now_ms >= self._next_sweep_ms or len(self._counts) > LOCAL_KEYS_LIMIT:
                self._sweep(now_ms)
            counts = []
            for key in keys:
                count, expires = self._counts.get(key, (0, expires_ms))
                if expires <= now_ms:
                    count, expires = 0, expires_ms
                self._counts[key] = (count + 1, expires)
                counts.append(count + 1)
            return counts

    def uncount(self, key: str) -> None:
        """Take back one hit on ``key`` (counted by ``hit`` in the same window)."""
        with self._lock:
            if key in self._counts:
                count, expires = self._counts[key]
                self._counts[key] = (max(count - 1, 0), expires)

    def _sweep(self, now_ms: int) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[1] > now_ms}
        if len(self._counts) > LOCAL_KEYS_LIMIT:  # a flood of distinct keys: forget the oldest
            keep = sorted(self._counts.items(), key=lambda item: item[1][1])
            self._counts = dict(keep[len(keep) // 2 :])
        self._next_sweep_ms = now_ms + 1000


class Limiter:
    """Counts hits per identity and per address, in Redis when it answers, else in memory."""

    def __init__(
        self,
        rules: dict[str, Rule],
        *,
        secret: str,
        redis_url: str | None = None,
        prefix: str = "moderator",
    ) -> None:
        self.rules = rules
        self.prefix = f"{prefix}:limits"
        # Keys hold a keyed hash of the identity or address, never the value itself.
        self._secret = hashlib.sha256(f"limits|{secret}".encode()).digest()
        self.local = LocalCounters()
        self._redis: Any = None
        self._redis_down_until = 0.0
        self._warned = False  # the switch to per-process counting was logged
        if redis_url and redis_url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            self._redis = redis.Redis.from_url(
                redis_url,
                socket_connect_timeout=REDIS_TIMEOUT_S,
                socket_timeout=REDIS_TIMEOUT_S,
            )

    @property
    def shared(self) -> bool:
        """Whether the counts are shared with other processes right now (Redis answers)."""
        return self._redis is not None and time.monotonic() >= self._redis_down_until

    def hit(
        self, rule_name: str, *, identity: str | None, address: str | None, clock: Clock
    ) -> None:
        """Count one hit of ``rule_name`` for ``identity`` and ``address`` (either may be
        unknown: that half is not counted) at ``clock``'s time. Raises ``RateLimited`` past
        either limit."""
        rule = self.rules[rule_name]
        window_ms = rule.window_s * 1000
        now = clock()
        window = now // window_ms
        expires = (window + 1) * window_ms
        checks = [
            (kind, value, limit)
            for kind, value, limit in (
                ("id", identity, rule.per_identity),
                ("addr", address, rule.per_address),
            )
            if value is not None and limit > 0
        ]
        if not checks:
            return
        keys = [
            f"{self.prefix}:{rule.name}:{kind}:{self._hash(v)}:{window}" for kind, v, _ in checks
        ]
        counts = self._count(keys, expires, now)
        for (kind, _value, limit), count in zip(checks, counts, strict=True):
            if count > limit:
                if kind == "id" and len(keys) == 2:
                    # One person past their own figure does not spend their neighbours'
                    # budget: the address's hit is taken back.
                    self._uncount(keys[1])
                raise _refusal(rule, kind, limit, retry_after_ms=expires - now)

    def _hash(self, value: str) -> str:
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:24]

    def _count(self, keys: list[str], expires_ms: int, now_ms: int) -> list[int]:
        if self.shared:
            try:
                return self._count_in_redis(keys, expires_ms - now_ms)
            except Exception as exc:  # any failure of Redis: count here, never refuse for it
                self._redis_down_until = time.monotonic() + REDIS_RETRY_S
                if not self._warned:
                    self._warned = True
                    log.warning(
                        "rate limits counted per process: Redis does not answer (%s)",
                        type(exc).__name__,
                    )
        return self.local.hit(keys, expires_ms, now_ms)

    def _uncount(self, key: str) -> None:
        if self.shared:
            try:
                self._redis.decr(key)
                return
            except Exception:  # counted here then (see ``_count``)
                self._redis_down_until = time.monotonic() + REDIS_RETRY_S
        self.local.uncount(key)

    def _count_in_redis(self, keys: list[str], ttl_ms: int) -> list[int]:
        pipe = self._redis.pipeline(transaction=False)
        for key in keys:
            pipe.incr(key)
            pipe.pexpire(key, max(ttl_ms, 1) + 1000)  # a second's grace for clock skew
        replies = pipe.execute()
        if self._warned:
            self._warned = False
            log.warning("rate limits shared through Redis again")
        return [int(n) for n in replies[0::2]]

    def close(self) -> None:
        """Close the connection to Redis, if any."""
        if self._redis is not None:
            self._redis.close()


def _refusal(rule: Rule, kind: str, limit: int, *, retry_after_ms: int) -> RateLimited:
    seconds = max(1, -(-retry_after_ms // 1000))
    minute = rule.window_s == 60
    template = _TOO_MANY.get((rule.name, kind, minute)) or _TOO_MANY[(None, kind, minute)]
    return RateLimited(template, retry_after=seconds, n=seconds, limit=limit, window=rule.window_s)
