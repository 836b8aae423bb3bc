"""Token costs and the monthly cap."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.drafting.usage import Pricing, UsageMeter, month_of

NOV = datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)
DEC = datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc)


class Records:
    def __init__(self) -> None:
        self.costs: dict[tuple[int, str], float] = {}

    def add_llm_usage(self, *, workspace_id: int, month: str, model: str, prompt_tokens: int,
                      completion_tokens: int, cost_usd: float, at: datetime, calls: int = 1) -> None:
        self.costs[(workspace_id, month)] = self.costs.get((workspace_id, month), 0.0) + cost_usd

    def llm_cost_of_month(self, workspace_id: int, month: str) -> float:
        return self.costs.get((workspace_id, month), 0.0)


def test_cost_is_priced_per_million_tokens() -> None:
    assert Pricing(1.0, 4.0).cost(1_000_000, 500_000) == pytest.approx(3.0)


def test_a_workspace_reaches_its_cap_and_the_next_month_starts_afresh() -> None:
    meter = UsageMeter(Records(), Pricing(1.0, 1.0), monthly_cap_usd=1.0)
    meter.record(7, "m", 600_000, 400_000, NOV)
    assert meter.over_cap(7, NOV) and not meter.over_cap(8, NOV) and not meter.over_cap(7, DEC)
    assert month_of(DEC) == "2026-12"


def test_without_a_cap_nothing_is_ever_over() -> None:
    meter = UsageMeter(Records())
    meter.record(7, "m", 10**9, 10**9, NOV)
    assert not meter.over_cap(7, NOV)
