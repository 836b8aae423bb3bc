"""The worker takes its waits from the settings: lease, grace, quiet window, reminder wait, and
how long a pass lingers for work due soon (the tick interval)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.settings import load_settings
from conftest_loop import School
from scheduler.engine import build_worker
from scheduler.quiet import QuietWindow


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_worker_is_built_from_the_settings(school: School, db_url: str) -> None:
    settings = load_settings(DATABASE_URL=db_url, MICROCOACH_LEASE_SECONDS="7", MICROCOACH_GRACE_MINUTES="45",
                             MICROCOACH_REMINDER_HOURS="3", MICROCOACH_TICK_SECONDS="4",
                             MICROCOACH_QUIET_WINDOW="07:00-19:30")
    c = school.container
    worker = build_worker(settings, store=c.store, service=c.service, renderer=c.worker.sender.renderer,
                          prompts=c.prompts, selector=c.worker.planner.selector, chats=c.chats, clock=c.clock,
                          worker_id="w1")
    d = worker.dispatcher
    assert (d.lease, d.grace, d.linger, d.worker_id) == (timedelta(seconds=7), timedelta(minutes=45),
                                                        timedelta(seconds=4), "w1")
    assert d.window == QuietWindow(time(7, 0), time(19, 30)) == worker.sender.window
    assert worker.reminding.after == timedelta(hours=3)
    assert worker.planner.grace == timedelta(minutes=45)
    assert d.policy.base == 7 / 60 and worker.sender.lease == timedelta(seconds=7)
