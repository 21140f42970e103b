"""Catching up after a Redis outage: two processes on PostgreSQL share a Redis of the bench's own;
Redis is killed, a question is asked and approved on the first process, Redis comes back, and
every attendee on the second process (doing what the page does on a ``resync`` hint: waiting the
spread it names, then asking for its state) is timed until it has the question.

    .venv/bin/python bench/redis_outage.py [--clients 500] [--outage 15] [--json PATH]

Needs PostgreSQL (BENCH_POSTGRES_URL) and redis-server on the PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402
import requests  # noqa: E402

from bench.common import Server, free_port, machine, summary, write_json  # noqa: E402
from bench.fanout import postgres_database  # noqa: E402
from bench.swarm import Attendee, close_all, connect_all  # noqa: E402

EVENT = "ssc25"
WAIT_S = 20.0
SPREAD_MS = 2000  # the default MESSAGE_QUEUE_RESYNC_SPREAD_MS


class OwnRedis:
    """``redis-server`` on a free port, killed (``kill -9``) and started again on the same port."""

    def __init__(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise SystemExit("redis-server is not on the PATH")
        self.command = [
            executable, "--port", str(free_port()), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ]  # fmt: skip
        self.url = f"redis://127.0.0.1:{self.command[2]}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


class Page(Attendee):
    """An attendee that answers the server's ``resync`` hint as the page does (connection.js):
    a random wait within ``spread_ms``, then ``sync``; records when it first held ``wanted``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hinted: float | None = None
        self.caught_up: float | None = None
        self.wanted: int | None = None
        self.sync_ms: float | None = None
        self.sio.on("resync", self._on_resync)

    def holds(self) -> float | None:
        """When this attendee first held the wanted question: resent to every page, or in the
        reply to its own sync."""
        pushed = [t for t, q in self.questions if q.get("id") == self.wanted]
        times = [t for t in (*pushed[:1], self.caught_up) if t is not None]
        return min(times) if times else None

    async def _on_resync(self, hint):
        self.hinted = self.hinted or time.monotonic()
        await asyncio.sleep(random.random() * min(hint.get("spread_ms", 0), 10_000) / 1000)
        asked = time.monotonic()
        reply = await self.call("sync", {})
        self.sync_ms = (time.monotonic() - asked) * 1000
        ids = {q["id"] for q in reply.get("questions", [])}
        if self.wanted in ids and self.caught_up is None:
            self.caught_up = time.monotonic()


def queue_state(url: str) -> str:
    return requests.get(f"{url}/api/health", timeout=5).json()["message_queue"].get("state", "")


async def measure(a: Server, b: Server, queue: OwnRedis, clients: int, outage_s: float) -> dict:
    pages = [Page(b.url, EVENT, f"outage-{i:05d}") for i in range(clients)]
    asker = Attendee(a.url, EVENT, "outage-asker")
    await connect_all([asker, *pages])
    try:
        queue.kill()
        cut = time.monotonic()
        while not all(queue_state(s.url) == "unreachable" for s in (a, b)):
            await asyncio.sleep(0.05)
        noticed = time.monotonic() - cut
        asked = await asker.call(
            "submit",
            {
                "text": "Asked on process A while Redis was away: does anyone on B see it?",
                "theme": "ssc",
                "via": "online",
                "client_msg_id": f"outage-{uuid.uuid4().hex[:8]}",
            },
        )
        qid = asked["question"]["id"]
        a.api("POST", f"/events/{EVENT}/questions/{qid}/approve")
        for page in pages:
            page.wanted = qid
        await asyncio.sleep(max(0.0, outage_s - (time.monotonic() - cut)))
        queue.start()
        back = time.monotonic()
        deadline = back + WAIT_S
        while time.monotonic() < deadline and not all(p.caught_up for p in pages):
            await asyncio.sleep(0.02)
        caught = [(p.holds() - back) * 1000 for p in pages if p.holds()]
        synced = [(p.caught_up - back) * 1000 for p in pages if p.caught_up]
        hinted = [(p.hinted - back) * 1000 for p in pages if p.hinted]
        syncs = [p.sync_ms for p in pages if p.sync_ms is not None]
        return {
            "outage_s": round(back - cut, 1),
            "noticed_ms": round(noticed * 1000),
            "hint_ms": {k: v and round(v) for k, v in summary(hinted).items()},
            "caught_up_ms": {k: v and round(v) for k, v in summary(caught).items()},
            "own_sync_ms": {k: v and round(v) for k, v in summary(synced).items()},
            "sync_reply_ms": {k: v and round(v) for k, v in summary(syncs).items()},
            "missing": clients - len(caught),
        }
    finally:
        await close_all([asker, *pages])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500, help="attendees on process B")
    parser.add_argument("--outage", type=float, default=15.0, help="seconds without Redis")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    queue = OwnRedis()
    queue.start()
    env = {
        "DATABASE_URL": postgres_database(),
        "SOCKETIO_MESSAGE_QUEUE": queue.url,
        "SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex[:8]}",
    }
    servers = [Server(env=env) for _ in range(2)]
    try:
        for server in servers:
            server.start()
        print(f"two processes, {args.clients} attendees on B, Redis away {args.outage:.0f} s")
        figures = asyncio.run(measure(*servers, queue, args.clients, args.outage))
    finally:
        for server in servers:
            server.stop()
        queue.kill()
    caught, hint = figures["caught_up_ms"], figures["hint_ms"]
    print(f"  both processes reported the queue unreachable {figures['noticed_ms']} ms after")
    print(
        f"  after Redis returned: resync hint median {hint['median']} ms (max {hint['max']}); "
        f"attendees on B holding A's question: median {caught['median']} ms, "
        f"p95 {caught['p95']} ms, max {caught['max']} ms; {figures['missing']} missing"
    )
    sync, own = figures["sync_reply_ms"], figures["own_sync_ms"]
    print(
        f"  each page's own resync (spread over {SPREAD_MS} ms) done: median {own['median']} ms, "
        f"max {own['max']} ms after; its sync answered in median {sync['median']} ms, "
        f"max {sync['max']} ms"
    )
    write_json(args.json, {"machine": machine(), "clients": args.clients, **figures})
    return 0


if __name__ == "__main__":
    sys.exit(main())
