"""Dispatch: claim due deliveries and send them through each platform's chat port.

Claims come from the store: atomic, with a lease, and never more than ``per_workspace`` in flight
in one workspace across every worker, so any number of dispatchers send each prompt once and
together respect the platform. Sends run as a pipeline: as sends finish, more are claimed. Before
re-sending a delivery attempted before (a claim that lapsed mid-send, or an error after which the
platform may still have posted it), a chat port that can answer is asked whether it already went
out. Every attempt is recorded.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from bot.core import cards
from bot.core.directory import Directory
from bot.core.messages import Address, Outbound, SentRef
from bot.core.model import Delivery, Enrollment, Person
from bot.core.ports import Chat, Clock, PromptLibrary, SendError
from bot.core.store import Store
from scheduler.ledger import Ledger
from scheduler.offload import offload
from scheduler.quiet import QuietWindow, catch_up_decision
from scheduler.reads import PassReads
from scheduler.retry import ERROR, RATE_LIMITED, RetryPolicy

log = logging.getLogger("microcoach.dispatch")

TOO_LATE = "too late: the grace period had passed"
OUTSIDE = "too late, or outside the teacher's day"
FOUND = "already sent before a lapsed claim or an error"


@dataclass(frozen=True)
class Ready:
    chat: Chat
    to: Address
    message: Outbound
    tz: str


@dataclass(frozen=True)
class Closed:
    """A delivery that will not be sent, and why."""

    status: str
    reason: str


@dataclass
class Pass:
    """One dispatch pass: its instant (``tick --at``'s T at the least), reads and ledger."""

    floor: datetime
    reads: PassReads
    ledger: Ledger


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
    """Deliveries one dispatcher has in flight at most."""
    retry: RetryPolicy | None = None
    """Defaults to :meth:`RetryPolicy.for_lease`."""
    linger: timedelta = timedelta(seconds=30)
    """How long a pass keeps waiting for work due soon (a retry, a rate limit ending, room in a
    workspace), so that a worker ticking every 30 s still sends at the platform's pace."""
    poll: float = 0.25
    """Seconds between claims while work waits only for room in its workspace."""
    gather: float = 0.02
    """Seconds to let more sends finish before claiming again, so claims come in rounds."""

    def __post_init__(self) -> None:
        self.policy = self.retry or RetryPolicy.for_lease(self.lease)

    async def dispatch(self, now: datetime) -> int:
        """Send everything due as of ``now``; returns how many were sent."""
        await offload(self.store.mark_planned_missed, now - self.grace, TOO_LATE)
        this = Pass(now, PassReads(self.store), Ledger(self.store, self.worker_id))
        started = time.monotonic()
        running: set[asyncio.Task[bool]] = set()
        sent = 0
        try:
            while True:
                room = self.batch - len(running)
                claimed = await offload(self.store.claim_due, self._now(now), self.worker_id, self.lease, room,
                                        per_workspace=self.per_workspace) if room > 0 else []
                if claimed:
                    prepared = await offload(self._prepare_all, claimed, this.reads)
                    running |= {asyncio.create_task(self._guarded(d, prepared[d.id], this)) for d in claimed}
                if running:
                    done, running = await asyncio.wait(running, timeout=self.poll, return_when=asyncio.FIRST_COMPLETED)
                    if done and running:
                        more, running = await asyncio.wait(running, timeout=self.gather)
                        done |= more
                    sent += sum(task.result() for task in done)
                elif not await self._wait_for_work(self._now(now), started):
                    return sent
        finally:
            if running:
                await asyncio.gather(*running, return_exceptions=True)

    def _now(self, floor: datetime) -> datetime:
        """The pass's instant: the clock, but never before the tick's ``now`` (``tick --at``)."""
        return max(floor, self.clock.now())

    async def _wait_for_work(self, at: datetime, started: float) -> bool:
        """Sleep until more may be claimable, if that is within the linger; False to end the
        pass. A clock that stands still (``tick --at``, tests) never gets there, so it ends."""
        remaining = self.linger.total_seconds() - (time.monotonic() - started)
        wake = await offload(self.store.next_dispatch_at, at, at - self.grace) if remaining > 0 else None
        if wake is None or (wake - at).total_seconds() > remaining:
            return False
        before = self.clock.now()
        await asyncio.sleep(0.001)
        if self.clock.now() <= before:
            return False
        delay = (wake - at).total_seconds()
        await asyncio.sleep(min(delay if delay > 0 else self.poll, remaining))
        return True

    def _prepare_all(self, claimed: list[Delivery], reads: PassReads) -> dict[int, Ready | Closed]:
        """What each claimed send needs, read in one trip to the thread pool."""
        recipients = self.store.recipients([d.id for d in claimed])
        return {d.id: self._prepare(d, *recipients.get(d.id, (None, None)), reads) for d in claimed}

    def _prepare(self, delivery: Delivery, person: Person | None, enrollment: Enrollment | None,
                 reads: PassReads) -> Ready | Closed:
        if person is None or enrollment is None or not enrollment.active or person.status != "active":
            return Closed("cancelled", "teacher left, stopped or was removed")
        workspace = reads.get_workspace(delivery.workspace_id)
        if workspace is None or not workspace.active:
            return Closed("failed", "the workspace is gone or removed the app")
        chat = self.chats.get(workspace.platform)
        if chat is None:
            return Closed("failed", "no adapter for this platform")
        prompt = self.prompts.get(delivery.prompt_id)
        if prompt is None and delivery.kind != "check_back":
            return Closed("failed", "prompt not in the library")
        cohort = reads.get_cohort(enrollment.cohort_id)
        directory = Directory(cast(Store, reads), self.directory.config)
        coach_id = directory.coach_id(enrollment, cohort)
        coach = reads.get_person(coach_id) if coach_id else None
        coach_name = directory.name(coach) if coach else None
        ai_on = directory.ai_on_for(person, workspace)
        if prompt is None:
            message = cards.check_back_message(delivery.id, enrollment.focus, enrollment.goal,
                                               cohort.default_focus if cohort else None, coach_name, ai_on)
        else:
            message = cards.prompt_message(delivery.id, prompt, coach_name, ai_on)
        tz = person.tz or (cohort.tz if cohort else self.directory.config.default_tz)
        return Ready(chat, directory.address(person), message, tz)

    async def _guarded(self, delivery: Delivery, prepared: Ready | Closed, this: Pass) -> bool:
        try:
            return await self._deliver(delivery, prepared, this)
        except Exception:  # noqa: BLE001 — one bad delivery must not stop the others
            log.exception("delivery %s failed unexpectedly", delivery.id)
            await self._failed(delivery, SendError("unexpected error"), this)
            return False

    async def _deliver(self, delivery: Delivery, prepared: Ready | Closed, this: Pass) -> bool:
        if isinstance(prepared, Closed):
            await self._record(this, delivery, prepared.status, prepared.reason, status=prepared.status,
                               reason=prepared.reason)
            return False
        if delivery.attempts > 1 and prepared.chat.can_find_sent:
            try:
                found = await prepared.chat.find_sent(prepared.to, prepared.message.delivery_key or "")
            except SendError as exc:
                await self._failed(delivery, SendError(f"could not check for an earlier send: {exc.reason}",
                                                       retry_after=exc.retry_after), this)
                return False
            if found is not None:
                return await self._record_sent(this, delivery, found, "found", FOUND)
        if catch_up_decision(delivery.slot_utc, self._now(this.floor), self.grace, self.window, prepared.tz) == "missed":
            await self._record(this, delivery, "missed", OUTSIDE, status="missed", reason=OUTSIDE)
            return False
        if not await self._keep_claim(delivery):
            log.warning("claim on delivery %s lapsed before sending; its new owner sends it", delivery.id)
            return False
        try:
            ref = await asyncio.wait_for(prepared.chat.send(prepared.to, prepared.message),
                                         timeout=self.lease.total_seconds() / 2)
        except SendError as exc:
            await self._failed(delivery, exc, this)
            return False
        except TimeoutError:
            await self._failed(delivery, SendError("no answer from the platform in time"), this)
            return False
        return await self._record_sent(this, delivery, ref, "sent")

    async def _keep_claim(self, delivery: Delivery) -> bool:
        """Renew a claim that has used half its lease, so a send never outlives it; False when
        the claim was lost meanwhile."""
        if delivery.lease_until is None:
            return True
        now = self.clock.now()
        if now - (delivery.lease_until - self.lease) <= self.lease / 2:
            return True
        return await offload(self.store.extend_claim, delivery.id, self.worker_id, now + self.lease)

    async def _record_sent(self, this: Pass, delivery: Delivery, ref: SentRef, outcome: str, detail: str = "") -> bool:
        kept = await self._record(this, delivery, outcome, detail, status="sent", sent_ref=ref.data,
                                  message_id=ref.message_id, sent_at=self.clock.now())
        if not kept:
            log.warning("delivery %s went out after its claim lapsed; its new owner will find it", delivery.id)
        return True

    async def _failed(self, delivery: Delivery, exc: SendError, this: Pass) -> None:
        """A permanent failure ends the delivery; a rate limit holds the whole workspace until
        Retry-After; an error backs off. Past its budget, the delivery is failed."""
        if exc.permanent:
            await self._record(this, delivery, "permanent", exc.reason, status="failed", reason=exc.reason)
            return
        now = self._now(this.floor)
        past = Counter(outcome for _, outcome, _ in await offload(self.store.attempts_of, delivery.id))
        limited = exc.retry_after is not None
        errors, deferrals = past[ERROR] + (not limited), past[RATE_LIMITED] + limited
        outcome = RATE_LIMITED if limited else ERROR
        if limited:
            await offload(self.store.hold_workspace, delivery.workspace_id,
                          now + timedelta(seconds=exc.retry_after or 0.0), exc.reason)
        if self.policy.gives_up(errors, deferrals):
            await self._record(this, delivery, outcome, exc.reason, status="failed", reason=f"gave up: {exc.reason}")
            return
        wait = timedelta(seconds=exc.retry_after or 0.0) if limited else self.policy.delay(errors)
        await self._record(this, delivery, outcome, exc.reason, status="planned", claimed_by=None, lease_until=None,
                           next_attempt_at=now + wait, reason=exc.reason)

    async def _record(self, this: Pass, delivery: Delivery, outcome: str, detail: str = "", **values: object) -> bool:
        return await this.ledger.record(delivery.id, self.clock.now(), outcome, detail, **values)
