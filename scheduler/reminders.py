"""Reminders: one gentle, private nudge when a prompt has had no reply for a while.

At most one per prompt (``reminded_at`` is set in the same transaction that queues it), only to
a teacher who is still active and not paused, and only while the teacher's quiet window is open:
one that comes due in the evening waits for the morning. A prompt older than the wait plus a day
is left alone, so a worker back from an outage does not nudge about last week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.catalogue import reminder_text
from bot.core.ports import PromptLibrary
from bot.core.store import Store
from scheduler.cadence import zone
from scheduler.quiet import QuietWindow, reminder_due

LOOKBACK = timedelta(days=1)
"""How long after coming due a reminder may still go out; the window opens once a day."""


@dataclass
class Reminders:
    store: Store
    prompts: PromptLibrary
    window: QuietWindow
    default_tz: str
    after: timedelta = timedelta(hours=24)
    batch: int = 500

    def remind(self, now: datetime) -> int:
        """Queue the reminders due at ``now``; returns how many were queued."""
        queued = 0
        candidates = self.store.reminder_candidates(now - self.after - LOOKBACK, now - self.after, self.batch)
        for candidate in candidates:
            delivery, tz, paused_until = candidate.delivery, candidate.tz or self.default_tz, candidate.paused_until
            if paused_until is not None and now.astimezone(zone(tz)).date() <= paused_until:
                continue
            if delivery.sent_at is None or not reminder_due(delivery.sent_at, now, self.after, self.window, tz,
                                                            replied=False, already_reminded=False):
                continue
            prompt = self.prompts.get(delivery.prompt_id)
            title = prompt.title if prompt and prompt.title else "today's prompt"
            payload = {"text": reminder_text(title), "quiet": True}
            queued += self.store.record_reminder(delivery.id, at=now, key=f"reminder:{delivery.id}", payload=payload)
        return queued
