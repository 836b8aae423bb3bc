"""MicroCoach with its Teams adapter, served for real on 127.0.0.1, beside a fake Bot Connector,
on an event loop of its own thread; tests drive it with plain HTTP and read what the connector
received."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web

from bot.adapters.teams.app import TeamsAdapter, build_teams
from bot.clock import FixedClock
from bot.container import Container, build
from bot.intake import Intake
from bot.settings import Settings
from bot.web import create_app
from scheduler.worker import TickReport

from fake_connector import FakeConnector
from teams_activities import Tenant

T = TypeVar("T")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Loop:
    """An event loop on a thread, for servers the test talks to over HTTP."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 20) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=timeout)

    def serve(self, app: web.Application) -> tuple[web.AppRunner, str]:
        runner = web.AppRunner(app, access_log=None)
        self.run(runner.setup())
        self.run(web.TCPSite(runner, "127.0.0.1", 0).start())
        host, port = runner.addresses[0][:2]
        return runner, f"http://{host}:{port}"

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


class TeamsBotServer:
    """One MicroCoach process: its container over the test database and the web app with the
    Teams route. Stopping it and starting another over the same database is a restart."""

    def __init__(self, loop: Loop, settings: Settings, clock: FixedClock):
        self.loop = loop
        self.clock = clock
        self.container: Container = build(settings, clock=clock)
        self.teams: TeamsAdapter = build_teams(self.container, Intake(self.container.service, None))
        self.container.chats["teams"] = self.teams.chat
        app = create_app(self.container)
        self.teams.add_routes(app)
        self.runner, self.url = loop.serve(app)

    def post(self, activity: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> Reply:
        data = raw if raw is not None else json.dumps(activity).encode()
        request = urllib.request.Request(self.url + "/api/messages", data=data, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())

    def tick(self, at: datetime | None = None) -> TickReport:
        if at is not None:
            self.clock.set(at)
        return self.loop.run(self.container.worker.tick(self.clock.now()))

    def stop(self) -> None:
        self.loop.run(self.runner.cleanup())
        self.container.close()


@dataclass
class TeamsWorld:
    """Everything a Teams test needs: the bot, the connector it talks to, and the tenant whose
    people post activities."""

    loop: Loop
    connector: FakeConnector
    connector_url: str
    settings: Settings
    clock: FixedClock
    bot: TeamsBotServer
    tenant: Tenant

    def restart(self) -> None:
        self.bot.stop()
        self.bot = TeamsBotServer(self.loop, self.settings, self.clock)

    def person(self, user: str):  # noqa: ANN201 — a core Person
        return self.bot.container.store.find_person_on("teams", user)
