"""Recording attempts in groups: one transaction for whatever finished meanwhile.

Each outcome waits for the write that takes it, so nothing is reported recorded before it is;
while one write runs, the outcomes that finish queue for the next. With one send in flight that is
a write per send, as before; with a hundred, a few writes a second instead of a hundred.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.store import Store
from scheduler.offload import offload


@dataclass
class Ledger:
    store: Store
    worker_id: str
    _queued: list[tuple[tuple[int, datetime, str, str, dict[str, object]], asyncio.Future[bool]]] = field(
        default_factory=list)
    _writing: asyncio.Task[None] | None = None

    async def record(self, delivery_id: int, at: datetime, outcome: str, detail: str = "", **values: object) -> bool:
        """Record one attempt and apply ``values`` while this worker holds the claim; False when
        the claim was lost (the attempt is recorded either way)."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queued.append(((delivery_id, at, outcome, detail, values), done))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write())
        return await done

    async def _write(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            try:
                kept = await offload(self.store.record_outcomes, self.worker_id, [outcome for outcome, _ in batch])
            except Exception as exc:  # noqa: BLE001 — each waiting send sees the failure
                for _, done in batch:
                    done.set_exception(exc)
                continue
            for (_, done), held in zip(batch, kept, strict=True):
                done.set_result(held)
