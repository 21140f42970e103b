"""What a rate-limit check costs: the time of one vote's check (a person and an address), in
this process's memory and through Redis (one pipelined INCR + PEXPIRE per key), and what a
check costs while Redis does not answer (the fallback to memory).

    .venv/bin/python bench/limiter.py [--hits 20000] [--json PATH]

Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/0); skipped when it does not answer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, write_json  # noqa: E402
from moderator.core.clock import system_clock  # noqa: E402
from moderator.limits import Limiter, Rule  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def measure(limiter: Limiter, hits: int) -> dict[str, float]:
    """Time ``hits`` vote checks from 500 people behind one address (no refusal: the figures
    are lifted), in microseconds per check."""
    took = []
    for n in range(hits):
        started = time.perf_counter()
        limiter.hit(
            "vote", identity=f"attendee:{n % 500}", address="203.0.113.7", clock=system_clock
        )
        took.append((time.perf_counter() - started) * 1e6)
    took.sort()
    return {
        "median_us": round(statistics.median(took), 1),
        "p99_us": round(took[int(len(took) * 0.99)], 1),
        "checks_per_s": round(hits / (sum(took) / 1e6)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    rules = {"vote": Rule("vote", 10**9, 10**9, 60, "votes")}
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    figures: dict[str, object] = {"machine": machine(), "hits": args.hits}
    cases = {
        "memory": Limiter(rules, secret="bench"),
        "redis": Limiter(rules, secret="bench", redis_url=REDIS_URL, prefix=prefix),
        # Nothing listens on port 1: the first check fails, the rest count in memory.
        "redis_away": Limiter(rules, secret="bench", redis_url="redis://127.0.0.1:1/0"),
    }
    for name, limiter in cases.items():
        result = measure(limiter, args.hits)
        if name == "redis" and not limiter.shared:
            print(f"  {name}: Redis at {REDIS_URL} does not answer; skipped")
            continue
        figures[name] = result
        print(
            f"  {name:10}: median {result['median_us']} µs, p99 {result['p99_us']} µs per check "
            f"({result['checks_per_s']} checks/s one after another)"
        )
        limiter.close()
    if args.json:
        write_json(args.json, figures)


if __name__ == "__main__":
    main()
