"""The one web server: every adapter's routes, ``/healthz``, and the outage rule (503 with
``Retry-After`` while the database is unreachable, so platforms retry)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from bot.acks_first import AcksFirst
from bot.container import Container
from bot.core.errors import StoreUnavailable

log = logging.getLogger("microcoach.web")

RETRY_AFTER_SECONDS = 30
CONTAINER = web.AppKey("container", Container)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def outage_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except StoreUnavailable:
        log.warning("database unavailable; answering 503 on %s", request.path)
        return web.json_response(
            {"ok": False, "error": "temporarily unavailable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


async def healthz(request: web.Request) -> web.Response:
    container = request.app[CONTAINER]

    def ping() -> None:
        with container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await asyncio.get_running_loop().run_in_executor(None, ping)
    except Exception:  # noqa: BLE001 — any failure to reach the database is an outage here
        return web.json_response(
            {"ok": False, "database": "unreachable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return web.json_response({"ok": True, "database": "ok"})


def acks_middleware(acks: AcksFirst) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """Marks every request as being answered, so work deferred past an ack waits for it."""

    @web.middleware
    async def answering(request: web.Request, handler: Handler) -> web.StreamResponse:
        async with acks.acknowledging():
            return await handler(request)

    return answering


def create_app(container: Container, acks: AcksFirst | None = None) -> web.Application:
    middlewares = [outage_middleware] + ([acks_middleware(acks)] if acks is not None else [])
    app = web.Application(middlewares=middlewares, client_max_size=1024 * 1024)
    app[CONTAINER] = container
    app.router.add_get("/healthz", healthz)
    return app
