"""Sending the outbox the moment something lands in it: drafting calls :meth:`OutboxPump.poke`
from its own thread each time it stores drafts, and the pump runs a sender pass on the event
loop at once, so a coach's card goes out as soon as its draft is stored, not when the tick ends.

Pokes that arrive during a pass coalesce into one more pass after it. A poke while no loop is
bound (between CLI ticks, or after shutdown) does nothing: the next tick's own pass sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("microcoach.outbox")

Send = Callable[[], Awaitable[int]]


class OutboxPump:
    def __init__(self, send: Send):
        self._send = send
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.sent = 0
        """Messages its passes have sent so far."""

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send on ``loop`` from now on (the loop the worker's tick runs on)."""
        if self._loop is not loop:
            self._loop, self._task, self._again = loop, None, False

    def poke(self) -> None:
        """Start a sender pass; safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._start)
        except RuntimeError:  # the loop closed meanwhile; the next tick sends
            return

    async def drain(self) -> None:
        """Wait for the pass under way (and one asked for during it), so none is cut off."""
        while self._task is not None and not self._task.done():
            await asyncio.wait({self._task})

    def _start(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            self._again = False
            try:
                self.sent += await self._send()
            except Exception:  # noqa: BLE001 — a failed pass is retried by the next poke or tick
                log.exception("sending the outbox after new drafts failed")
            if not self._again:
                return
