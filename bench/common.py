"""Shared by the benchmarks: a real server in a subprocess, and the figures' output."""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium, headless, as root, on a machine whose only network is the package mirrors:
# no sandbox, no GPU, and none of the background calls home that would be refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "bench-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m moderator`` on a fresh instance folder; ``kill()`` is ``kill -9``."""

    def __init__(self, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = Path(tempfile.mkdtemp(prefix="bench-"))
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {
            **os.environ,
            "INSTANCE_PATH": str(self.instance),
            "MODERATOR_TOKEN": TOKEN,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            # Every simulated attendee comes from 127.0.0.1: lift the per-address budget of new
            # identities (a real crowd comes from many addresses, or a room's NAT of ~1,000),
            # and the per-address rate limits (0: off), which a crowd of thousands on one
            # address would reach; the per-person limits stay as configured.
            "ATTENDEES_PER_ADDRESS": "100000",
            "NEW_CONNECTIONS_PER_ADDRESS": "0",
            "QUESTIONS_PER_ADDRESS": "0",
            "VOTES_PER_ADDRESS": "0",
            "SIMILAR_PER_ADDRESS": "0",
            **self.env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moderator"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{self.url}/api/events", timeout=1)
                return self
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def api(self, method: str, path: str, **kwargs):
        return Server.api_at(self.url, method, path, **kwargs)

    @staticmethod
    def api_at(url: str, method: str, path: str, **kwargs):
        """Call the moderator API of the server at ``url``."""
        response = requests.request(
            method,
            f"{url}/api{path}",
            timeout=10,
            headers={"Authorization": f"Bearer {TOKEN}"},
            **kwargs,
        )
        response.raise_for_status()
        return response.json()

    @staticmethod
    def wait_http(url: str, path: str = "/", timeout: float = 30) -> None:
        """Wait until something answers HTTP at ``url``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(url + path, timeout=1)
                return
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values) if values else None,
        "p95": percentile(values, 95) if values else None,
        "max": max(values) if values else None,
    }


def machine() -> dict:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def write_json(path: str | None, figures: dict) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(figures, indent=2) + "\n")
        print(f"figures written to {path}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0
