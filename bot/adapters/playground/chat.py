"""The Chat port for the playground: "sending" is storing a row the page polls for. A message to
a person goes to their conversation; one to a conversation (a cohort's channel) goes to that
channel's view, where a note for one person is marked as theirs alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from bot.adapters.playground.render import text_view, to_view
from bot.clock import SystemClock
from bot.core.messages import Address, Outbound, SentRef
from bot.core.ports import Clock, SendError
from storage.playground import PlaygroundStore, channel_key, person_key

PLATFORM = "playground"

T = TypeVar("T")


class PlaygroundChat:
    platform = PLATFORM
    can_find_sent = True

    def __init__(self, store: PlaygroundStore, clock: Clock | None = None):
        self.store = store
        self.clock = clock or SystemClock()

    async def send(self, to: Address, message: Outbound) -> SentRef:
        row_id = await off_loop(
            partial(
                self.store.add_message,
                _owner(to),
                to_view(message),
                direction="out",
                thread=_thread(to),
                delivery_key=message.delivery_key,
                at=self.clock.now(),
            )
        )
        return _ref(row_id)

    async def update(self, ref: SentRef, message: Outbound) -> None:
        message_id = _row_id(ref.data)
        found = await off_loop(partial(self.store.update_message, message_id, to_view(message), at=self.clock.now()))
        if not found:
            raise SendError("the playground has no such message", permanent=True)

    async def tell(self, to: Address, text: str) -> None:
        body = {**text_view(text), "only": to.user} if to.conversation else text_view(text)
        await off_loop(
            partial(
                self.store.add_message,
                _owner(to),
                body,
                direction="notice",
                thread=_thread(to),
                at=self.clock.now(),
            )
        )

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        row_id = await off_loop(partial(self.store.find_by_delivery_key, _owner(to), delivery_key))
        return None if row_id is None else _ref(row_id)


async def off_loop(call: Callable[[], T]) -> T:
    """Run a synchronous store call in the default thread pool, keeping the event loop free."""
    return await asyncio.get_running_loop().run_in_executor(None, call)


def _owner(to: Address) -> str:
    if to.conversation:
        return channel_key(to.workspace, to.conversation)
    if to.user is None:
        raise SendError("a playground address needs a person or a channel", permanent=True)
    return person_key(to.workspace, to.user)


def _thread(to: Address) -> int | None:
    return None if to.thread is None else _row_id(to.thread)


def _row_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SendError(f"not a playground message id: {text!r}", permanent=True) from None


def _ref(row_id: int) -> SentRef:
    return SentRef(platform=PLATFORM, data=str(row_id), message_id=str(row_id))
