"""Group commit: values that arrive while a write is under way are written together next, and each
caller gets its own result."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.core.errors import StoreUnavailable
from scheduler.group_commit import GroupCommit


class Writes:
    """A write that records each batch it was given, and can be held until released."""

    def __init__(self, fail_on: object = None):
        self.batches: list[list[object]] = []
        self.release = threading.Event()
        self.release.set()
        self.fail_on = fail_on

    def __call__(self, batch: list[object]) -> list[str]:
        self.release.wait(5)
        if self.fail_on in batch:
            raise ValueError(f"cannot record {self.fail_on}")
        self.batches.append(batch)
        return [f"recorded {value}" for value in batch]


def test_values_arriving_during_a_write_go_together_in_the_next() -> None:
    writes = Writes()
    writes.release.clear()
    commit = GroupCommit(writes)

    async def main() -> list[str]:
        first = asyncio.create_task(commit(0))
        await asyncio.sleep(0.05)
        rest = [asyncio.create_task(commit(n)) for n in range(1, 10)]
        await asyncio.sleep(0.05)
        writes.release.set()
        return await asyncio.gather(first, *rest)

    assert asyncio.run(main()) == [f"recorded {n}" for n in range(10)]
    assert writes.batches == [[0], list(range(1, 10))]


def test_a_value_that_cannot_be_recorded_fails_only_its_own_caller() -> None:
    writes = Writes(fail_on=3)
    writes.release.clear()
    commit = GroupCommit(writes)

    async def main() -> list[object]:
        calls = [asyncio.create_task(commit(n)) for n in range(6)]
        await asyncio.sleep(0.05)
        writes.release.set()
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())
    assert [r if isinstance(r, str) else type(r).__name__ for r in results] == [
        "recorded 0", "recorded 1", "recorded 2", "ValueError", "recorded 4", "recorded 5"]
    assert sorted(v for batch in writes.batches for v in batch) == [0, 1, 2, 4, 5]


def test_a_caller_waits_until_its_value_is_written() -> None:
    writes = Writes()
    commit = GroupCommit(writes)

    async def main() -> None:
        assert await commit("sent") == "recorded sent"
        assert writes.batches == [["sent"]]

    asyncio.run(main())


def test_the_error_of_a_lone_value_reaches_its_caller() -> None:
    commit = GroupCommit(Writes(fail_on="bad"))
    with pytest.raises(ValueError, match="cannot record bad"):
        asyncio.run(commit("bad"))


def test_a_caller_cancelled_while_its_value_is_written_does_not_stop_the_others_being_told() -> None:
    writes = Writes()
    writes.release.clear()
    commit = GroupCommit(writes)

    async def main() -> None:
        calls = [asyncio.create_task(commit(n)) for n in range(3)]
        await asyncio.sleep(0.05)
        calls[1].cancel()
        writes.release.set()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert [r if isinstance(r, str) else type(r).__name__ for r in results] == [
            "recorded 0", "CancelledError", "recorded 2"]
        await asyncio.wait_for(commit("after"), 2)

    asyncio.run(main())
    assert writes.batches == [[0, 1, 2], ["after"]]


def test_an_outage_fails_every_caller_of_the_write_at_once() -> None:
    attempts: list[list[int]] = []

    def down(batch: list[int]) -> list[str]:
        attempts.append(batch)
        raise StoreUnavailable("OperationalError")

    commit = GroupCommit(down)

    async def main() -> list[object]:
        return await asyncio.gather(*(commit(n) for n in range(5)), return_exceptions=True)

    results = asyncio.run(main())
    assert [type(r).__name__ for r in results] == ["StoreUnavailable"] * 5
    assert attempts == [[0, 1, 2, 3, 4]], "no write of its own for each value while the database is down"


def test_a_write_takes_at_most_its_share_and_two_writers_work_at_once() -> None:
    writes = Writes()
    writes.release.clear()
    commit = GroupCommit(writes, writers=2, most=3)

    async def main() -> None:
        first = asyncio.create_task(commit(0))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(commit(1))
        await asyncio.sleep(0.05)
        rest = [asyncio.create_task(commit(n)) for n in range(2, 9)]
        await asyncio.sleep(0.05)
        writes.release.set()
        await asyncio.gather(first, second, *rest)

    asyncio.run(main())
    assert sorted(map(tuple, writes.batches))[:2] == [(0,), (1,)], "the second value did not wait for the first write"
    assert all(len(batch) <= 3 for batch in writes.batches)
    assert sorted(v for batch in writes.batches for v in batch) == list(range(9))
