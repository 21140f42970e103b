"""Rate limits are one count for every process of an installation when they share Redis: two
applications on one Redis refuse together, and another installation's count is its own. While
Redis is away each process counts alone (heavy: a Redis server of the test's own is stopped and
started again)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import uuid

import pytest

from moderator import runtime
from moderator.core.clock import FakeClock
from tests.fixtures.constants import EVENT
from tests.fixtures.helpers import wait_until
from tests.fixtures.server import free_port
from tests.fixtures.services import require

START_MS = 60_000 * 29_140_575 + 5_000
LOOK_UP = f"/api/events/{EVENT}/similar?text=How%20is%20the%20exchange%20financed"


@pytest.fixture
def installation(config_class, redis_url):
    """Build applications on the same database and Redis; each call to ``build(channel)``
    makes one more process of the installation named ``channel``."""
    from moderator.app import create_app

    apps = []

    def build(channel: str):
        class Shared(config_class):
            SOCKETIO_CHANNEL = channel
            RATE_LIMIT_REDIS_URL = redis_url
            SIMILAR_PER_ADDRESS = 4

        app = create_app(Shared)
        runtime.of(app).clock = FakeClock(START_MS)
        apps.append(app)
        return app

    yield build
    for app in apps:
        runtime.of(app).close()


def at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_two_processes_on_one_redis_share_the_count(installation):
    channel = f"test-{uuid.uuid4().hex[:8]}"  # this test's own keys
    a, b = installation(channel), installation(channel)
    assert runtime.limiter(a).shared and runtime.limiter(b).shared
    statuses = [at(app, "127.0.0.40").get(LOOK_UP).status_code for app in (a, b, a, b, a, b)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    refused = at(b, "127.0.0.40").get(LOOK_UP)
    assert refused.headers["Retry-After"] == "55"
    # Another address has its own count, on either process.
    assert at(a, "127.0.0.41").get(LOOK_UP).status_code == 200
    # Another installation on the same Redis counts apart.
    other = installation(f"test-{uuid.uuid4().hex[:8]}")
    assert at(other, "127.0.0.40").get(LOOK_UP).status_code == 200


class OwnRedis:
    """A Redis server of this test's own on a free port, to stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> OwnRedis:
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers, timeout=10, message=f"redis-server on port {self.port}")
        client.close()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.mark.heavy
def test_while_redis_is_away_each_process_counts_alone_and_refuses_nobody_for_it(
    config_class, caplog, monkeypatch
):
    from moderator import limits
    from moderator.app import create_app

    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    monkeypatch.setattr(limits, "REDIS_RETRY_S", 0.2)
    caplog.set_level(logging.WARNING, logger="moderator.limits")
    own = OwnRedis(free_port()).start()

    class AtOwnRedis(config_class):
        SOCKETIO_CHANNEL = f"test-{uuid.uuid4().hex[:8]}"
        RATE_LIMIT_REDIS_URL = own.url
        SIMILAR_PER_ADDRESS = 4

    a, b = create_app(AtOwnRedis), create_app(AtOwnRedis)
    try:
        for app in (a, b):
            runtime.of(app).clock = FakeClock(START_MS)
        on_a, on_b = at(a, "127.0.0.42"), at(b, "127.0.0.42")
        assert [c.get(LOOK_UP).status_code for c in (on_a, on_b, on_a)] == [200] * 3
        own.stop()
        # Away: each process counts here from nothing, never a 500, never a refusal for
        # Redis's absence (a's first hit pays the failed call, then counts locally).
        statuses = [on_a.get(LOOK_UP).status_code for _ in range(6)]
        assert statuses == [200] * 4 + [429] * 2
        assert on_b.get(LOOK_UP).status_code == 200
        assert not runtime.limiter(a).shared and not runtime.limiter(b).shared
        # Said once per process, not once per hit.
        assert [r.getMessage() for r in caplog.records] == [
            "rate limits counted per process: Redis does not answer (ConnectionError)"
        ] * 2
        own.start()  # empty: what was counted before the outage is gone with it
        # Back: asked again after REDIS_RETRY_S, and the processes count together again.
        wait_until(
            lambda: runtime.limiter(a).shared and runtime.limiter(b).shared,
            timeout=5,
            message="Redis asked again",
        )
        statuses = [c.get(LOOK_UP).status_code for c in (on_a, on_b, on_a, on_b, on_a, on_b)]
        assert statuses == [200] * 4 + [429] * 2
        assert caplog.records[-1].getMessage() == "rate limits shared through Redis again"
    finally:
        for app in (a, b):
            runtime.of(app).close()
        own.stop()
