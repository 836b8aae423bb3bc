"""How ``serve`` tells the workers of new work when they run apart (PostgreSQL): after each
event it handled, one ``NOTIFY`` on a thread of its own, so an announcement never queues behind
the handling of a burst. Announcements asked for while one is under way coalesce into one more:
a worker woken claims everything waiting, however many events brought it."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from storage.wakeups import Wakeups

log = logging.getLogger("microcoach.serve")


class Announcer:
    def __init__(self, wakeups: Wakeups):
        self.wakeups = wakeups
        self.sent = 0
        """Announcements made so far."""
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="announce")
        self._running = False
        self._again = False

    async def __call__(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        try:
            while True:
                self._again = False
                try:
                    await asyncio.get_running_loop().run_in_executor(self._thread, self.wakeups.announce)
                    self.sent += 1
                except Exception as error:  # noqa: BLE001 — the workers' next tick finds the work
                    log.warning("could not wake the workers: %s", type(error).__name__)
                if not self._again:
                    return
        finally:
            self._running = False
