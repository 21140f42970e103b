"""Fan-out latency: from a moderator's action to its arrival at every attendee, against a bare
Flask-SocketIO server doing the same broadcast on the same machine in the same run.

    .venv/bin/python bench/fanout.py --clients 2000 [--processes 2] [--rounds 10] [--json PATH]

With --processes 2 the app runs as two processes sharing PostgreSQL and Redis (attendees split
between them, the moderator on the first), and the single-process app is measured as well.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import socketio  # noqa: E402

from bench.common import (  # noqa: E402
    ROOT,
    TOKEN,
    Server,
    free_port,
    machine,
    percentile,
    write_json,
)
from bench.swarm import Attendee, Moderator, close_all, connect_all  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
WAIT_S = 20.0


async def wait_for(attendees, key, deadline) -> None:
    while time.monotonic() < deadline:
        if all(any(d.get("id") == key for _t, d in a.questions) for a in attendees):
            return
        await asyncio.sleep(0.01)


def latencies(attendees, key, t0) -> tuple[list[float], int]:
    found, lost = [], 0
    for attendee in attendees:
        times = [t for t, d in attendee.questions if d.get("id") == key]
        if times:
            found.append((times[0] - t0) * 1000)
        else:
            lost += 1
    return found, lost


async def measure_app(urls: list[str], clients: int, rounds: int) -> dict:
    first = urls[0]
    ids = []
    for n in range(rounds):
        reply = Server.api_at(
            first,
            "POST",
            "/events/ssc25/questions",
            json={
                "text": f"Fan-out question {n}: how do exchanges build trust between countries?",
                "theme": "ssc",
                "via": "online",
                "client_id": f"fanout-asker-{n:03d}",
                "client_msg_id": f"fanout-question-{n:03d}-{uuid.uuid4().hex[:6]}",
            },
        )
        ids.append(reply["question"]["id"])
    attendees = [Attendee(urls[i % len(urls)], "ssc25", f"fanout-{i:05d}") for i in range(clients)]
    moderator = Moderator(first, "ssc25", TOKEN)
    await connect_all([moderator, *attendees])
    await asyncio.sleep(1.0)
    quiet_collector()
    samples, lost, size = [], 0, 0
    for n, qid in enumerate(ids):
        action = "approve" if n % 2 == 0 else "live"
        if action == "live":
            await moderator.call("act", {"id": qid, "action": "approve"})
            await asyncio.sleep(0.5)
            for a in attendees:
                a.questions.clear()
        t0 = time.monotonic()
        await moderator.call("act", {"id": qid, "action": action})
        await wait_for(attendees, qid, t0 + WAIT_S)
        found, missing = latencies(attendees, qid, t0)
        if os.environ.get("BENCH_VERBOSE"):
            print(
                f"    {action}: p50 {percentile(found, 50):.0f} ms, "
                f"p95 {percentile(found, 95):.0f} ms, first {min(found):.0f} ms"
            )
        samples += found
        lost += missing
        for a in attendees:
            if a.questions:
                size = len(json.dumps(a.questions[0][1]))
                break
        for a in attendees:
            a.questions.clear()
        await asyncio.sleep(0.5)
    await close_all([moderator, *attendees])
    gc.enable()
    return summarise(samples, lost, clients * rounds, size)


async def measure_baseline(url: str, clients: int, rounds: int, size: int) -> dict:
    attendees = [Attendee(url, "x", f"baseline-{i:05d}") for i in range(clients)]
    driver = socketio.AsyncClient(reconnection=False)
    await connect_all(attendees)
    await driver.connect(url, auth={"driver": True}, transports=["websocket"])
    await asyncio.sleep(1.0)
    quiet_collector()
    samples, lost = [], 0
    for n in range(rounds):
        payload = {"id": n, "text": "x" * max(0, size - 20)}
        t0 = time.monotonic()
        await driver.call("trigger", payload, timeout=60)
        await wait_for(attendees, n, t0 + WAIT_S)
        found, missing = latencies(attendees, n, t0)
        if os.environ.get("BENCH_VERBOSE"):
            print(
                f"    trigger: p50 {percentile(found, 50):.0f} ms, "
                f"p95 {percentile(found, 95):.0f} ms, first {min(found):.0f} ms"
            )
        samples += found
        lost += missing
        for a in attendees:
            a.questions.clear()
        await asyncio.sleep(0.5)
    await driver.disconnect()
    await close_all(attendees)
    gc.enable()
    return summarise(samples, lost, clients * rounds, size)


def quiet_collector() -> None:
    """Keep the client swarm's garbage collector from pausing in the middle of a measurement
    (its pauses are the client's, not the server's): collect now, then only between runs."""
    gc.collect()
    gc.freeze()
    gc.disable()


def summarise(samples: list[float], lost: int, expected: int, size: int) -> dict:
    return {
        "deliveries": len(samples),
        "expected": expected,
        "lost": lost,
        "payload_bytes": size,
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1) if samples else None,
    }


def start_baseline() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "baseline_server.py"), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    Server.wait_http(url, "/socket.io/?EIO=4&transport=polling")
    return process, url


def postgres_database() -> str:
    import psycopg2

    admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    admin.autocommit = True
    name = f"moderator_bench_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def run_app(processes: int, clients: int, rounds: int) -> dict:
    env = {}
    if processes > 1:
        env = {
            "DATABASE_URL": postgres_database(),
            "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
            "SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex[:8]}",
        }
    servers = [Server(env=env) for _ in range(processes)]
    try:
        for server in servers:
            server.start()
        return asyncio.run(measure_app([s.url for s in servers], clients, rounds))
    finally:
        for server in servers:
            server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    print(f"app: {args.processes} process(es), {args.clients} attendees, {args.rounds} actions")
    app = run_app(args.processes, args.clients, args.rounds)
    print(
        f"  p50 {app['p50_ms']} ms, p95 {app['p95_ms']} ms, max {app['max_ms']} ms, "
        f"lost {app['lost']} of {app['expected']}"
    )
    single = None
    if args.processes > 1:
        print(f"app: 1 process, {args.clients} attendees (for the scale-out ratio)")
        single = run_app(1, args.clients, args.rounds)
        print(f"  p50 {single['p50_ms']} ms, p95 {single['p95_ms']} ms, lost {single['lost']}")
    print(
        f"baseline: bare Flask-SocketIO, {args.clients} clients, payload {app['payload_bytes']} B"
    )
    process, url = start_baseline()
    try:
        base = asyncio.run(measure_baseline(url, args.clients, args.rounds, app["payload_bytes"]))
    finally:
        process.terminate()
        process.wait(10)
    print(
        f"  p50 {base['p50_ms']} ms, p95 {base['p95_ms']} ms, max {base['max_ms']} ms, "
        f"lost {base['lost']}"
    )
    ratio = round(app["p95_ms"] / base["p95_ms"], 2)
    print(
        f"\napp p95 / baseline p95 at {args.clients} clients: {ratio} (goal <= 1.25), "
        f"deliveries lost: {app['lost']}"
    )
    figures = {
        "machine": machine(),
        "clients": args.clients,
        "processes": args.processes,
        "rounds": args.rounds,
        "app": app,
        "baseline": base,
        "app_p95_ms": app["p95_ms"],
        "baseline_p95_ms": base["p95_ms"],
        "ratio": ratio,
        "lost": app["lost"],
    }
    if single:
        figures["single_process_p95_ms"] = single["p95_ms"]
        figures["ratio_vs_single_process"] = round(app["p95_ms"] / single["p95_ms"], 2)
        print(f"two processes p95 / one process p95: {figures['ratio_vs_single_process']}")
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
