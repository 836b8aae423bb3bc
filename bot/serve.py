"""``microcoach serve``: the web server, and the worker's work in-process when configured."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web

from bot.container import build
from bot.settings import Settings
from bot.web import create_app
from storage.migrate import upgrade

log = logging.getLogger("microcoach.serve")


def run_server(settings: Settings, *, host: str | None = None, port: int | None = None) -> int:
    started = time.monotonic()
    if settings.is_sqlite:
        upgrade(settings.database_url)
    container = build(settings)
    app = create_app(container)
    host = host or settings.host
    port = port or settings.port

    async def main() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        log.info("ready on http://%s:%d in %.2f s", host, port, time.monotonic() - started)
        print(f"MicroCoach is ready on http://{host}:{port}/", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
            container.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    return 0
