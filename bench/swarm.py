"""Many attendees at once: python-socketio asyncio clients for the benchmarks."""

from __future__ import annotations

import asyncio
import time

import socketio


class Attendee:
    """One attendee connection that records every message it receives, with its arrival time."""

    def __init__(self, url: str, code: str, client_id: str, via: str = "online"):
        self.url, self.code, self.client_id, self.via = url, code, client_id, via
        self.sio = socketio.AsyncClient(reconnection=False)
        self.votes: list[tuple[float, dict]] = []
        self.questions: list[tuple[float, dict]] = []
        self.sio.on("votes", self._on_votes)
        self.sio.on("question", self._on_question)
        self.sio.on("questions", self._on_questions)

    async def _on_votes(self, data):
        self.votes.append((time.monotonic(), data))

    async def _on_question(self, data):
        self.questions.append((time.monotonic(), data))

    async def _on_questions(self, items):
        now = time.monotonic()
        self.questions.extend((now, data) for data in items)

    async def connect(self) -> None:
        await self.sio.connect(
            self.url,
            auth={"event": self.code, "client_id": self.client_id, "via": self.via},
            transports=["websocket"],
            wait_timeout=30,
        )

    async def call(self, event: str, data: dict, timeout: float = 30):
        return await self.sio.call(event, data, timeout=timeout)

    async def close(self) -> None:
        await self.sio.disconnect()


class Moderator:
    """A moderator connection on /mod, recording what it receives."""

    def __init__(self, url: str, code: str, token: str):
        self.url, self.code, self.token = url, code, token
        self.sio = socketio.AsyncClient(reconnection=False)
        self.votes: list[tuple[float, dict]] = []
        self.questions: list[tuple[float, dict]] = []
        self.sio.on("votes", self._on_votes, namespace="/mod")
        self.sio.on("question", self._on_question, namespace="/mod")

    async def _on_question(self, data):
        self.questions.append((time.monotonic(), data))

    async def _on_votes(self, data):
        self.votes.append((time.monotonic(), data))

    async def connect(self) -> None:
        await self.sio.connect(
            self.url,
            auth={"event": self.code, "token": self.token},
            namespaces=["/mod"],
            transports=["websocket"],
            wait_timeout=30,
        )

    async def call(self, event: str, data: dict, timeout: float = 30):
        return await self.sio.call(event, data, namespace="/mod", timeout=timeout)

    async def close(self) -> None:
        await self.sio.disconnect()


async def connect_all(clients, parallel: int = 50) -> None:
    """Connect every client, a few at a time (the server's listen backlog is finite)."""
    gate = asyncio.Semaphore(parallel)

    async def one(client):
        async with gate:
            await client.connect()

    await asyncio.gather(*(one(c) for c in clients))


async def close_all(clients) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    await asyncio.sleep(0.5)  # let the HTTP sessions close before the event loop does
