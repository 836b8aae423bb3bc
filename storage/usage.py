"""What the LLM drafter cost, per workspace and month, and the names it must never send."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.base import StoreBase
from storage.rows import LlmUsageRow, WorkspaceRow


class UsageStore(StoreBase):
    def add_llm_usage(self, *, workspace_id: int, month: str, model: str, prompt_tokens: int,
                      completion_tokens: int, cost_usd: float, at: datetime, calls: int = 1) -> None:
        for _ in range(2):
            try:
                with self.session() as s:
                    row = s.exec(select(LlmUsageRow).where(
                        LlmUsageRow.workspace_id == workspace_id, LlmUsageRow.month == month,
                        LlmUsageRow.model == model).with_for_update()).first()
                    if row is None:
                        row = LlmUsageRow(workspace_id=workspace_id, month=month, model=model)
                        s.add(row)
                    row.calls += calls
                    row.prompt_tokens += prompt_tokens
                    row.completion_tokens += completion_tokens
                    row.cost_usd += cost_usd
                    row.updated_at = at
                return
            except IntegrityError:
                continue  # the month's row was created concurrently; add to it

    def llm_cost_of_month(self, workspace_id: int, month: str) -> float:
        with self.session() as s:
            total = s.exec(select(func.sum(LlmUsageRow.cost_usd)).where(
                LlmUsageRow.workspace_id == workspace_id, LlmUsageRow.month == month)).one()
            return float(total or 0.0)

    def workspace_names(self) -> tuple[str, ...]:
        """Every school's name, so the privacy guard keeps them from the model."""
        with self.session() as s:
            return tuple(n for n in s.exec(select(WorkspaceRow.name)) if n)
