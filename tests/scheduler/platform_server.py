"""A chat platform on 127.0.0.1 for the engine's multi-process tests and benchmarks.

It accepts direct messages (``POST /send``), answers "was this already sent?"
(``GET /find``), and keeps wall-clock timestamps of every request so a test can check the
dispatchers' behaviour from the platform's side. It can misbehave on purpose: a per-workspace
token bucket answering 429 with Retry-After beyond it, a share of 500s, and holding the responses
to one worker's sends (after accepting them) until released.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass(frozen=True)
class Behaviour:
    rate: float | None = None
    """Sends per second per workspace; ``None`` for no limit."""
    burst: int = 10
    """The bucket's size: sends a quiet workspace may make at once."""
    error_rate: float = 0.0
    """Share of sends answered 500 (nothing is posted)."""
    latency: float = 0.005
    """Seconds each send takes."""
    seed: int = 7


@dataclass(frozen=True)
class Request:
    key: str
    workspace: str
    worker: str
    started: float
    ended: float
    status: int
    retry_after: float | None = None


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class PlatformState:
    """Everything the platform saw; read it after the workers have stopped (or under ``lock``)."""

    behaviour: Behaviour
    lock: threading.Lock = field(default_factory=threading.Lock)
    delivered: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    posted: list[dict] = field(default_factory=list)
    """The body of every send accepted (workspace, user, key, text), in order."""
    requests: list[Request] = field(default_factory=list)
    lookups: Counter[str] = field(default_factory=Counter)
    in_flight: Counter[str] = field(default_factory=Counter)
    most_in_flight: Counter[str] = field(default_factory=Counter)
    held: int = 0
    hold_worker: str | None = None

    def copies(self) -> Counter[str]:
        """How many times each delivery key was posted."""
        with self.lock:
            return Counter({key: len(ids) for key, ids in self.delivered.items()})

    def sends_of(self, key: str) -> list[Request]:
        with self.lock:
            return sorted((r for r in self.requests if r.key == key), key=lambda r: r.started)


class PlatformServer:
    def __init__(self, behaviour: Behaviour):
        self.state = PlatformState(behaviour)
        self._random = random.Random(behaviour.seed)
        self._buckets: dict[str, _Bucket] = {}
        self._ids = itertools.count(1)
        self._release: asyncio.Event | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.add_routes([web.post("/send", self._send), web.get("/find", self._find), web.post("/tell", self._ok),
                        web.post("/update", self._ok)])
        return app

    def _take_token(self, workspace: str, now: float) -> float | None:
        """None when the send may go; else the seconds until a token is back."""
        rate = self.state.behaviour.rate
        if rate is None:
            return None
        bucket = self._buckets.setdefault(workspace, _Bucket(float(self.state.behaviour.burst), now))
        bucket.tokens = min(float(self.state.behaviour.burst), bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / rate

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        key, workspace, worker = body.get("key") or "", body["workspace"], request.headers.get("X-Worker", "")
        state = self.state
        started = time.time()
        with state.lock:
            state.in_flight[workspace] += 1
            state.most_in_flight[workspace] = max(state.most_in_flight[workspace], state.in_flight[workspace])
            wait = self._take_token(workspace, started)
        try:
            await asyncio.sleep(state.behaviour.latency)
            if wait is not None:
                retry_after = float(math.ceil(wait))
                return self._answer(key, workspace, worker, started, 429, retry_after,
                                    web.json_response({"error": "rate limited"}, status=429,
                                                      headers={"Retry-After": str(int(retry_after))}))
            if self._random.random() < state.behaviour.error_rate:
                return self._answer(key, workspace, worker, started, 500, None,
                                    web.json_response({"error": "internal"}, status=500))
            message_id = f"m{next(self._ids)}"
            with state.lock:
                state.delivered[key].append(message_id)
                state.posted.append(body)
                holding = worker == state.hold_worker
                state.held += holding
            if holding and self._release is not None:
                await self._release.wait()
            return self._answer(key, workspace, worker, started, 200, None, web.json_response({"message_id": message_id}))
        finally:
            with state.lock:
                state.in_flight[workspace] -= 1

    def _answer(self, key: str, workspace: str, worker: str, started: float, status: int,
                retry_after: float | None, response: web.Response) -> web.Response:
        with self.state.lock:
            self.state.requests.append(Request(key, workspace, worker, started, time.time(), status, retry_after))
        return response

    async def _find(self, request: web.Request) -> web.Response:
        key = request.query["key"]
        with self.state.lock:
            self.state.lookups[key] += 1
            found = self.state.delivered.get(key)
        return web.json_response({"message_id": found[0] if found else None})

    async def _ok(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    def hold(self, worker: str) -> None:
        """Accept, then hold the responses to ``worker``'s sends until :meth:`release`."""
        with self.state.lock:
            self.state.hold_worker = worker

    def release(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._release is not None:
            loop.call_soon_threadsafe(self._release.set)

    async def _serve(self, ready: threading.Event, stop: asyncio.Event, where: list[str]) -> None:
        self._release = asyncio.Event()
        runner = web.AppRunner(self.app(), access_log=None, handler_cancellation=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        where.append(f"http://{host}:{port}")
        ready.set()
        await stop.wait()
        self._release.set()
        await runner.cleanup()


@contextmanager
def running_platform(behaviour: Behaviour = Behaviour()) -> Iterator[tuple[str, PlatformServer, asyncio.AbstractEventLoop]]:
    """The platform on an ephemeral port, in a thread of its own: (base URL, server, its loop)."""
    server = PlatformServer(behaviour)
    loop = asyncio.new_event_loop()
    ready, where = threading.Event(), []
    stop = asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server._serve(ready, stop, where))

    thread = threading.Thread(target=run, name="platform", daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("the fake platform did not start")
    try:
        yield where[0], server, loop
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
