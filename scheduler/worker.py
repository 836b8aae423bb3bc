"""One pass of everything the clock drives, as of an instant: handle inbound events left
waiting, plan, send due prompts, queue reminders, draft pending replies, expire old drafts, send
the outbox (cards, follow-ups, notices)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from bot.core.messages import Address, Inbound
from bot.core.outcome import Outcome
from bot.core.service import CoachingService
from scheduler.dispatcher import Dispatcher
from scheduler.planner import Planner
from scheduler.pump import OutboxPump
from scheduler.reminders import Reminders
from scheduler.sender import OutboxSender

log = logging.getLogger("microcoach.worker")


@dataclass
class TickReport:
    received: int = 0
    planned: int = 0
    sent: int = 0
    reminded: int = 0
    drafted: int = 0
    outbox: int = 0
    expired: int = 0
    seconds: float = 0.0


@dataclass
class Worker:
    service: CoachingService
    planner: Planner
    dispatcher: Dispatcher
    sender: OutboxSender
    reminders: Reminders | None = None
    """Built from the dispatcher's parts, with the 24-hour wait, when not given
    (:func:`scheduler.engine.build_worker` passes one built from the settings)."""

    def __post_init__(self) -> None:
        d = self.dispatcher
        self.reminding = self.reminders or Reminders(d.store, d.prompts, d.window, d.directory.config.default_tz)
        self.pump = OutboxPump(lambda: self.sender.send_due(self.sender.clock.now()))
        """Sends coaches' cards the moment drafting stores their drafts, mid-pass."""
        self.service.drafting.on_card = self.pump.poke

    async def tick(self, now: datetime) -> TickReport:
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        self.pump.bind(loop)
        pumped = self.pump.sent
        report = TickReport()
        received = await loop.run_in_executor(None, self.service.handle_waiting, now)
        report.received = len(received)
        await self._tell(received)
        report.planned = await loop.run_in_executor(None, self.planner.plan, now)
        report.sent = await self.dispatcher.dispatch(now)
        report.reminded = await loop.run_in_executor(None, self.reminding.remind, now)
        report.drafted = await loop.run_in_executor(None, self.service.drafting.run)
        report.expired = await loop.run_in_executor(None, self.service.approvals.expire, now)
        await self.pump.drain()
        report.outbox = self.pump.sent - pumped + await self.sender.send_due(now)
        report.seconds = time.perf_counter() - started
        if report.received or report.planned or report.sent or report.reminded or report.drafted or report.outbox or report.expired:
            log.info("tick %s: received %d, planned %d, sent %d, reminded %d, drafted %d, outbox %d, expired %d in %.2f s",
                     now.isoformat(), report.received, report.planned, report.sent, report.reminded, report.drafted, report.outbox,
                     report.expired, report.seconds)
        return report

    async def _tell(self, handled: list[tuple[Inbound, Outcome]]) -> None:
        """What a late-handled message's sender would have been told at once (who sees their
        reply), in the same place: the DM, or the prompt's thread."""
        for inbound, outcome in handled:
            sender, chat = inbound.sender, self.sender.chats.get(inbound.sender.platform)
            if not outcome.notices or chat is None or not sender.user:
                continue
            where = Address(sender.platform, sender.workspace, user=sender.user, conversation=sender.conversation,
                            thread=inbound.in_thread_of)
            try:
                await chat.tell(where, "\n".join(outcome.notices))
            except Exception as error:  # noqa: BLE001 — the message itself is handled and kept; only the note is lost
                log.warning("could not tell a late-handled message's sender: %s", type(error).__name__)

    async def after_inbound(self) -> None:
        """What a reply or a click sets in motion: drafting (each card goes out as soon as its
        draft is stored) and the messages it queued (a follow-up, a notice)."""
        self.pump.bind(asyncio.get_running_loop())
        self.service.drafting.start()
        self.pump.poke()
        await self.pump.drain()
