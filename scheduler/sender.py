"""Sending the outbox: coaches' cards, follow-ups, welcomes and notices. Teacher-facing items wait
for the teacher's quiet window; a card update waits until the card it updates has gone out."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.messages import SentRef
from bot.core.model import OutboxItem
from bot.core.outbox import OutboxRenderer, Rendered
from bot.core.ports import Chat, Clock, SendError
from bot.core.store import Store
from scheduler.group_commit import GroupCommit
from scheduler.offload import offload as _io
from scheduler.quiet import QuietWindow, is_open, next_open
from scheduler.retry import RetryPolicy

log = logging.getLogger("microcoach.outbox")


@dataclass
class OutboxSender:
    store: Store
    renderer: OutboxRenderer
    chats: dict[str, Chat]
    clock: Clock
    window: QuietWindow
    default_tz: str
    lease: timedelta
    worker_id: str
    batch: int = 100
    lanes: int = 8
    """Messages sent at the same time (a burst of coaches' cards need not queue one by one)."""
    retry: RetryPolicy | None = None
    """Defaults to :meth:`RetryPolicy.for_lease`."""

    def __post_init__(self) -> None:
        self.policy = self.retry or RetryPolicy.for_lease(self.lease)
        self._record_sent = GroupCommit(self._sent_together)
        """Sends that finish while one is being recorded are recorded together."""

    async def send_due(self, now: datetime) -> int:
        """Send what is due, up to ``lanes`` messages at a time (see :func:`_lanes`)."""
        sent = 0
        gate = asyncio.Semaphore(self.lanes)
        while items := await _io(self.store.claim_outbox, now, self.worker_id, self.lease, self.batch):
            lanes = _lanes(items)
            first = await self._render_firsts([lane[0] for lane in lanes])
            sent += sum(await asyncio.gather(*(self._send_lane(lane, first, now, gate) for lane in lanes)))
            if len(items) < self.batch:
                break
        return sent

    async def _render_firsts(self, items: list[OutboxItem]) -> dict[int, Rendered | None]:
        """The first item of every lane, rendered in one read transaction (a burst of cards costs
        one, not one a card); nothing when that fails, and each is rendered on its own then."""
        def render_all() -> dict[int, Rendered | None]:
            return {item.id: self.renderer.render(item) for item in items}

        try:
            return await _io(self.store.atomically, render_all, writes=False)
        except Exception:  # noqa: BLE001 — rendered one by one, each failure is that item's own
            return {}

    async def _send_lane(self, items: list[OutboxItem], first: dict[int, Rendered | None], now: datetime,
                         gate: asyncio.Semaphore) -> int:
        """A lane's items in order; its first may have been rendered already (in ``first``); the
        others are rendered when their turn comes (an update needs the card it updates sent)."""
        sent = 0
        async with gate:
            for item in items:
                try:
                    rendered = first[item.id] if item.id in first else await self._render(item)
                    sent += await self._send(item, now, rendered)
                except Exception:  # noqa: BLE001 — one bad item must not stop the others
                    log.exception("outbox item %s failed unexpectedly", item.id)
                    await self._later(item, now, "unexpected error", None)
        return sent

    async def _render(self, item: OutboxItem) -> Rendered | None:
        return await _io(self.store.atomically, lambda: self.renderer.render(item), writes=False)

    async def _send(self, item: OutboxItem, now: datetime, rendered: Rendered | None) -> int:
        if rendered is None:
            await _io(self.store.finish_outbox, item.id, self.worker_id, status="dropped", reason="nothing left to send")
            return 0
        tz = rendered.tz or (rendered.recipient.tz if rendered.recipient else None) or self.default_tz
        if rendered.quiet and not is_open(self.window, tz, now):
            await _io(self.store.finish_outbox, item.id, self.worker_id, status="pending", claimed_by=None,
                      attempts=item.attempts - 1, not_before=next_open(self.window, tz, now))
            return 0
        chat = self.chats.get(rendered.to.platform)
        if chat is None:
            await _io(self.store.finish_outbox, item.id, self.worker_id, status="failed", reason="no adapter for this platform")
            return 0
        try:
            if rendered.update_ref is not None:
                await chat.update(SentRef(rendered.to.platform, rendered.update_ref), rendered.message)
                ref = SentRef(rendered.to.platform, rendered.update_ref)
            else:
                ref = await chat.send(rendered.to, rendered.message)
        except SendError as exc:
            if exc.permanent:
                await _io(self.store.finish_outbox, item.id, self.worker_id, status="failed", reason=exc.reason)
                return 0
            await self._later(item, now, exc.reason, exc.retry_after)
            return 0
        await self._record_sent((item, ref))
        return 1

    def _sent_together(self, sent: list[tuple[OutboxItem, SentRef]]) -> list[bool]:
        """Where each message went, and its item done: one transaction for them all; whether
        each item was still this worker's."""
        def record() -> list[bool]:
            done = []
            for item, ref in sent:
                self.renderer.sent(item, ref.data, ref.message_id)
                done.append(self.store.finish_outbox(item.id, self.worker_id, status="sent", sent_ref=ref.data,
                                                     sent_at=self.clock.now()))
            return done

        return self.store.atomically(record)

    async def _later(self, item: OutboxItem, now: datetime, reason: str, retry_after: float | None) -> None:
        """Back off from the clock (never before Retry-After); give up after the budget."""
        if item.attempts >= self.policy.max_attempts:
            await _io(self.store.finish_outbox, item.id, self.worker_id, status="failed", reason=f"gave up: {reason}")
            return
        wait = self.policy.delay(item.attempts, retry_after)
        await _io(self.store.finish_outbox, item.id, self.worker_id, status="pending", claimed_by=None,
                  not_before=max(now, self.clock.now()) + wait, reason=reason)


def _lanes(items: list[OutboxItem]) -> list[list[OutboxItem]]:
    """Claimed items split into lanes that may go at the same time, each in claim order: each
    draft's card with its updates (an update needs the card sent first), and one lane for all
    the rest, which keeps the order it always had."""
    lanes: dict[object, list[OutboxItem]] = {}
    for item in items:
        draft = item.payload.get("draft_id") if item.kind in ("coach_card", "card_update") else None
        lanes.setdefault(draft, []).append(item)
    return list(lanes.values())
