"""Keeping within Teams' limits before Teams has to say 429.

Teams allows a bot 30 requests per second per tenant, and in one conversation 7 sends per second,
8 per 2 s, 60 per 30 s and 1,800 per hour. Each limit is a sliding window here: a call waits until
its window has room, so a burst of 2,000 prompts goes out at the pace Teams accepts. The windows
are a little wider than Teams' own, since a request sent at the edge of one may arrive late.
One process paces itself; across several workers the dispatcher's hold on a 429 does the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MARGIN = 1.05
TENANT_LIMITS = ((30, 1.0),)
CONVERSATION_LIMITS = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
PRUNE_AT = 10_000


@dataclass
class Window:
    """At most ``limit`` events in any ``seconds``."""

    limit: int
    seconds: float
    events: deque[float] = field(default_factory=deque)

    def wait_for(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self.events and now - self.events[0] >= self.seconds:
            self.events.popleft()
        if len(self.events) < self.limit:
            return 0.0
        return self.seconds - (now - self.events[0])

    def take(self, now: float) -> None:
        self.events.append(now)


@dataclass
class Pacer:
    margin: float = MARGIN
    clock: Callable[[], float] = time.monotonic
    tenant_limits: tuple[tuple[int, float], ...] = TENANT_LIMITS
    conversation_limits: tuple[tuple[int, float], ...] = CONVERSATION_LIMITS
    _windows: dict[str, list[Window]] = field(default_factory=dict)
    _held: dict[str, float] = field(default_factory=dict)

    async def wait(self, tenant: str, conversation: str | None = None) -> None:
        """Return when one more request to ``tenant`` (and ``conversation``) keeps within every
        limit; the request counts from then on. Checking and counting happen with no await in
        between, so concurrent callers on one event loop never overshoot."""
        windows = self._of(f"tenant:{tenant}", self.tenant_limits)
        if conversation:
            windows = windows + self._of(f"conversation:{conversation}", self.conversation_limits)
        while (delay := self._delay(tenant, windows)) > 0:
            await asyncio.sleep(delay)
        now = self.clock()
        for window in windows:
            window.take(now)

    def hold(self, tenant: str, seconds: float) -> None:
        """Teams said 429: let nothing more go to ``tenant`` for ``seconds``."""
        until = self.clock() + seconds
        self._held[tenant] = max(self._held.get(tenant, 0.0), until)

    def _delay(self, tenant: str, windows: list[Window]) -> float:
        now = self.clock()
        held = self._held.get(tenant, 0.0) - now
        return max([held] + [window.wait_for(now) for window in windows])

    def _of(self, key: str, limits: tuple[tuple[int, float], ...]) -> list[Window]:
        if key not in self._windows:
            if len(self._windows) >= PRUNE_AT:
                self._prune()
            self._windows[key] = [Window(limit, seconds * self.margin) for limit, seconds in limits]
        return self._windows[key]

    def _prune(self) -> None:
        """Forget conversations with nothing left in any window."""
        now = self.clock()
        for key in [k for k, windows in self._windows.items() if all(w.wait_for(now) == 0 and not w.events
                                                                        for w in windows)]:
            del self._windows[key]
