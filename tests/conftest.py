"""Fixtures: an application on a throwaway database, HTTP and Socket.IO test clients, a real
eventlet server in a subprocess, and Chromium for browser tests."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import socketio

from bench.common import CHROMIUM_ARGS
from config import Config

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-moderator-token"
STRICT = os.environ.get("MODERATOR_STRICT_TESTS") == "1" or os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip when a service or browser is missing on a laptop; fail in CI, where it must exist."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def wait_until(predicate, timeout: float = 5.0, interval: float = 0.02, message: str = ""):
    """Poll ``predicate`` until it returns something truthy or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}")
        time.sleep(interval)


# --- The core on its own: a database, a fake clock, the demo event ----------------------------


@pytest.fixture
def clock():
    """A clock that moves only when a test says so (a module may override it)."""
    from moderator.core.clock import FakeClock

    return FakeClock()


@pytest.fixture
def database(tmp_path, clock):
    """A migrated SQLite database holding the demo event, for tests of the core."""
    from moderator.core import events
    from moderator.core.event_file import DEMO_EVENT_FILE, load_event_file
    from moderator.db import Database

    database = Database(f"sqlite:///{tmp_path / 'core.db'}")
    with database.session() as s:
        events.install_events(s, [load_event_file(DEMO_EVENT_FILE)], clock=clock)
    yield database
    database.dispose()


@pytest.fixture
def session(database):
    with database.session() as s:
        yield s


@pytest.fixture
def event(session):
    """The demo event, as the core sees it."""
    from moderator.core import events

    return events.get_event(session, "ssc25")


# --- The application ---------------------------------------------------------------------------


@pytest.fixture
def config_class(tmp_path):
    class TestConfig(Config):
        TESTING = True
        INSTANCE_PATH = str(tmp_path / "instance")
        DATABASE_URL = f"sqlite:///{tmp_path / 'test.db'}"
        SOCKETIO_ASYNC_MODE = "threading"
        SOCKETIO_MESSAGE_QUEUE = None
        MODERATOR_TOKEN = TOKEN
        SECRET_KEY = "test-secret"
        EVENT_FILES: list[str] = []

    return TestConfig


@pytest.fixture
def app(config_class):
    from moderator import runtime
    from moderator.app import create_app

    application = create_app(config_class)
    yield application
    runtime.of(application).close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def bearer():
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def moderator_client(app):
    """A browser-like client that has logged in with the token."""
    browser = app.test_client()
    response = browser.get(f"/moderate/ssc25?token={TOKEN}")
    assert response.status_code == 302
    return browser


@pytest.fixture
def attendee_socket(app):
    """Connect an attendee (or, with client_id=None, a screen) to the demo event."""
    from moderator.extensions import socketio

    clients = []

    def connect(client_id: str | None = "attendee-0001", event: str = "ssc25"):
        auth = {"event": event}
        if client_id is not None:
            auth["client_id"] = client_id
        sock = socketio.test_client(app, auth=auth)
        clients.append(sock)
        return sock

    yield connect
    for sock in clients:
        if sock.is_connected():
            sock.disconnect()


@pytest.fixture
def moderator_socket(app, moderator_client):
    """A moderator's Socket.IO connection on /mod, authorised by the logged-in session."""
    from moderator.extensions import socketio

    sock = socketio.test_client(
        app, namespace="/mod", auth={"event": "ssc25"}, flask_test_client=moderator_client
    )
    yield sock
    if sock.is_connected("/mod"):
        sock.disconnect("/mod")


def submission(n: int = 1, **overrides) -> dict:
    """A valid attendee submission; ``n`` varies the ids."""
    body = {
        "text": f"Question number {n}?",
        "theme": "ssc",
        "via": "online",
        "client_id": f"client-{n:04d}",
        "client_msg_id": f"message-{n:04d}",
    }
    body.update(overrides)
    return body


# --- A real server in a subprocess -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``python -m moderator`` under eventlet, on its own port and instance folder."""

    def __init__(self, instance: Path, env: dict[str, str] | None = None):
        self.instance = instance
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.log = instance.parent / f"server-{self.port}.log"

    def start(self) -> ServerProcess:
        """Start the server and wait until it accepts connections."""
        return self.launch().wait_ready()

    def launch(self) -> ServerProcess:
        """Start the server without waiting (to start several at once)."""
        env = {
            **os.environ,
            "INSTANCE_PATH": str(self.instance),
            "MODERATOR_TOKEN": TOKEN,
            "SECRET_KEY": "test-secret",
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            **self.extra_env,
        }
        env.pop("SOCKETIO_ASYNC_MODE", None)
        with open(self.log, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moderator"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_ready(self) -> ServerProcess:
        wait_until(self._accepting, timeout=30, message=f"server on port {self.port}")
        return self

    def _accepting(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        """``kill -9``: no chance to flush or clean up."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def live_server(tmp_path):
    server = ServerProcess(tmp_path / "instance").start()
    yield server
    server.stop()


# --- python-socketio clients ------------------------------------------------------------------


class Listener:
    """A python-socketio client that queues what it receives, with the arrival time."""

    def __init__(self, url, auth, namespace="/"):
        self.inbox: queue.Queue = queue.Queue()
        self.namespace = namespace
        self.client = socketio.Client(reconnection=False)
        for name in ("question", "my_question", "question_removed"):
            self.client.on(name, self._keeper(name), namespace=namespace)
        # Several questions changed by one action arrive as one "questions" message.
        self.client.on("questions", self._each("question"), namespace=namespace)
        self.client.connect(
            url, auth=auth, namespaces=[namespace], transports=["websocket"], wait_timeout=10
        )

    def _each(self, name):
        return lambda items: [self.inbox.put((name, data, time.monotonic())) for data in items]

    def _keeper(self, name):
        return lambda data: self.inbox.put((name, data, time.monotonic()))

    def next(self, name, timeout=5.0, where=lambda data: True):
        """The next message called ``name`` that satisfies ``where``, within ``timeout``."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                got, data, at = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if got == name and where(data):
                return data, at
        raise AssertionError(f"no {name!r} message within {timeout}s")

    def call(self, event, data, timeout=5.0):
        return self.client.call(event, data, namespace=self.namespace, timeout=timeout)

    def close(self):
        self.client.disconnect()


# --- Chromium ----------------------------------------------------------------------------------

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    require(executable is not None, "Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --- PostgreSQL and Redis (real services; skipped on a laptop without them, failed in CI) ------

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database for this test, dropped afterwards."""
    import uuid

    import psycopg2

    try:
        admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        require(False, f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    admin.autocommit = True
    name = f"moderator_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def redis_url():
    """Redis for the message queue; each test gets its own channel."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        require(False, f"Redis is not reachable at {REDIS_URL}: {exc}")
    return REDIS_URL
