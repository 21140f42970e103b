"""Capacity: thousands of attendees held on one process, all receiving a broadcast.

Connects 5,000 attendee sockets to one server process (SQLite, eventlet), holds them for a
minute, has the moderator approve a question halfway through, and reports connections refused,
connections lost, deliveries, and the server's memory per connection (RSS growth / connections).

    .venv/bin/python bench/capacity.py [--clients 5000] [--hold 60] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TOKEN, Server, machine, rss_bytes, write_json  # noqa: E402
from bench.fanout import start_baseline  # noqa: E402
from bench.swarm import Attendee, Moderator, close_all, connect_all  # noqa: E402


async def run(server: Server, clients: int, hold: float) -> dict:
    question = server.api(
        "POST",
        "/events/ssc25/questions",
        json={
            "text": "Capacity check: does everyone see this question?",
            "theme": "general",
            "via": "online",
            "client_id": "capacity-asker",
            "client_msg_id": "capacity-question-1",
        },
    )
    qid = question["question"]["id"]
    moderator = Moderator(server.url, "ssc25", TOKEN)
    await moderator.connect()
    await asyncio.sleep(1.0)
    rss_before = rss_bytes(server.process.pid)

    attendees = [Attendee(server.url, "ssc25", f"capacity-{i:05d}") for i in range(clients)]
    gate = asyncio.Semaphore(100)
    refused: list[str] = []

    async def join(attendee):
        async with gate:
            try:
                await attendee.connect()
            except Exception as exc:  # noqa: BLE001 - a refusal is what we count
                refused.append(type(exc).__name__)

    started = time.monotonic()
    await asyncio.gather(*(join(a) for a in attendees))
    connect_s = time.monotonic() - started
    connected = [a for a in attendees if a.sio.connected]
    print(f"  {len(connected)} of {clients} connected in {connect_s:.1f} s, {len(refused)} refused")
    await asyncio.sleep(min(5.0, hold / 2))
    rss_connected = rss_bytes(server.process.pid)

    await asyncio.sleep(max(0.0, hold / 2 - 5.0))
    t0 = time.monotonic()
    await moderator.call("act", {"id": qid, "action": "approve"})
    deadline = t0 + 30
    while time.monotonic() < deadline:
        got = sum(1 for a in connected if any(d.get("id") == qid for _t, d in a.questions))
        if got == len(connected):
            break
        await asyncio.sleep(0.05)
    delivery_s = time.monotonic() - t0
    await asyncio.sleep(hold / 2)
    still = sum(1 for a in attendees if a.sio.connected)
    rss_end = rss_bytes(server.process.pid)
    await close_all([moderator, *attendees])
    growth = rss_connected - rss_before
    return {
        "clients": clients,
        "connected": len(connected),
        "refused": len(refused),
        "still_connected_after_hold": still,
        "hold_s": hold,
        "connect_s": round(connect_s, 1),
        "broadcast_received": got,
        "broadcast_all_received_s": round(delivery_s, 2),
        "rss_before_mb": round(rss_before / 2**20, 1),
        "rss_connected_mb": round(rss_connected / 2**20, 1),
        "rss_end_mb": round(rss_end / 2**20, 1),
        "memory_per_connection_kb": round(growth / max(len(connected), 1) / 1024, 1),
    }


async def baseline_memory(clients: int) -> dict:
    """The same connections held by a bare Flask-SocketIO server: what the stack itself costs."""
    process, url = start_baseline()
    try:
        await asyncio.sleep(1.0)
        before = rss_bytes(process.pid)
        attendees = [Attendee(url, "x", f"bare-{i:05d}") for i in range(clients)]
        await connect_all(attendees, parallel=100)
        await asyncio.sleep(5.0)
        after = rss_bytes(process.pid)
        connected = sum(1 for a in attendees if a.sio.connected)
        await close_all(attendees)
    finally:
        process.terminate()
        process.wait(10)
    return {
        "connected": connected,
        "memory_per_connection_kb": round((after - before) / max(connected, 1) / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--hold", type=float, default=60.0, help="seconds to hold them")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    server = Server().start()
    try:
        print(f"capacity: {args.clients} attendees on one process, held {args.hold:.0f} s")
        figures = asyncio.run(run(server, args.clients, args.hold))
    finally:
        server.stop()
    print(f"bare Flask-SocketIO holding {args.clients} connections, for comparison")
    figures["baseline"] = asyncio.run(baseline_memory(args.clients))
    figures["machine"] = machine()
    print(
        f"  connected {figures['connected']}, refused {figures['refused']}, still connected "
        f"after the hold {figures['still_connected_after_hold']}"
    )
    print(
        f"  broadcast received by {figures['broadcast_received']} in "
        f"{figures['broadcast_all_received_s']} s"
    )
    print(
        f"  server RSS {figures['rss_before_mb']} MB -> {figures['rss_connected_mb']} MB: "
        f"{figures['memory_per_connection_kb']} KB per connection (goal < 50 KB); bare "
        f"Flask-SocketIO in the same run: {figures['baseline']['memory_per_connection_kb']} KB"
    )
    write_json(args.json, figures)
    ok = figures["refused"] == 0 and figures["broadcast_received"] == figures["connected"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
