"""Recording attempts in groups: one transaction for whatever finished meanwhile.

Each outcome waits for the write that takes it, so nothing is reported recorded before it is;
while one write runs, the outcomes that finish queue for the next. With one send in flight that is
a write per send, as before; with a hundred, a few writes a second instead of a hundred.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.store import Store
from scheduler.group_commit import GroupCommit

Outcome = tuple[int, datetime, str, str, dict[str, object]]
"""A delivery attempt: delivery id, when, outcome, detail, and the values it sets."""


@dataclass
class Ledger:
    store: Store
    worker_id: str

    def __post_init__(self) -> None:
        self._group: GroupCommit[Outcome, bool] = GroupCommit(
            lambda outcomes: self.store.record_outcomes(self.worker_id, outcomes))

    async def record(self, delivery_id: int, at: datetime, outcome: str, detail: str = "", **values: object) -> bool:
        """Record one attempt and apply ``values`` while this worker holds the claim; False when
        the claim was lost (the attempt is recorded either way)."""
        return await self._group((delivery_id, at, outcome, detail, values))
