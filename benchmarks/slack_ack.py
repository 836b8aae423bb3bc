"""How fast ``POST /slack/events`` acknowledges a teacher's DM reply, against a bare bolt app.

2,000 signed DM reply events at concurrency 20 go to MicroCoach's Slack endpoint, where each
reply is committed to the database before the 200 (recorded durably, then handled right after the
ack); the same events go to a bare bolt app with a no-op listener. Batches alternate between the
two in one run; the first batches (warm-up) are not counted. Prints p50/p99 for both, the p99
ratio (aim: ≤ 1.5), and the same figure on SQLite.

Both servers run in this process, as ``serve`` runs them (its heap frozen out of the garbage
collector's scans once built); the events come from a process of their own, as Slack is not
inside the bot's interpreter. Garbage is collected before each batch (as ``timeit`` keeps the
collector out of its timings): a full collection takes up to ~100 ms on a small machine and
stalls whichever server's batch it lands in, 20 requests at once, which is 1 % of 2,000 and so the
whole p99 of that side. Pauses of the collector inside the counted batches are printed too.

    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python benchmarks/slack_ack.py
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import hmac
import itertools
import json
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request  # noqa: E402
from slack_bolt.async_app import AsyncApp  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.adapters.slack.adapter import SlackAdapter, build_slack  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.container import build  # noqa: E402
from bot.intake import Intake  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.web import create_app  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

SECRET = "benchmark-signing-secret"
TOKEN = "xoxb-benchmark"
TEAM = "T1"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)


class ServerThread:
    """The servers run on their own loop and thread; the load comes from the main thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def serve(self, app: web.Application) -> str:
        async def start() -> str:
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            host, port = runner.addresses[0][:2]
            return f"http://{host}:{port}"

        return self.run(start())


def fake_web_api() -> web.Application:
    """Just enough of Slack's Web API for the adapter: who the bot is, who people are, and
    somewhere for its ephemeral acknowledgements and Home tabs to go."""

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        user = request.query.get("user") or "U0"
        answers = {
            "auth.test": {"team_id": TEAM, "user_id": "UBOT", "bot_id": "BBOT", "team": "School", "user": "bot"},
            "users.info": {"user": {"id": user, "tz": "America/New_York", "real_name": f"Teacher {user}",
                                    "profile": {"real_name": f"Teacher {user}"}}},
            "conversations.open": {"channel": {"id": f"D{user}"}},
            "chat.postEphemeral": {"message_ts": "1.1"},
            "views.publish": {"view": {"id": "V1"}},
        }
        return web.json_response({"ok": True, **answers.get(method, {})})

    app = web.Application()
    app.router.add_route("*", "/api/{method}", api)
    return app


def bare_bolt(api_url: str) -> web.Application:
    bolt = AsyncApp(client=AsyncWebClient(token=TOKEN, base_url=api_url), signing_secret=SECRET)

    @bolt.event("message")
    async def noop(ack: Any) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def microcoach(database_url: str, api_url: str, teachers: list[str]) -> tuple[web.Application, SlackAdapter]:
    settings = load_settings(DATABASE_URL=database_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                             SLACK_API_URL=api_url, MICROCOACH_SCHEDULER="off")
    container = build(settings, clock=FixedClock(NOW))
    store = container.store
    workspace = store.ensure_workspace("slack", TEAM, at=NOW)
    cohort = store.create_cohort(workspace.id, "bench", "America/New_York", at=NOW)
    for user in teachers:
        person = store.ensure_person(workspace.id, user, display_name=f"Teacher {user}", at=NOW)
        store.enroll(cohort.id, person.id, at=NOW)
    intake = Intake(container.service, None)
    adapter = build_slack(container, intake)
    container.chats["slack"] = adapter.chat
    app = create_app(container, intake.acks)
    adapter.add_routes(app)
    return app, adapter


def fresh_postgres(base: str) -> str:
    name = f"mc_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


@dataclass
class Events:
    """Signed DM replies, each with its own event id (so none is a retry)."""

    teachers: list[str]
    counter: itertools.count = itertools.count(1)

    def next(self) -> tuple[bytes, dict[str, str]]:
        n = next(self.counter)
        user = self.teachers[n % len(self.teachers)]
        event = {"type": "message", "channel": f"D{user}", "user": user, "channel_type": "im",
                 "text": f"Reflection {n}: the think time helped three quiet students.", "ts": f"1700000000.{n:06d}"}
        body = json.dumps({"type": "event_callback", "team_id": TEAM, "api_app_id": "A1", "event": event,
                           "event_id": f"Ev{n:08d}", "event_time": 1700000000}).encode()
        stamp = str(int(time.time()))
        digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                      "X-Slack-Signature": f"v0={digest}"}


