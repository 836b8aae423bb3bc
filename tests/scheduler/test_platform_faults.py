"""Faults, seen from the platform's side: four worker processes on PostgreSQL send through a
platform that answers 10 % of sends with 500 and bursts of 429 beyond its rate. Its timestamps
show no retry before Retry-After, attempts within the budget, and never more sends in flight per
workspace than the limit; every prompt arrives once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from due_seed import seed_due
from platform_server import Behaviour, PlatformState, running_platform
from scheduler.retry import RetryPolicy
from storage.db import make_engine
from worker_pool import WorkerPool, wait_until

PER_WORKSPACE = 4
BUDGET = RetryPolicy()
TEACHERS = 400


def _sent(url: str) -> int:
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM delivery WHERE status = 'sent'")).scalar_one()
    engine.dispose()
    return count


def _early_retries(state: PlatformState, keys: list[str]) -> list[str]:
    """Keys sent again before the Retry-After of a 429 had passed."""
    early = []
    for key in keys:
        sends = state.sends_of(key)
        for answer, after in zip(sends, sends[1:]):
            if answer.status == 429 and after.started < answer.ended + (answer.retry_after or 0) - 0.001:
                early.append(key)
    return early


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_faulty_rate_limited_platform_still_gets_every_prompt_once(db_url: str, tmp_path: Path) -> None:
    seeded = seed_due(db_url, workspaces=4, teachers=TEACHERS, slot=datetime.now(timezone.utc) - timedelta(seconds=1))
    behaviour = Behaviour(rate=25, burst=10, error_rate=0.1, latency=0.005)
    with running_platform(behaviour) as (base, server, _):
        pool = WorkerPool(db_url, base, lease_seconds=2.0, logs=tmp_path)
        try:
            pool.start(4, ready=False)
            assert wait_until(lambda: _sent(db_url) == TEACHERS, timeout=50, every=0.25), _sent(db_url)
        finally:
            pool.stop()
    state = server.state
    statuses = [r.status for r in state.requests]
    assert statuses.count(500) > 0 and statuses.count(429) > 0, "the platform misbehaved as asked"
    copies = state.copies()
    assert set(copies) == set(seeded.keys) and max(copies.values()) == 1
    assert _early_retries(state, seeded.keys) == []
    for key in seeded.keys:
        answers = [r.status for r in state.sends_of(key)]
        assert answers.count(500) < BUDGET.max_attempts and answers.count(429) <= BUDGET.max_deferrals, (key, answers)
    assert max(state.most_in_flight.values()) <= PER_WORKSPACE
