"""Writes that arrive while one is under way go together in the next transaction (a group
commit): a burst of outcomes is recorded in a few transactions, not one each, and none waits
longer than the write before it. Each caller waits for the write that takes its value, so nothing
is reported recorded before it is."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from scheduler.offload import offload

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(self, write: Callable[[list[T]], Sequence[R]]):
        self._write = write
        """Records a batch in one transaction (run off the event loop); a result for each value."""
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._writing = False

    async def __call__(self, value: T) -> R:
        """``value``'s result once it is recorded; raises what recording it raised."""
        loop = asyncio.get_running_loop()
        recorded: asyncio.Future[R] = loop.create_future()
        self._waiting.append((value, recorded))
        if not self._writing:
            self._writing = True
            loop.create_task(self._write_waiting())
        return await recorded

    async def _write_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                await self._write_batch(batch)
        finally:
            self._writing = False

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        """The batch in one transaction; when that fails, each value on its own, so one bad
        value fails only its own caller."""
        try:
            results = await offload(self._write, [value for value, _ in batch])
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
        for (_, recorded), result in zip(batch, results, strict=True):
            if not recorded.done():  # its caller may have been cancelled meanwhile
                recorded.set_result(result)
