"""A burst of submissions: 500 attendees sending 200 questions a second for 30 seconds.

Reports the acknowledgement latency (p50/p95), whether every acknowledged question is stored
exactly once, and whether the moderator received every one. The per-attendee limit is lifted
for this run (QUESTIONS_PER_MINUTE=1000): it measures the server, not the rate limit.

    .venv/bin/python bench/submit_burst.py [--clients 500] [--rate 200] [--seconds 30] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TOKEN, Server, cpu_seconds, machine, percentile, write_json  # noqa: E402
from bench.swarm import Attendee, Moderator, close_all, connect_all  # noqa: E402


async def run(server: Server, clients: int, rate: float, seconds: float) -> dict:
    attendees = [
        Attendee(server.url, "ssc25", f"burst-{i:05d}", "room" if i % 2 else "online")
        for i in range(clients)
    ]
    moderator = Moderator(server.url, "ssc25", TOKEN)
    await connect_all([moderator, *attendees])
    total = int(rate * seconds)
    latencies: list[float] = []
    acked: dict[str, int] = {}
    failed: list[str] = []
    cpu_before = cpu_seconds(server.process.pid)
    t0 = time.monotonic()

    async def send(n: int):
        await asyncio.sleep(max(0.0, n / rate - (time.monotonic() - t0)))
        attendee = attendees[n % clients]
        message_id = f"burst-msg-{n:06d}"
        started = time.monotonic()
        try:
            reply = await attendee.call(
                "submit",
                {
                    "text": f"Burst question {n}: how would you scale exchange programme {n % 97}?",
                    "theme": ("ssc", "challenges", "sustainability", "scaling")[n % 4],
                    "client_msg_id": message_id,
                },
                timeout=60,
            )
        except Exception as exc:  # noqa: BLE001 - counted, not fatal
            failed.append(type(exc).__name__)
            return
        latencies.append((time.monotonic() - started) * 1000)
        if "error" in reply:
            failed.append(reply["error"]["code"])
        else:
            acked[message_id] = reply["question"]["id"]

    await asyncio.gather(*(send(n) for n in range(total)))
    elapsed = time.monotonic() - t0
    cpu = cpu_seconds(server.process.pid) - cpu_before
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if {d["id"] for _t, d in moderator.questions} >= set(acked.values()):
            break
        await asyncio.sleep(0.1)
    stored = server.api("GET", "/events/ssc25/questions")["questions"]
    await close_all([moderator, *attendees])
    per_text = Counter(q["text"] for q in stored)
    ids = {q["id"] for q in stored}
    return {
        "clients": clients,
        "rate_per_s": rate,
        "seconds": seconds,
        "sent": total,
        "acknowledged": len(acked),
        "failed": len(failed),
        "elapsed_s": round(elapsed, 1),
        "ack_p50_ms": round(percentile(latencies, 50), 1),
        "ack_p95_ms": round(percentile(latencies, 95), 1),
        "ack_max_ms": round(max(latencies), 1) if latencies else None,
        "stored": len(stored),
        "acknowledged_not_stored": len(set(acked.values()) - ids),
        "duplicated": sum(n - 1 for n in per_text.values() if n > 1),
        "moderator_received": len({d["id"] for _t, d in moderator.questions} & set(acked.values())),
        "server_cpu_s": round(cpu, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=200.0, help="questions per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    server = Server(env={"QUESTIONS_PER_MINUTE": "1000"}).start()
    try:
        print(
            f"burst: {args.clients} attendees, {args.rate:.0f} questions/s for {args.seconds:.0f} s"
        )
        figures = asyncio.run(run(server, args.clients, args.rate, args.seconds))
    finally:
        server.stop()
    figures["machine"] = machine()
    print(
        f"  {figures['acknowledged']} of {figures['sent']} acknowledged "
        f"({figures['failed']} failed) in {figures['elapsed_s']} s"
    )
    print(
        f"  acknowledgement p50 {figures['ack_p50_ms']} ms, p95 {figures['ack_p95_ms']} ms, "
        f"max {figures['ack_max_ms']} ms (goal p95 < 150 ms)"
    )
    print(
        f"  stored {figures['stored']}; acknowledged but not stored "
        f"{figures['acknowledged_not_stored']}; duplicated {figures['duplicated']}; "
        f"the moderator received {figures['moderator_received']}"
    )
    write_json(args.json, figures)
    ok = (
        figures["acknowledged_not_stored"] == 0
        and figures["duplicated"] == 0
        and figures["moderator_received"] == figures["acknowledged"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
