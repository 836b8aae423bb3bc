"""Sends run concurrently, but never more than the per-workspace limit at once in one workspace,
even with two dispatchers (two workers) at work on the same database; each prompt goes once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import datetime, timedelta, timezone

from bot.container import build
from bot.core.messages import Address, Outbound, SentRef
from bot.settings import load_settings
from due_seed import seed_due


class SlowChat:
    """A platform that takes a moment per send and notes how many are in flight per workspace."""

    platform = "slack"
    can_find_sent = True

    def __init__(self) -> None:
        self.in_flight: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()

    async def send(self, to: Address, message: Outbound) -> SentRef:
        self.in_flight[to.workspace] += 1
        self.most[to.workspace] = max(self.most[to.workspace], self.in_flight[to.workspace])
        await asyncio.sleep(0.01)
        self.in_flight[to.workspace] -= 1
        self.sent[message.delivery_key or ""] += 1
        return SentRef(self.platform, message.delivery_key or "", message_id=message.delivery_key or "")

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        return None


def test_two_dispatchers_keep_each_workspace_within_its_limit(db_url: str) -> None:
    seeded = seed_due(db_url, workspaces=2, teachers=40, slot=datetime.now(timezone.utc) - timedelta(seconds=1))
    chat = SlowChat()
    container = build(load_settings(DATABASE_URL=db_url, MICROCOACH_QUIET_WINDOW="00:00-23:59"), chats={"slack": chat})
    first = dataclasses.replace(container.worker.dispatcher, worker_id="first", per_workspace=3,
                                linger=timedelta(seconds=5), poll=0.02)
    second = dataclasses.replace(first, worker_id="second")

    async def both() -> list[int]:
        now = container.clock.now()
        return list(await asyncio.gather(first.dispatch(now), second.dispatch(now)))

    try:
        sent = asyncio.run(both())
    finally:
        container.close()
    assert sum(sent) == 40
    assert dict(chat.sent) == {key: 1 for key in seeded.keys}
    assert set(chat.most.values()) == {3}
