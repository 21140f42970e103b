"""Floods from one address against a real server, and what another address gets meanwhile.

An attendee on 127.0.0.3 resyncs (``sync``) ten times a second, as a page well within the pace
would; its answers and their waits are measured with nothing else going on, then while
127.0.0.2

- sends ``similar`` messages of 64 KiB (each in 16 KiB websocket frames) at up to 3 MB/s,
  reconnecting whenever it is closed (``bytes``);
- sends as many small messages as it can on one connection, reconnecting when closed (``rate``);
- holds 3,000 idle or unfinished connections (``idle``), and a page load from 127.0.0.3 is timed.

    .venv/bin/python bench/flood.py [--seconds 10] [--json PATH]
"""

from __future__ import annotations

import argparse
import http.client
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Server, cpu_seconds, machine, percentile, write_json  # noqa: E402
from tests.fixtures.raw_socketio import ConnectionClosed, RawSocketIO  # noqa: E402

FLOODER, OTHER = "127.0.0.2", "127.0.0.3"
EVENT = "ssc25"


def answers_per_second(port: int, seconds: float, every_s: float = 0.1) -> dict:
    """One attendee's resyncs, one every ``every_s`` (a normal client, within the pace), for
    ``seconds``: how many were answered, and how long each answer took."""
    client = RawSocketIO(port, OTHER, timeout=30)
    client.connect({"event": EVENT, "client_id": "measured-attendee"})
    answered = errors = 0
    waits: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        reply = client.call("sync", {})
        waits.append(time.monotonic() - started)
        if isinstance(reply, dict) and "questions" in reply:
            answered += 1
        else:
            errors += 1
        time.sleep(max(0.0, every_s - (time.monotonic() - started)))
    client.close()
    return {
        "answers_per_s": round(answered / seconds, 1),
        "errors": errors,
        "wait_p50_ms": round(percentile(waits, 50) * 1000, 1),
        "wait_p95_ms": round(percentile(waits, 95) * 1000, 1),
        "wait_max_ms": round(max(waits) * 1000, 1),
    }


class Flooder(threading.Thread):
    """Sends from FLOODER until stopped, reconnecting whenever the server closes it."""

    def __init__(self, port: int, kind: str) -> None:
        super().__init__(daemon=True)
        self.port, self.kind = port, kind
        self.stop = threading.Event()
        self.sent_bytes = self.messages = self.closed = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                sock = RawSocketIO(self.port, FLOODER, timeout=5)
                sock.connect({"event": EVENT, "client_id": f"flooder-{self.closed:05d}"})
                while not self.stop.is_set():
                    self._send(sock)
            except (OSError, ConnectionClosed, AssertionError):
                self.closed += 1

    def _send(self, sock: RawSocketIO) -> None:
        if self.kind == "bytes":
            started = time.monotonic()
            text = "x" * (64 * 1024 - 40)
            sock.send('42["similar",{"text":"' + text + '"}]', fragments=4)
            self.sent_bytes += 64 * 1024
            # 3 MB/s: 64 KiB every ~22 ms.
            time.sleep(max(0.0, 64 * 1024 / 3e6 - (time.monotonic() - started)))
        else:
            sock.send('42["sync",{}]')
            self.sent_bytes += 13
        self.messages += 1


def idle_flood(port: int, count: int) -> list[socket.socket]:
    held = []
    heads = (b"", b"GET / HTTP/1.1\r\nHost: x\r\n", b"GET /socket.io/?EIO=4 HTTP/1.1\r\n")
    for n in range(count):
        sock = socket.socket()
        sock.settimeout(2)
        sock.bind((FLOODER, 0))
        try:
            sock.connect(("127.0.0.1", port))
            if heads[n % 3]:
                sock.sendall(heads[n % 3])
        except OSError:
            pass
        held.append(sock)
    return held


def page_load_s(port: int) -> float:
    started = time.monotonic()
    web = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(OTHER, 0))
    web.request("GET", f"/e/{EVENT}")
    response = web.getresponse()
    response.read()
    web.close()
    assert response.status == 200, response.status
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    server = Server().start()
    figures: dict = {"machine": machine(), "seconds": args.seconds}
    try:
        pid = server.process.pid  # type: ignore[union-attr]
        figures["alone"] = answers_per_second(server.port, args.seconds)
        print(f"alone            : {figures['alone']}")
        for kind in ("bytes", "rate"):
            flooder = Flooder(server.port, kind)
            cpu = cpu_seconds(pid)
            flooder.start()
            measured = answers_per_second(server.port, args.seconds)
            flooder.stop.set()
            flooder.join(10)
            measured.update(
                flooder_mb_per_s=round(flooder.sent_bytes / 1e6 / args.seconds, 2),
                flooder_messages=flooder.messages,
                flooder_closed=flooder.closed,
                server_cpu_s=round(cpu_seconds(pid) - cpu, 1),
            )
            figures[kind] = measured
            print(f"while {kind:<10} : {measured}")
        held = idle_flood(server.port, 3000)
        try:
            measured = answers_per_second(server.port, args.seconds)
            measured["page_load_s"] = round(page_load_s(server.port), 3)
        finally:
            for sock in held:
                sock.close()
        figures["idle_3000"] = measured
        print(f"while idle 3,000 : {measured}")
        print(f"server alive     : {server.process.poll() is None}")  # type: ignore[union-attr]
    finally:
        server.stop()
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
