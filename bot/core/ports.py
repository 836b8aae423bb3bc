"""The core's ports: everything it needs from the outside world, as ``typing.Protocol``s.

Implementations say their technology (``SlackChat``, ``SqlStore``, ``OfflineDrafter``); the
core depends only on these shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.core.messages import Address, Outbound, SentRef
from bot.core.prompts import NextUp, PromptItem


class SendError(Exception):
    """A send the platform refused. ``permanent`` ones (user gone, bot removed or blocked) are
    not retried; others are, after ``retry_after`` seconds when the platform said so."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Chat(Protocol):
    """One platform's way of reaching people. Methods are coroutines: sends are I/O."""

    platform: str
    can_find_sent: bool
    """Whether :meth:`find_sent` can answer (Slack can, via message metadata; Teams cannot)."""

    async def send(self, to: Address, message: Outbound) -> SentRef:
        """Send ``message`` to a person (a direct message) or into a thread."""

    async def update(self, ref: SentRef, message: Outbound) -> None:
        """Replace a message sent earlier."""

    async def tell(self, to: Address, text: str) -> None:
        """Tell one person something only they see (ephemeral where the platform has it)."""

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        """Look up a message sent earlier with ``delivery_key``; only called when
        ``can_find_sent`` is true."""


@dataclass(frozen=True)
class DraftRequest:
    """What a drafter may see. ``reply`` is already redacted when it leaves the process."""

    prompt: PromptItem | None
    reply: str
    teacher_name: str = ""
    coach_name: str = ""
    focus: str | None = None
    goal: str | None = None
    history: tuple[tuple[str, str], ...] = ()
    """Earlier (prompt text, reply text) exchanges, oldest first."""
    voice: str = ""
    """The coach's notes on their own voice."""


@dataclass(frozen=True)
class DraftResult:
    text: str
    source: str
    """Who wrote it: ``offline`` or ``llm:<model>``."""
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Drafter(Protocol):
    def draft(self, request: DraftRequest) -> DraftResult:
        """Write a follow-up for the coach to approve, edit or reject."""


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""


class PromptLibrary(Protocol):
    def get(self, prompt_id: str) -> PromptItem | None:
        """Any item by id: a pack's, or a coach's own (``own-<n>``)."""

    def all(self) -> Sequence[PromptItem]:
        """The packs' items (a coach's own items belong to one workspace; the store lists them)."""

    def problems(self, item: PromptItem) -> list[str]:
        """Why a coach's item may not join the library (the pack schema's lengths and fields,
        lint's link rules), written for the coach; empty when it may."""

    def resembles(self, item: PromptItem, others: Sequence[PromptItem] = ()) -> str | None:
        """The id of a pack item, or one of ``others``, whose text reads nearly the same."""


class Selector(Protocol):
    """Chooses what a teacher's next slot sends from the library and their history."""

    def next_up(self, enrollment_id: int, local_date: date) -> NextUp | None:
        """A prompt, a pinned prompt or a due goal check-back; None when nothing is left."""


class CalendarError(Exception):
    """A calendar that could not be fetched or read; ``message`` is written for the admin."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CalendarSkip:
    """Local dates with no prompt, both ends inclusive, and the event that asked for them."""

    start: date
    end: date
    reason: str


class Calendar(Protocol):
    """A district calendar (iCalendar, from an https link or a file) read as skip days."""

    def skip_days(self, source: str, *, tz: str, start: date, end: date) -> list[CalendarSkip]:
        """Raises :class:`CalendarError` with a message for the admin."""


class RosterError(Exception):
    """A roster that could not be fetched, read or sealed; ``message`` is written for the coach."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Rosters(Protocol):
    """Students' names for the privacy guard: read from a CSV or a one-name-a-line file (a path or
    an https link), and sealed for storage (stored names are always encrypted)."""

    def read(self, source: str) -> list[str]:
        """The names, each once; raises :class:`RosterError` with a message for the coach."""

    def seal(self, names: Sequence[str]) -> str:
        """The names encrypted for the store; raises :class:`RosterError` when no key is set."""
