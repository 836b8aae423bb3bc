"""Dispatch: claim due deliveries and send them through each platform's chat port.

Claims come from the store (atomic, with a lease), so any number of dispatchers send each prompt
once. Before re-sending a delivery whose earlier claim lapsed mid-send, a chat port that can
answer is asked whether it already went out. Every attempt is recorded.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.core import cards
from bot.core.directory import Directory
from bot.core.model import Delivery
from bot.core.ports import Chat, Clock, PromptLibrary, SendError
from bot.core.store import Store
from scheduler.quiet import QuietWindow, catch_up_decision

log = logging.getLogger("microcoach.dispatch")
T = TypeVar("T")


@dataclass
class RetryPolicy:
    max_attempts: int = 5
    base: float = 2.0
    cap: float = 600.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential back-off with jitter, never sooner than the platform's Retry-After."""
        backoff = min(self.cap, self.base * 2 ** max(attempt - 1, 0)) * (0.5 + random.random() / 2)
        return max(backoff, retry_after or 0.0)


@dataclass
class Dispatcher:
    store: Store
    directory: Directory
    prompts: PromptLibrary
    chats: dict[str, Chat]
    clock: Clock
    window: QuietWindow
    grace: timedelta
    lease: timedelta
    worker_id: str
    per_workspace: int = 4
    batch: int = 200
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    async def dispatch(self, now: datetime) -> int:
        """Send everything due as of ``now``; returns how many were sent."""
        sent = 0
        while claimed := await self._io(self.store.claim_due, now, self.worker_id, self.lease, self.batch):
            limits: dict[int, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(self.per_workspace))
            results = await asyncio.gather(*(self._guarded(limits[d.workspace_id], d, now) for d in claimed))
            sent += sum(results)
            if len(claimed) < self.batch:
                break
        return sent

    async def _guarded(self, limit: asyncio.Semaphore, delivery: Delivery, now: datetime) -> bool:
        async with limit:
            try:
                return await self._deliver(delivery, now)
            except Exception:  # noqa: BLE001 — one bad delivery must not stop the others
                log.exception("delivery %s failed unexpectedly", delivery.id)
                await self._retry(delivery, now, "unexpected error", None)
                return False

    async def _deliver(self, delivery: Delivery, now: datetime) -> bool:
        finish = self.store.finish_delivery
        person = await self._io(self.store.get_person, delivery.person_id) if delivery.person_id else None
        workspace = await self._io(self.store.get_workspace, delivery.workspace_id)
        enrollment = await self._io(self.store.get_enrollment, delivery.enrollment_id) if delivery.enrollment_id else None
        if person is None or enrollment is None or not enrollment.active or person.status != "active":
            await self._io(finish, delivery.id, self.worker_id, status="cancelled", reason="teacher left, stopped or was removed")
            return False
        if workspace is None or not workspace.active:
            await self._io(finish, delivery.id, self.worker_id, status="failed", reason=workspace.inactive_reason if workspace else "workspace gone")
            return False
        cohort = await self._io(self.store.get_cohort, enrollment.cohort_id)
        tz = person.tz or (cohort.tz if cohort else self.directory.config.default_tz)
        if catch_up_decision(delivery.slot_utc, now, self.grace, self.window, tz) == "missed":
            await self._io(finish, delivery.id, self.worker_id, status="missed", reason="too late, or outside the teacher's day")
            return False
        chat = self.chats.get(workspace.platform)
        prompt = self.prompts.get(delivery.prompt_id)
        if chat is None or prompt is None:
            reason = "no adapter for this platform" if chat is None else "prompt not in the library"
            await self._io(finish, delivery.id, self.worker_id, status="failed", reason=reason)
            return False
        coach = await self._io(self.directory.coach_of_teacher, person.id, enrollment.id)
        message = cards.prompt_message(delivery.id, prompt, self.directory.name(coach) if coach else None,
                                       await self._io(self.directory.ai_on_for, person, workspace))
        to = await self._io(self.directory.address, person)
        if delivery.attempts > 1 and chat.can_find_sent:
            found = await chat.find_sent(to, message.delivery_key or "")
            if found is not None:
                await self._record(delivery, "found", "already sent before a lapsed claim")
                await self._io(finish, delivery.id, self.worker_id, status="sent", sent_ref=found.data,
                               message_id=found.message_id, sent_at=now)
                return True
        try:
            ref = await chat.send(to, message)
        except SendError as exc:
            await self._record(delivery, "permanent" if exc.permanent else "retry", exc.reason)
            if exc.permanent:
                await self._io(finish, delivery.id, self.worker_id, status="failed", reason=exc.reason)
                return False
            await self._retry(delivery, now, exc.reason, exc.retry_after)
            return False
        await self._record(delivery, "sent")
        await self._io(finish, delivery.id, self.worker_id, status="sent", sent_ref=ref.data, message_id=ref.message_id,
                       sent_at=self.clock.now())
        return True

    async def _retry(self, delivery: Delivery, now: datetime, reason: str, retry_after: float | None) -> None:
        if delivery.attempts >= self.retry.max_attempts:
            await self._io(self.store.finish_delivery, delivery.id, self.worker_id, status="failed", reason=f"gave up: {reason}")
            return
        wait = timedelta(seconds=self.retry.delay(delivery.attempts, retry_after))
        await self._io(self.store.finish_delivery, delivery.id, self.worker_id, status="planned", claimed_by=None,
                       lease_until=None, next_attempt_at=now + wait, reason=reason)

    async def _record(self, delivery: Delivery, outcome: str, detail: str = "") -> None:
        await self._io(self.store.record_attempt, delivery.id, self.clock.now(), self.worker_id, outcome, detail)

    @staticmethod
    async def _io(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a synchronous store call off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kwargs))
