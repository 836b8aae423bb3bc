"""`serve`'s announcements to workers that run apart: many asked for at once coalesce, and one
that fails (the database away) is logged and changes nothing else."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from bot.announcer import Announcer
from storage.db import make_engine
from storage.wakeups import Wakeups


def test_announcements_asked_for_together_coalesce_and_still_wake_the_worker(wakeups: Wakeups) -> None:
    woken = threading.Semaphore(0)
    listener = wakeups.listen(woken.release)
    try:
        assert woken.acquire(timeout=5)
        announcer = Announcer(wakeups)

        async def burst() -> None:
            await asyncio.gather(*(announcer() for _ in range(50)))

        asyncio.run(burst())
        assert 1 <= announcer.sent <= 2
        assert woken.acquire(timeout=5), "the worker is woken by the coalesced announcement"
    finally:
        listener.stop()


def test_an_announcement_that_fails_is_logged_and_raises_nothing(caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2", pool_size=1)
    announcer = Announcer(Wakeups(engine))
    with caplog.at_level(logging.WARNING, logger="microcoach.serve"):
        asyncio.run(announcer())
    engine.dispose()
    assert announcer.sent == 0
    assert "could not wake the workers" in caplog.text
