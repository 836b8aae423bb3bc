"""Hand-written fakes for the ports, injected through the composition root."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.core.messages import Address, Outbound, SentRef
from bot.core.ports import SendError


@dataclass
class Sent:
    to: Address
    message: Outbound
    ref: SentRef


@dataclass
class RecordingChat:
    """A chat port that records what was sent; ``fail_next`` raises that error on the next send."""

    platform: str = "playground"
    can_find_sent: bool = True
    sent: list[Sent] = field(default_factory=list)
    updates: list[tuple[SentRef, Outbound]] = field(default_factory=list)
    told: list[tuple[Address, str]] = field(default_factory=list)
    fail_next: list[SendError] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def send(self, to: Address, message: Outbound) -> SentRef:
        if self.fail_next:
            raise self.fail_next.pop(0)
        n = next(self._ids)
        ref = SentRef(self.platform, f"m{n}", message_id=f"m{n}")
        self.sent.append(Sent(to, message, ref))
        return ref

    async def update(self, ref: SentRef, message: Outbound) -> None:
        self.updates.append((ref, message))

    async def tell(self, to: Address, text: str) -> None:
        self.told.append((to, text))

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        for sent in self.sent:
            if sent.message.delivery_key == delivery_key and sent.to.user == to.user:
                return sent.ref
        return None

    def to(self, user: str) -> list[Sent]:
        return [s for s in self.sent if s.to.user == user]
