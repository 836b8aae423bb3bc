"""When to try a failed send again, and when to stop.

Two budgets, because the two failures mean different things: an error (HTTP 5xx, a timeout, a
dropped connection) may repeat, so it backs off exponentially and gives up after
``max_attempts``; a rate limit (HTTP 429) says exactly when to come back, so it waits that long
and has its own, larger budget. Either way a retry never comes before the platform's
Retry-After, and the grace period still ends every attempt at a prompt (see
:func:`scheduler.quiet.catch_up_decision`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

RATE_LIMITED = "rate-limited"
"""The attempt outcome recorded for an HTTP 429."""
ERROR = "retry"
"""The attempt outcome recorded for a transient error."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    """Sends that failed with an error, the last included, before the delivery is failed."""
    max_deferrals: int = 20
    """Rate-limit answers before the delivery is failed."""
    base: float = 2.0
    """Seconds before the first retry after an error; doubles with each further error."""
    cap: float = 600.0
    jitter: Callable[[], float] = field(default=random.random, compare=False)
    """A number in [0, 1); spreads retries so workers do not return in step."""

    def delay(self, errors: int, retry_after: float | None = None) -> timedelta:
        """How long to wait after the ``errors``-th error (1 for the first): half to all of
        ``base · 2^(errors-1)``, capped, and never less than the platform's Retry-After."""
        backoff = min(self.cap, self.base * 2 ** max(errors - 1, 0)) * (0.5 + self.jitter() / 2)
        return timedelta(seconds=max(backoff, retry_after or 0.0))

    def gives_up(self, errors: int, deferrals: int) -> bool:
        return errors >= self.max_attempts or deferrals > self.max_deferrals

    @classmethod
    def for_lease(cls, lease: timedelta) -> RetryPolicy:
        """Back-offs in proportion to the lease, the engine's measure of how long a send may
        take: the first retry after a sixtieth of it, at most five leases. The default lease
        (120 s) gives 2 s and 10 minutes; a test's 2-second lease, waits of milliseconds."""
        seconds = lease.total_seconds()
        return cls(base=seconds / 60, cap=seconds * 5)
