"""How adapters hand inbound events to the core: off the event loop, and, with the embedded
scheduler, with drafting and the outbox set going at once so a reply reaches the coach without
waiting for a tick. Events recorded to be handled after their acknowledgement wait while other
requests are being answered (:class:`bot.acks_first.AcksFirst`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from bot.acks_first import AcksFirst
from bot.core.messages import Inbound
from bot.core.outcome import Outcome
from bot.core.service import CoachingService
from scheduler.group_commit import GroupCommit

After = Callable[[], Awaitable[None]]
HANDLING_THREADS = 2
RECORDING_THREADS = 2
RECEIVED_PER_INSERT = 200


class Intake:
    def __init__(self, service: CoachingService, after: After | None = None, acks: AcksFirst | None = None):
        self.service = service
        self.after = after
        self.acks = acks or AcksFirst()
        """The web app marks each request it is answering here (:func:`bot.web.create_app`)."""
        self._receive = GroupCommit(service.receive, writers=RECORDING_THREADS, most=RECEIVED_PER_INSERT,
                                    executor=ThreadPoolExecutor(RECORDING_THREADS, thread_name_prefix="receive"))
        """Recording has threads of its own, so an ack never queues behind handling; with two,
        an event that arrives while one insert is under way starts the next at once."""
        self._handling = ThreadPoolExecutor(HANDLING_THREADS, thread_name_prefix="handle")
        self._handlers = asyncio.Semaphore(HANDLING_THREADS)
        """Handling after the ack takes few threads, and each event checks that no request is
        being answered just before it starts, so handling cannot starve the acks of the GIL."""

    async def __call__(self, inbound: Inbound) -> Outcome:
        """Handle an event now; the platform gets its answer from the outcome."""
        return self._followed(await asyncio.get_running_loop().run_in_executor(None, self.service.handle, inbound))

    async def receive(self, inbound: Inbound) -> int | None:
        """Record an event durably so the platform can be answered at once; None when the same
        event is waiting already. Events that arrive while inserts are under way go together in
        the next (a group commit), so a burst costs a few transactions, not one each."""
        return await self._receive(inbound)

    async def handle_received(self, inbox_id: int) -> Outcome:
        """Handle an event :meth:`receive` recorded, once no request is waiting for its answer."""
        loop = asyncio.get_running_loop()
        async with self._handlers:
            await self.acks.quiet()
            outcome = await loop.run_in_executor(self._handling, self.service.handle_received, inbox_id)
        return self._followed(outcome)

    def _followed(self, outcome: Outcome) -> Outcome:
        if self.after is not None and outcome.handled:
            asyncio.get_running_loop().create_task(self.after())
        return outcome
