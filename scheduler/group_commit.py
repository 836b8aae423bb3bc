"""Writes that arrive while one is under way go together in the next transaction (a group
commit): a burst of sent messages is recorded in a few transactions, not one a message, and none
waits longer than the write before it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

from scheduler.offload import offload

T = TypeVar("T")


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[list[T]], None]):
        self._write = write
        """Records a batch in one transaction (run off the event loop)."""
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._writing = False

    async def __call__(self, value: T) -> None:
        """Return once ``value`` is recorded; raise what recording it raised."""
        loop = asyncio.get_running_loop()
        recorded: asyncio.Future[None] = loop.create_future()
        self._waiting.append((value, recorded))
        if not self._writing:
            self._writing = True
            loop.create_task(self._write_waiting())
        await recorded

    async def _write_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                await self._write_batch(batch)
        finally:
            self._writing = False

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        """The batch in one transaction; when that fails, each value on its own, so one bad
        value fails only its own caller."""
        try:
            await offload(self._write, [value for value, _ in batch])
        except asyncio.CancelledError:
            for _, recorded in batch:
                recorded.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 — handed to the callers
            if len(batch) > 1:
                for single in batch:
                    await self._write_batch([single])
                return
            if not batch[0][1].done():
                batch[0][1].set_exception(exc)
            return
        for _, recorded in batch:
            if not recorded.done():  # its caller may have been cancelled meanwhile
                recorded.set_result(None)
