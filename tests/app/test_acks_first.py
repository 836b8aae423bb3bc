"""Work deferred past an acknowledgement waits while requests are being answered: it starts once
none has been under way for a moment, and never waits longer than its bound."""

from __future__ import annotations

import asyncio
import time

from bot.acks_first import AcksFirst

QUIET = 0.05


def _waited(acks: AcksFirst, during: float) -> float:
    """Seconds :meth:`AcksFirst.quiet` took while one acknowledgement lasted ``during`` seconds."""

    async def scenario() -> float:
        async def acknowledge() -> None:
            async with acks.acknowledging():
                await asyncio.sleep(during)

        answering = asyncio.create_task(acknowledge())
        await asyncio.sleep(0)
        started = time.perf_counter()
        await acks.quiet()
        waited = time.perf_counter() - started
        await answering
        return waited

    return asyncio.run(scenario())


def test_nothing_being_answered_means_no_wait() -> None:
    async def scenario() -> float:
        started = time.perf_counter()
        await AcksFirst(quiet=QUIET).quiet()
        return time.perf_counter() - started

    assert asyncio.run(scenario()) < QUIET


def test_deferred_work_starts_a_quiet_moment_after_the_last_ack() -> None:
    waited = _waited(AcksFirst(quiet=QUIET, max_wait=5), during=0.2)
    assert 0.2 + QUIET <= waited < 1.0


def test_deferred_work_waits_no_longer_than_its_bound() -> None:
    waited = _waited(AcksFirst(quiet=QUIET, max_wait=0.3), during=2.0)
    assert 0.3 <= waited < 1.0


def test_a_new_ack_during_the_quiet_moment_starts_it_again() -> None:
    acks = AcksFirst(quiet=0.2, max_wait=5)

    async def scenario() -> float:
        async def acknowledge(after: float) -> None:
            await asyncio.sleep(after)
            async with acks.acknowledging():
                await asyncio.sleep(0.01)

        first = asyncio.create_task(acknowledge(0))
        second = asyncio.create_task(acknowledge(0.1))
        await asyncio.sleep(0.005)
        started = time.perf_counter()
        await acks.quiet()
        waited = time.perf_counter() - started
        await asyncio.gather(first, second)
        return waited

    assert asyncio.run(scenario()) >= 0.1 + 0.2
