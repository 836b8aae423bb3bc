"""How adapters hand inbound events to the core: off the event loop, and, with the embedded
scheduler, with drafting and the outbox set going at once so a reply reaches the coach without
waiting for a tick."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from bot.core.messages import Inbound
from bot.core.outcome import Outcome
from bot.core.service import CoachingService

After = Callable[[], Awaitable[None]]
HANDLING_THREADS = 2
RECEIVED_PER_INSERT = 200


class Intake:
    def __init__(self, service: CoachingService, after: After | None = None):
        self.service = service
        self.after = after
        self._waiting: list[tuple[Inbound, asyncio.Future[int | None]]] = []
        self._recording = False
        self._recorder = ThreadPoolExecutor(1, thread_name_prefix="receive")
        """Recording has a thread of its own, so an ack never queues behind handling."""
        self._handling = ThreadPoolExecutor(HANDLING_THREADS, thread_name_prefix="handle")
        """Handling after the ack takes few threads, so it cannot starve the acks of the GIL."""

    async def __call__(self, inbound: Inbound) -> Outcome:
        """Handle an event now; the platform gets its answer from the outcome."""
        return self._followed(await asyncio.get_running_loop().run_in_executor(None, self.service.handle, inbound))

    async def receive(self, inbound: Inbound) -> int | None:
        """Record an event durably so the platform can be answered at once; None when the same
        event is waiting already. Events that arrive while one insert is under way go together
        in the next (a group commit), so a burst costs a few transactions, not one each."""
        loop = asyncio.get_running_loop()
        recorded: asyncio.Future[int | None] = loop.create_future()
        self._waiting.append((inbound, recorded))
        if not self._recording:
            self._recording = True
            loop.create_task(self._record())
        return await recorded

    async def handle_received(self, inbox_id: int) -> Outcome:
        """Handle an event :meth:`receive` recorded."""
        loop = asyncio.get_running_loop()
        return self._followed(await loop.run_in_executor(self._handling, self.service.handle_received, inbox_id))

    async def _record(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:RECEIVED_PER_INSERT], self._waiting[RECEIVED_PER_INSERT:]
                try:
                    ids = await loop.run_in_executor(self._recorder, self.service.receive, [i for i, _ in batch])
                except Exception as exc:  # noqa: BLE001 — each waiting request answers with it (503)
                    for _, recorded in batch:
                        recorded.set_exception(exc)
                else:
                    for (_, recorded), inbox_id in zip(batch, ids):
                        recorded.set_result(inbox_id)
        finally:
            self._recording = False

    def _followed(self, outcome: Outcome) -> Outcome:
        if self.after is not None and outcome.handled:
            asyncio.get_running_loop().create_task(self.after())
        return outcome
