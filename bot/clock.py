"""Clocks: the system's, and one fixed at an instant (``tick --at``, tests, benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@dataclass
class FixedClock:
    """Stands still at ``at`` until moved with :meth:`advance` or :meth:`set`."""

    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")

    def now(self) -> datetime:
        return self.at.astimezone(timezone.utc)

    def advance(self, delta: timedelta) -> None:
        self.at = self.at + delta

    def set(self, at: datetime) -> None:
        self.at = at
