"""Plot fan-out latency against the number of attendees, the app beside the bare baseline.

Reads the JSON that bench/fanout.py writes (one file per number of clients) and writes a PNG.

    .venv/bin/python bench/plot.py bench/results/fanout-*.json --out bench/results/fanout.png
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    runs = sorted((json.loads(f.read_text()) for f in args.files), key=lambda r: r["clients"])
    single = [r for r in runs if r.get("processes", 1) == 1]
    double = [r for r in runs if r.get("processes", 1) == 2]
    figure, axis = plt.subplots(figsize=(8, 5), dpi=120)
    clients = [r["clients"] for r in single]
    for key, label, style in [("baseline", "bare Flask-SocketIO", "--"), ("app", "app", "-")]:
        axis.plot(
            clients, [r[key]["p95_ms"] for r in single], style, marker="o", label=f"{label}, p95"
        )
        axis.plot(
            clients,
            [r[key]["p50_ms"] for r in single],
            style,
            marker=".",
            alpha=0.5,
            label=f"{label}, p50",
        )
    if double:
        axis.plot(
            [r["clients"] for r in double],
            [r["app"]["p95_ms"] for r in double],
            ":",
            marker="s",
            label="app on 2 processes (Redis + PostgreSQL), p95",
        )
    axis.set_xlabel("attendees connected")
    axis.set_ylabel("moderator action to attendee, ms")
    machine = runs[0]["machine"]
    axis.set_title(f"Fan-out latency ({machine['cpus']} cores, {machine['date'][:10]})")
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(args.out)
    print(f"plot written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
