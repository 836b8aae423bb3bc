"""A circuit breaker for the model: after repeated failures it opens, and for a cool-down no
request is made at all (the offline drafter writes every draft); then one trial call decides
whether it closes again.

Time comes from the :class:`~bot.core.ports.Clock` port, so tests move through a cool-down
without waiting. Safe to share between the drafting threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.ports import Clock


@dataclass
class CircuitBreaker:
    clock: Clock
    failures_to_open: int = 5
    """Consecutive failed calls that open the breaker."""
    cool_down: timedelta = timedelta(minutes=2)
    _failures: int = 0
    _open_until: datetime | None = None
    _trial_running: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self) -> str:
        """``closed``, ``open`` (cooling down) or ``half-open`` (a trial call may go)."""
        with self._lock:
            if self._open_until is None:
                return "closed"
            return "open" if self.clock.now() < self._open_until else "half-open"

    def allow(self) -> bool:
        """Whether a call may go now. Once the cool-down is over only one trial call goes
        until it reports back."""
        with self._lock:
            if self._open_until is None:
                return True
            if self.clock.now() < self._open_until or self._trial_running:
                return False
            self._trial_running = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._open_until = None
            self._trial_running = False

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failures_to_open:
                self._open_until = self.clock.now() + self.cool_down
            self._trial_running = False
