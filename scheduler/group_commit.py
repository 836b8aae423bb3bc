"""Writes that arrive while one is under way go together in the next transaction (a group
commit): a burst is recorded in a few transactions, not one each, and none waits longer than the
write before it. Each caller waits for the write that takes its value, so nothing is reported
recorded before it is.

A write that fails because the database cannot be reached fails every caller in it at once; any
other failure may be one value's own, so each value of that batch is then written on its own, and
only the bad one's caller sees the error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Generic, TypeVar

from bot.core.errors import StoreUnavailable

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(self, write: Callable[[list[T]], Sequence[R]], *, writers: int = 1, most: int | None = None,
                 executor: Executor | None = None):
        self._write = write
        """Records a batch in one transaction, off the event loop; a result for each value."""
        self._writers = writers
        """Writes under way at once: with two, a value that arrives while one is under way starts
        the next at once."""
        self._most = most
        """The most values a write takes."""
        self._executor = executor
        """Where writes run (the default thread pool when None)."""
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._writing = 0

    async def __call__(self, value: T) -> R:
        """``value``'s result once it is recorded; raises what recording it raised."""
        loop = asyncio.get_running_loop()
        recorded: asyncio.Future[R] = loop.create_future()
        self._waiting.append((value, recorded))
        if self._writing < self._writers:
            self._writing += 1
            loop.create_task(self._write_waiting())
        return await recorded

    async def _write_waiting(self) -> None:
        try:
            while self._waiting:
                cut = len(self._waiting) if self._most is None else self._most
                batch, self._waiting = self._waiting[:cut], self._waiting[cut:]
                await self._write_batch(batch)
        finally:
            self._writing -= 1

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        loop = asyncio.get_running_loop()
        try:
            results = await loop.run_in_executor(self._executor, self._write, [value for value, _ in batch])
        except asyncio.CancelledError:
            for _, recorded in batch:
                recorded.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 — handed to the callers
            if len(batch) > 1 and not isinstance(exc, StoreUnavailable):
                for single in batch:
                    await self._write_batch([single])
                return
            for _, recorded in batch:
                if not recorded.done():
                    recorded.set_exception(exc)
            return
        for (_, recorded), result in zip(batch, results, strict=True):
            if not recorded.done():  # its caller may have been cancelled meanwhile
                recorded.set_result(result)
