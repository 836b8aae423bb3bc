"""Acknowledgements before follow-up work.

A platform waits for its acknowledgement (Slack gives up after 3 s and retries); the work that
follows an event recorded for later (the teacher's "thanks", the Home tab) has no such clock.
Both share one interpreter, so follow-up work waits while acknowledgements are being written:
it starts once none has been under way for a moment, and never waits longer than a bound, so a
steady stream of events slows it down but cannot starve it.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator

QUIET_SECONDS = 0.02
"""How long no acknowledgement must have been under way before follow-up work starts."""
MAX_WAIT_SECONDS = 1.0
"""The longest follow-up work waits behind acknowledgements."""


class AcksFirst:
    def __init__(self, *, quiet: float = QUIET_SECONDS, max_wait: float = MAX_WAIT_SECONDS):
        self.quiet_seconds = quiet
        self.max_wait = max_wait
        self._acking = 0
        self._quiet: asyncio.Event | None = None
        self._opening: asyncio.TimerHandle | None = None

    @asynccontextmanager
    async def acknowledging(self) -> AsyncIterator[None]:
        """Around the part of a request that stands between the platform and its answer."""
        self._acking += 1
        self._event().clear()
        if self._opening is not None:
            self._opening.cancel()
            self._opening = None
        try:
            yield
        finally:
            self._acking -= 1
            if self._acking == 0:
                self._opening = asyncio.get_running_loop().call_later(self.quiet_seconds, self._open)

    async def quiet(self) -> None:
        """Return when no acknowledgement is under way, or after ``max_wait`` at most."""
        event = self._event()
        if event.is_set():
            return
        try:
            await asyncio.wait_for(event.wait(), self.max_wait)
        except TimeoutError:
            pass

    def _open(self) -> None:
        self._opening = None
        if self._acking == 0:
            self._event().set()

    def _event(self) -> asyncio.Event:
        if self._quiet is None:
            self._quiet = asyncio.Event()
            self._quiet.set()
        return self._quiet