async def batch(session: aiohttp.ClientSession, url: str, events: Events, count: int, concurrency: int) -> list[float]:
    limit = asyncio.Semaphore(concurrency)
    timings: list[float] = []

    async def one() -> None:
        body, headers = events.next()
        async with limit:
            started = time.perf_counter()
            async with session.post(url + "/slack/events", data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url} answered {response.status}")
            timings.append(time.perf_counter() - started)

    await asyncio.gather(*(one() for _ in range(count)))
    return timings


def slack(orders: Connection, teachers: list[str]) -> None:
    """Plays Slack in a process of its own (as Slack is not inside the bot's interpreter): each
    order (url, events, concurrency) is one batch; answers with its timings."""

    async def play() -> None:
        events = {}
        async with aiohttp.ClientSession() as session:
            while (order := await asyncio.get_running_loop().run_in_executor(None, orders.recv)) is not None:
                url, count, concurrency = order
                timings = await batch(session, url, events.setdefault(url, Events(teachers)), count, concurrency)
                orders.send(timings)

    asyncio.run(play())


def load(player: Connection, targets: dict[str, str], total: int, warmup: int, size: int, concurrency: int,
         settle: Callable[[], Any], collect: Callable[[], None]) -> tuple[dict[str, list[float]], float]:
    """Alternate batches between the targets; batches within the warm-up are not counted. After
    each of MicroCoach's batches, wait until every reply in it is handled (replies, drafts due,
    acknowledgements sent, Home tabs refreshed), so the next batch starts from a quiet server;
    returns the timings and MicroCoach's handled replies per second."""
    counted: dict[str, list[float]] = {name: [] for name in targets}
    handling = 0.0
    for start in range(0, warmup + total, size):
        for name, url in targets.items():
            collect()
            started = time.perf_counter()
            player.send((url, size, concurrency))
            timings = player.recv()
            if name == "ours":
                settle()
            if start >= warmup:
                counted[name] += timings
                handling += (time.perf_counter() - started) if name == "ours" else 0.0
    return counted, total / handling


class CollectorPauses:
    """The garbage collector's own pauses of 10 ms or more (not the collections asked for
    between batches), from creation to :meth:`close`."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        self._asked = False
        gc.callbacks.append(self._note)

    def collect(self) -> None:
        self._asked = True
        try:
            gc.collect()
        finally:
            self._asked = False

    def _note(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif not self._asked and (paused := time.perf_counter() - self._started) >= 0.01:
            self.pauses.append(paused)

    def close(self) -> str:
        gc.callbacks.remove(self._note)
        pauses = self.pauses
        return f"{len(pauses)} collector pauses ≥ 10 ms" + (f", longest {max(pauses) * 1000:.0f} ms" if pauses else "")


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] * 1000


def report(label: str, ours: list[float], bare: list[float], handled_per_second: float, pauses: str) -> None:
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    b50, b99 = percentile(bare, 50), percentile(bare, 99)
    print(f"{label:<11} MicroCoach p50 {p50:6.1f} ms  p99 {p99:6.1f} ms | bare bolt p50 {b50:6.1f} ms  "
          f"p99 {b99:6.1f} ms | p99 ratio {p99 / b99:4.2f} (aim ≤ 1.5) | {handled_per_second:5.0f} replies/s handled | "
          f"{pauses}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"),
                        help="a PostgreSQL URL whose server may get a fresh database (default: TEST_DATABASE_URL)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    teachers = [f"U{n:05d}" for n in range(args.teachers)]
    servers = ServerThread()
    api_url = servers.serve(fake_web_api()) + "/api/"
    bare = servers.serve(bare_bolt(api_url))
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{folder}/bench.db"
        upgrade(sqlite_url)
        databases = {"SQLite": sqlite_url}
        if args.postgres:
            databases = {"PostgreSQL": fresh_postgres(args.postgres), **databases}
        else:
            print("PostgreSQL: skipped (set TEST_DATABASE_URL or --postgres)")
        player, end = multiprocessing.Pipe()
        playing = multiprocessing.get_context("spawn").Process(target=slack, args=(end, teachers), daemon=True)
        playing.start()
        for label, url in databases.items():
            app, adapter = microcoach(url, api_url, teachers)
            ours = servers.serve(app)
            gc.freeze()

            def settle(adapter: SlackAdapter = adapter) -> None:
                servers.run(adapter.background.drain())

            pauses = CollectorPauses()
            counted, handled = load(player, {"ours": ours, "bare": bare}, args.events, args.warmup, args.batch,
                                    args.concurrency, settle, pauses.collect)
            report(label, counted["ours"], counted["bare"], handled, pauses.close())
        player.send(None)
        playing.join()

if __name__ == "__main__":
    main()
