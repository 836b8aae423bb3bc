"""APScheduler 3 as the clock: it only says "now"; the database decides what is due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("microcoach.clock")


class Clockwork:
    """Runs ``job`` every ``seconds``, one run at a time, plus on demand via :meth:`kick`."""

    def __init__(self, job: Callable[[], Awaitable[object]], seconds: float):
        self._job = job
        self._seconds = seconds
        self._lock = asyncio.Lock()
        self._scheduler = AsyncIOScheduler()

    async def _run(self) -> None:
        if self._lock.locked():
            return
        async with self._lock:
            try:
                await self._job()
            except Exception:  # noqa: BLE001 — an outage must not stop the clock; the next tick retries
                log.exception("tick failed; will try again")

    def start(self) -> None:
        self._scheduler.add_job(self._run, "interval", seconds=self._seconds, max_instances=1, coalesce=True)
        self._scheduler.start()
        asyncio.get_running_loop().create_task(self._run())

    def shutdown(self) -> None:
        self._scheduler.shutdown(wait=False)
