"""``microcoach serve`` and ``microcoach worker``: the long-running processes.

``serve`` hosts every configured adapter on one aiohttp server, and with the embedded scheduler
(``MICROCOACH_SCHEDULER``) it also does the worker's work in-process. ``worker`` does only the
clock's work; any number may run against PostgreSQL. There, ``serve`` without the embedded
scheduler announces each event it handled (:mod:`storage.wakeups`) and every worker starts on it
at once: a reply's draft and card, a decision's follow-up, do not wait for the next tick.

Both freeze what they built at start (the prompt library, name lists, SQLAlchemy's metadata) out
of the garbage collector's reach: a full collection over it paused requests for 100 ms and more.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.adapters.playground.chat import PlaygroundChat
from bot.adapters.playground.routes import add_routes as add_playground_routes
from bot.adapters.playground.seed import demo_people, seed_demo
from bot.adapters.slack import build_slack, slack_chat
from bot.adapters.teams.app import build_teams, teams_chat
from bot.container import Container, build
from bot.announcer import Announcer
from bot.intake import After, Intake
from bot.core.ports import Chat
from bot.settings import Settings
from bot.web import create_app
from scheduler.clockwork import Clockwork
from storage.migrate import upgrade
from storage.playground import PlaygroundStore
from storage.wakeups import Wakeups

log = logging.getLogger("microcoach.serve")


def platform_chats(container: Container) -> dict[str, Chat]:
    """The chat port of every platform this deployment can reach."""
    chats: dict[str, Chat] = {"playground": PlaygroundChat(PlaygroundStore(container.engine), container.clock)}
    if container.settings.slack_enabled:
        chats["slack"] = slack_chat(container)
    if container.settings.teams_enabled:
        chats["teams"] = teams_chat(container)
    return chats


def build_web(container: Container, *, embedded: bool) -> tuple[web.Application, Clockwork | None]:
    settings = container.settings
    container.chats.update(platform_chats(container))
    clockwork = _clockwork(container) if embedded else None
    after = container.worker.after_inbound if embedded else announcing(container.wakeups)
    handle = Intake(container.service, after)
    app = create_app(container, handle.acks)
    if settings.slack_enabled:
        slack = build_slack(container, handle)
        container.chats["slack"] = slack.chat
        slack.add_routes(app)
        app.on_startup.append(lambda _app: slack.start())
        app.on_cleanup.append(lambda _app: slack.stop())
    if settings.teams_enabled:
        teams = build_teams(container, handle)
        container.chats["teams"] = teams.chat
        teams.add_routes(app)
        if not settings.teams_app_id:
            log.warning("Teams is running WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED): for the Emulator and tests only")
    if settings.host_is_loopback:
        store = PlaygroundStore(container.engine)
        add_playground_routes(app, store=store, people=lambda: demo_people(store), handle=handle, clock=container.clock)
    else:
        log.info("playground off: HOST %s is not a loopback address", settings.host)
    return app, clockwork


def _clockwork(container: Container) -> Clockwork:
    """The worker's tick every ``MICROCOACH_TICK_SECONDS``."""
    return Clockwork(lambda: container.worker.tick(container.clock.now()), container.settings.tick_seconds)


def announcing(wakeups: Wakeups | None) -> After | None:
    """What ``serve`` does after handling an event when workers do the clock's work apart."""
    return Announcer(wakeups) if wakeups is not None else None


def _from_thread(loop: asyncio.AbstractEventLoop, job: Callable[[], Awaitable[None]]) -> Callable[[], None]:
    """``job`` started on ``loop``, callable from any thread (a no-op once the loop closed)."""
    def start() -> None:
        try:
            asyncio.run_coroutine_threadsafe(job(), loop)
        except RuntimeError:
            return
    return start


def _seed_if_new(container: Container) -> None:
    settings = container.settings
    if settings.slack_enabled or settings.teams_enabled or container.store.any_workspace():
        return
    seed_demo(container.store, at=container.clock.now())
    log.info("seeded the demo workspace (a new database, no platform configured)")


def run_server(settings: Settings, *, host: str | None = None, port: int | None = None) -> int:
    started = time.monotonic()
    if settings.is_sqlite:
        upgrade(settings.database_url)
    if host:
        settings = settings.model_copy(update={"host": host})
    container = build(settings)
    _seed_if_new(container)
    app, clockwork = build_web(container, embedded=settings.embedded_scheduler)
    port = port or settings.port
    gc.freeze()

    async def main() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.host, port).start()
        if clockwork is not None:
            clockwork.start()
        log.info("ready on http://%s:%d in %.2f s (scheduler %s)", settings.host, port, time.monotonic() - started,
                 "in-process" if clockwork else "off: run `microcoach worker`")
        print(f"MicroCoach is ready on http://{settings.host}:{port}/", flush=True)
        try:
            await _until_signalled()
        finally:
            if clockwork is not None:
                clockwork.shutdown()
            await runner.cleanup()
            container.close()

    asyncio.run(main())
    return 0


def run_worker(settings: Settings) -> int:
    container = build(settings)
    container.chats.update(platform_chats(container))
    gc.freeze()

    async def main() -> None:
        try:
            await work(container, _until_signalled())
        finally:
            container.close()

    asyncio.run(main())
    return 0


async def work(container: Container, until: Awaitable[object]) -> None:
    """A worker's life until ``until``: the clock's ticks and, on PostgreSQL, a pass the moment
    ``serve`` announces new work."""
    settings = container.settings
    clockwork = _clockwork(container)
    clockwork.start()
    wakeups = container.wakeups
    listener = wakeups.listen(_from_thread(asyncio.get_running_loop(), container.worker.after_inbound)) if wakeups else None
    log.info("worker running; ticking every %s s%s", settings.tick_seconds,
             ", and woken by `serve` the moment there is new work" if listener else "")
    try:
        await until
    finally:
        if listener is not None:
            listener.stop()
        clockwork.shutdown()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
