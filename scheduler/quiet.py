"""The quiet window: the teachers' day, in their local time, outside which MicroCoach sends
nothing, and the rules built on it for late prompts, reminders and held follow-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from scheduler.cadence import offset_change, require_aware, wall_instants, zone

CatchUp = Literal["send", "wait", "missed"]

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


@dataclass(frozen=True)
class QuietWindow:
    """Local times from ``start`` (inclusive) to ``end`` (exclusive), within one day."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("the quiet window is local wall-clock time, without a zone")
        if self.end <= self.start:
            raise ValueError(
                f"the quiet window must end after it starts, within one day; got {self}"
            )

    @classmethod
    def parse(cls, text: str) -> QuietWindow:
        """Read ``"06:30-20:00"``; ``ValueError`` saying what is wrong otherwise."""
        match = _WINDOW.match(text)
        if not match:
            raise ValueError(f"'{text}' is not a quiet window; write it as HH:MM-HH:MM, like 06:30-20:00")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if max(h1, h2) > 23 or max(m1, m2) > 59:
            raise ValueError(f"'{text}' has a time that does not exist; hours run 00–23, minutes 00–59")
        return cls(time(h1, m1), time(h2, m2))

    def contains(self, local_time: time) -> bool:
        return self.start <= local_time.replace(tzinfo=None) < self.end

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}–{_hhmm(self.end)}"


def is_open(window: QuietWindow, tz: str, at_utc: datetime) -> bool:
    """Whether the teacher's clock in ``tz`` is inside the window at ``at_utc``."""
    return window.contains(require_aware(at_utc, "at_utc").astimezone(zone(tz)).time())


def _entries(window: QuietWindow, local_date: date, tz: str) -> list[datetime]:
    """Every instant on ``local_date`` at which the clock may step into the window: when it
    reads ``start`` or ``end`` (in either fold), and when a clock change jumps across one."""
    zone_info = zone(tz)
    found: list[datetime] = []
    for boundary in (window.start, window.end):
        first, second = wall_instants(local_date, boundary, zone_info)
        found += [first, second]
        if first != second:
            found.append(offset_change(zone_info, min(first, second), max(first, second)))
    return found


def next_open(window: QuietWindow, tz: str, after_utc: datetime) -> datetime:
    """The first instant at or after ``after_utc`` at which the teacher's clock is inside
    the window: ``after_utc`` itself when it already is."""
    after = require_aware(after_utc, "after_utc")
    today = after.astimezone(zone(tz)).date()
    candidates = [after]
    # Three days, so that even a day a zone skips entirely leaves a window to open.
    for offset in range(3):
        candidates.extend(_entries(window, today + timedelta(days=offset), tz))
    return min(c for c in candidates if c >= after and is_open(window, tz, c))


def release_time(decided_at_utc: datetime, window: QuietWindow, tz: str) -> datetime:
    """When an approved follow-up may go out: at once inside the window, else when it opens."""
    return next_open(window, tz, decided_at_utc)


def cadence_time_allowed(window: QuietWindow, t: time) -> str | None:
    """``None`` when a cadence time is inside the window, else a message saying why not."""
    if window.contains(t):
        return None
    return (
        f"{_hhmm(t)} is outside the teachers' day ({window}), when MicroCoach sends nothing. "
        "Could you pick a time inside it?"
    )


def catch_up_decision(
    slot_utc: datetime, now_utc: datetime, grace: timedelta, window: QuietWindow, tz: str
) -> CatchUp:
    """What to do with an unsent slot at ``now_utc``.

    A slot is due from its own instant. Once due it is sent while it is less than ``grace``
    late and the teacher's clock is inside the window; after that it is missed, never sent
    late into the evening. A grace of zero sends on-time slots only.
    """
    slot = require_aware(slot_utc, "slot_utc")
    now = require_aware(now_utc, "now_utc")
    if now < slot:
        return "wait"
    late = now - slot
    if (late > timedelta(0) and late >= grace) or not is_open(window, tz, now):
        return "missed"
    return "send"


def reminder_due(
    sent_at_utc: datetime,
    now_utc: datetime,
    after: timedelta,
    window: QuietWindow,
    tz: str,
    replied: bool,
    already_reminded: bool,
) -> bool:
    """Whether to send the one gentle reminder: no reply yet, none sent before, at least
    ``after`` since the prompt, and the teacher's clock inside the window (so a reminder that
    comes due in the evening waits for the morning)."""
    if replied or already_reminded:
        return False
    now = require_aware(now_utc, "now_utc")
    if now - require_aware(sent_at_utc, "sent_at_utc") < after:
        return False
    return is_open(window, tz, now)
