"""Token usage and cost per workspace, and the optional monthly cap.

:class:`UsageMeter` is what the drafting step records each model call with (the core's
``UsageLedger``); where the numbers are kept is a :class:`UsageRecords` (the SQL store in
production, a dict in tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Pricing:
    """US dollars per million tokens; the defaults are gpt-4o-mini's list prices."""

    input_per_million: float = 0.15
    output_per_million: float = 0.60

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input_per_million + completion_tokens * self.output_per_million) / 1_000_000


class UsageRecords(Protocol):
    def add_llm_usage(self, *, workspace_id: int, month: str, model: str, prompt_tokens: int,
                      completion_tokens: int, cost_usd: float, at: datetime, calls: int = 1) -> None:
        """Add ``calls`` calls' usage to the workspace's total for ``month`` (``YYYY-MM``)."""

    def llm_cost_of_month(self, workspace_id: int, month: str) -> float:
        """The workspace's spend in ``month`` so far, in US dollars."""


def month_of(at: datetime) -> str:
    """The accounting month of an instant, in UTC."""
    return at.strftime("%Y-%m")


@dataclass
class UsageMeter:
    records: UsageRecords
    pricing: Pricing = Pricing()
    monthly_cap_usd: float | None = None
    """None: no cap. Past it, the workspace gets offline drafts until the month ends."""

    def record(self, workspace_id: int, model: str, prompt_tokens: int, completion_tokens: int,
               at: datetime, calls: int = 1) -> None:
        self.records.add_llm_usage(
            workspace_id=workspace_id, month=month_of(at), model=model, prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens, cost_usd=self.pricing.cost(prompt_tokens, completion_tokens), at=at,
            calls=calls)

    def over_cap(self, workspace_id: int, at: datetime) -> bool:
        if self.monthly_cap_usd is None:
            return False
        return self.records.llm_cost_of_month(workspace_id, month_of(at)) >= self.monthly_cap_usd
