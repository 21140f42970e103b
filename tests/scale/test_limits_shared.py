"""Rate limits are one count for every process of an installation when they share Redis: two
applications on one Redis refuse together, and another installation's count is its own."""

from __future__ import annotations

import uuid

import pytest

from moderator import runtime
from moderator.core.clock import FakeClock
from tests.fixtures.constants import EVENT

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
