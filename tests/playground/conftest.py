"""Fixtures for the playground: its store, the seeded demo workspace, and a live server on
127.0.0.1 (an ephemeral port) whose core is a recording stand-in each test can script."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from aiohttp import web

from bot.adapters.playground import add_routes, demo_people, seed_demo
from bot.clock import FixedClock
from storage.db import make_engine
from storage.playground import PlaygroundStore
from storage.sql_store import SqlStore

from playground_harness import Client, Playground, RecordingCore


@pytest.fixture
def playground_store(db_url: str) -> Iterator[PlaygroundStore]:
    engine = make_engine(db_url)
    yield PlaygroundStore(engine)
    engine.dispose()


@pytest.fixture
def sqlite_playground(sqlite_url: str, now: datetime) -> Iterator[tuple[PlaygroundStore, SqlStore]]:
    """The playground store and the main store on one SQLite file, demo workspace seeded."""
    engine = make_engine(sqlite_url)
    store = SqlStore(engine)
    seed_demo(store, at=now)
    yield PlaygroundStore(engine), store
    engine.dispose()


@pytest.fixture
def playground(sqlite_playground: tuple[PlaygroundStore, SqlStore], now: datetime) -> Iterator[Playground]:
    """The playground's routes served for real on 127.0.0.1, in a loop on its own thread."""
    store, _ = sqlite_playground
    core = RecordingCore(store)
    app = web.Application()
    add_routes(app, store=store, people=lambda: demo_people(store), handle=core, clock=FixedClock(now))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = web.AppRunner(app)

    def run(coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=10)

    run(runner.setup())
    run(web.TCPSite(runner, "127.0.0.1", 0).start())
    host, port = runner.addresses[0][:2]
    yield Playground(store, core, Client(f"http://{host}:{port}"), now)
    run(runner.cleanup())
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()
