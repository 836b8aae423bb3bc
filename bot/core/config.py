"""The part of the settings the core needs, as a plain value (the core never reads the
environment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class CoreConfig:
    default_tz: str = "America/New_York"
    quiet_start: time = time(6, 30)
    quiet_end: time = time(20, 0)
    admins: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """(platform, user id) pairs from MICROCOACH_ADMINS."""
    open_prompt_window: timedelta = timedelta(days=7)
    draft_expiry: timedelta = timedelta(hours=72)
    llm_available: bool = False
    llm_default_on: bool = True

    def in_quiet_window(self, at: time) -> bool:
        """Whether a local time is inside the teachers' day (start inclusive, end exclusive)."""
        return self.quiet_start <= at < self.quiet_end

    def window_opens(self, now: datetime, tz: str) -> datetime | None:
        """When the teacher's day next starts, or ``None`` while it is on now."""
        zone = ZoneInfo(tz)
        local = now.astimezone(zone)
        if self.in_quiet_window(local.time()):
            return None
        day = local.date() if local.time() < self.quiet_start else local.date() + timedelta(days=1)
        return datetime.combine(day, self.quiet_start, tzinfo=zone).astimezone(timezone.utc)
