"""2,000 proactive prompts in one Teams tenant, against a fake Bot Connector that enforces Teams'
limits (30 requests/s per app per tenant, 7/s per conversation; 429 with Retry-After beyond).

Runs twice: *warm*, every teacher's 1:1 chat already open (one request per prompt), and *cold*,
teachers known only from a team roster (each prompt first creates the chat: two requests). For
each it prints connector requests per second (every request's path and parameters checked
against ConnectorAPI.json; the card schema is checked by the tests, not here, to keep the
fake from being the bottleneck) as a fraction of 30 (aim ≥ 0.9), the 429s met,
and prompts lost and duplicated (aim 0). The worker ticks as ``microcoach worker`` would, with a
clock that starts at Monday 07:45 in New York and runs in real time.

    python benchmarks/teams_fanout.py [--prompts 2000] [--modes warm,cold] [--in-flight N]

Everything is local: SQLite in a temporary folder, the fake connector on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "teams")]

from bot.adapters.teams.app import build_teams  # noqa: E402
from bot.container import Container, build  # noqa: E402
from bot.intake import Intake  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from fake_connector import TENANT_PER_SECOND, FakeConnector  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.teams_refs import TeamsRefStore  # noqa: E402

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)
TENANT = "tenant-benchmark"
BOT = {"id": "28:microcoach-bot", "name": "MicroCoach"}
DEADLINE_SECONDS = 900


@dataclass
class RunningClock:
    """Starts at ``start`` and runs in real time, as a worker's clock does."""

    start: datetime

    def __post_init__(self) -> None:
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


class ConnectorThread:
    """The fake connector on its own loop and thread; the worker runs on the main thread."""

    def __init__(self, connector: FakeConnector) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.runner = web.AppRunner(connector.app(), access_log=None)
        self._run(self.runner.setup())
        self._run(web.TCPSite(self.runner, "127.0.0.1", 0).start())
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/"

    def _run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def close(self) -> None:
        self._run(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)


def seed(container: Container, service_url: str, prompts: int, *, warm: bool) -> list[str]:
    """One cohort (Mon/Wed 07:45, New York) of ``prompts`` teachers, each with a reference: an
    open 1:1 chat when ``warm``, a roster entry without a chat otherwise."""
    store, now = container.store, container.clock.now()
    refs = TeamsRefStore(container.engine, container.sealer)
    workspace = store.ensure_workspace("teams", TENANT, "Benchmark District", at=now)
    cohort = store.create_cohort(workspace.id, "fanout", "America/New_York", at=now)
    store.set_cadence(cohort.id, "1,3", clock_time(7, 45), at=now)
    users = [f"29:teacher-{n:05d}" for n in range(prompts)]
    for user in users:
        person = store.ensure_person(workspace.id, user, display_name=f"Teacher {user[-5:]}", at=now)
        store.enroll(cohort.id, person.id, at=now)
        conversation = {"conversationType": "personal", "tenantID": TENANT}
        if warm:
            conversation["id"] = f"a:chat-{user}"
        refs.save_ref(person.id, _reference(service_url, user, conversation), at=now)
    return users


def _reference(service_url: str, user: str, conversation: dict[str, str]) -> str:
    return json.dumps({"channelId": "msteams", "serviceUrl": service_url, "bot": BOT, "user": {"id": user},
                       "conversation": conversation}, sort_keys=True)


@dataclass
class Result:
    mode: str
    prompts: int
    requests: int
    seconds: float
    throttled: int
    lost: int
    duplicated: int
    problems: int

    @property
    def fraction(self) -> float:
        return self.requests / self.seconds / TENANT_PER_SECOND if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.mode:>4}: {self.prompts} prompts, {self.requests} connector requests in {self.seconds:.1f} s = "
                f"{self.requests / self.seconds:.1f}/s, {self.fraction:.2f} of {TENANT_PER_SECOND}/s; "
                f"429s {self.throttled}; lost {self.lost}; duplicated {self.duplicated}; spec problems {self.problems}")


def run(mode: str, prompts: int, in_flight: int | None) -> Result:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/fanout.db"
        upgrade(url)
        connector = FakeConnector(enforce_limits=True, check_cards=False)
        server = ConnectorThread(connector)
        settings = load_settings(DATABASE_URL=url, TEAMS_ALLOW_UNAUTHENTICATED="1")
        container = build(settings, clock=RunningClock(MONDAY_0745_NY))
        try:
            teams = build_teams(container, Intake(container.service, None))
            container.chats["teams"] = teams.chat
            if in_flight:
                container.worker.dispatcher.per_workspace = in_flight
            users = seed(container, server.url, prompts, warm=mode == "warm")
            return _measure(mode, container, connector, users)
        finally:
            container.close()
            server.close()


def _measure(mode: str, container: Container, connector: FakeConnector, users: list[str]) -> Result:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        asyncio.run(container.worker.tick(container.clock.now()))
        if len(_prompted(connector)) >= len(users) and not _due_deliveries(container):
            break
    posts = Counter(_prompted(connector))
    arrivals = connector.arrivals
    seconds = (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
    return Result(mode, len(users), len(arrivals), seconds, connector.throttled,
                  lost=sum(1 for user in users if posts[f"a:chat-{user}"] == 0),
                  duplicated=sum(count - 1 for count in posts.values() if count > 1),
                  problems=len(connector.problems))


def _prompted(connector: FakeConnector) -> list[str]:
    """The chats a prompt card went to, once per accepted post."""
    return [r.conversation for r, answer in zip(connector.requests, connector.answers)
            if r.method == "POST" and r.path.endswith("/activities") and r.cards and "id" in answer]


def _due_deliveries(container: Container) -> int:
    """Monday's deliveries not yet settled (later slots of the week are planned too)."""
    with container.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM delivery WHERE status IN ('planned', 'claimed') "
                                    "AND local_date = '2026-11-30'").scalar_one()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--modes", default="warm,cold")
    parser.add_argument("--in-flight", type=int, default=None,
                        help="sends in flight per workspace (default: the dispatcher's own)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    results = [run(mode, args.prompts, args.in_flight) for mode in args.modes.split(",")]
    for result in results:
        print(result.line())
    good = all(r.fraction >= 0.9 and r.lost == 0 and r.duplicated == 0 for r in results)
    print("aims met" if good else "aims NOT met")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
