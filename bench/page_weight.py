"""What does the attendee page cost over the wire, first time and on a reload?

Starts a real server on the demo event, opens the attendee page in headless Chromium and adds up
what the browser's network layer reports for every HTTP request (CDP ``Network.loadingFinished``:
``encodedDataLength``, headers included, as received: compressed when compressed), until the
page is online. Then reloads it, and opens it again from a link, on the same browser cache.
With ``--compare`` it measures the same with the scripts and styles as on disk
(``STATIC_STRIP=0``), then also with compression off (``COMPRESS_MIN_BYTES`` past any file),
i.e. the page as it was before. The Socket.IO traffic after the page loaded (websocket
frames) is counted apart: it is the live data, not the page.

    .venv/bin/python bench/page_weight.py [--path /e/ssc25] [--compare] [--json PATH]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.common import CHROMIUM_ARGS, Server, machine, write_json  # noqa: E402

GOAL_FIRST_BYTES = 30 * 1024


class NetworkLog:
    """Every request of one page as Chromium's network layer saw it."""

    def __init__(self, context: Any, page: Any):
        self.requests: dict[str, dict[str, Any]] = {}
        self.socket_bytes = 0
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)
        # No throttling and no cache bypass: the browser's own cache decides.
        cdp.send("Network.enable")

    def clear(self) -> None:
        self.requests.clear()
        self.socket_bytes = 0

    def _entry(self, request_id: str) -> dict[str, Any]:
        return self.requests.setdefault(
            request_id, {"url": "", "status": None, "bytes": 0, "cached": False}
        )

    def _sent(self, params: dict[str, Any]) -> None:
        self._entry(params["requestId"])["url"] = params["request"]["url"]

    def _response(self, params: dict[str, Any]) -> None:
        entry = self._entry(params["requestId"])
        response = params["response"]
        entry["status"] = response["status"]
        entry["encoding"] = {k.lower(): v for k, v in response["headers"].items()}.get(
            "content-encoding", ""
        )
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            entry["cached"] = True

    def _from_cache(self, params: dict[str, Any]) -> None:
        self._entry(params["requestId"])["cached"] = True

    def _finished(self, params: dict[str, Any]) -> None:
        self._entry(params["requestId"])["bytes"] = int(params["encodedDataLength"])

    def _frame(self, params: dict[str, Any]) -> None:
        self.socket_bytes += len(params["response"].get("payloadData", ""))

    def figures(self) -> dict[str, Any]:
        http = [r for r in self.requests.values() if r["url"].startswith("http")]
        over_wire = [r for r in http if not r["cached"]]
        return {
            "bytes": sum(r["bytes"] for r in over_wire),
            "requests": len(over_wire),
            "from_cache": len(http) - len(over_wire),
            "socket_bytes": self.socket_bytes,
            "detail": [
                {k: r.get(k) for k in ("url", "status", "bytes", "cached", "encoding")}
                for r in http
            ],
        }


def online(page: Any) -> None:
    page.wait_for_selector("#connection[data-state=online]", state="attached", timeout=15000)


def measure(path: str, env: dict[str, str]) -> dict[str, Any]:
    """First load, reload and a second visit of ``path`` on a server started with ``env``."""
    server = Server(env).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            log = NetworkLog(context, page)
            results: dict[str, Any] = {}
            page.goto(server.url + path, wait_until="load")
            online(page)
            results["first_load"] = log.figures()
            log.clear()
            page.reload(wait_until="load")
            online(page)
            results["reload"] = log.figures()
            log.clear()
            page.goto("about:blank")
            page.goto(server.url + path, wait_until="load")
            online(page)
            results["second_visit"] = log.figures()
            browser.close()
            return results
    finally:
        server.stop()


def show(label: str, results: dict[str, Any]) -> None:
    print(f"\n{label}")
    for name, run in results.items():
        print(
            f"  {name:<13} {run['bytes']:>7,} bytes over the wire in {run['requests']} requests"
            f" ({run['from_cache']} from the cache); Socket.IO frames {run['socket_bytes']:,} bytes"
        )
        if name == "first_load":
            for r in run["detail"]:
                print(
                    f"      {r['bytes']:>7,}  {r['status']}  {r['encoding'] or '-':<5} "
                    f"{r['url'].split('/', 3)[-1]}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/e/ssc25", help="page to load (default: attendees)")
    parser.add_argument(
        "--compare", action="store_true", help="also measure unstripped, and without gzip"
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    figures: dict[str, Any] = {"machine": machine(), "path": args.path}
    figures["compressed"] = measure(args.path, {})
    show(f"{args.path} (gzip, versioned static files)", figures["compressed"])
    if args.compare:
        figures["unstripped"] = measure(args.path, {"STATIC_STRIP": "0"})
        show(f"{args.path} (gzip, scripts and styles as on disk)", figures["unstripped"])
        figures["uncompressed"] = measure(
            args.path, {"COMPRESS_MIN_BYTES": str(1 << 30), "STATIC_STRIP": "0"}
        )
        show(f"{args.path} without compression", figures["uncompressed"])
    first = figures["compressed"]["first_load"]["bytes"]
    verdict = "within" if first <= GOAL_FIRST_BYTES else "OVER"
    print(f"\nfirst load {first:,} bytes: {verdict} the goal of {GOAL_FIRST_BYTES:,}")
    write_json(args.json, figures)
    return 0 if first <= GOAL_FIRST_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
