"""Exactly once with real worker processes: the project's worker, built by the composition root,
sending through a test platform over HTTP.

On PostgreSQL four workers share 2,000 due prompts while one is killed with sends in flight, and
the survivors take its claims over after the lease. On SQLite, ``serve``'s in-process scheduler
and ``tick`` run at the same time over one file. Either way each prompt reaches the platform once.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from due_seed import seed_due
from platform_server import Behaviour, running_platform
from storage.db import make_engine
from worker_pool import WorkerPool, wait_until

PER_WORKSPACE = 4
"""The dispatcher's default concurrent sends per workspace."""


def _statuses(url: str) -> dict[str, int]:
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM delivery GROUP BY status")).all()
    engine.dispose()
    return {status: count for status, count in rows}


def _found_by_others(url: str, victim_pid: int) -> int:
    """Deliveries a surviving worker found already posted and did not send again."""
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT worker FROM delivery_attempt WHERE outcome = 'found'")).scalars().all()
    engine.dispose()
    return sum(1 for worker in rows if not worker.endswith(f":{victim_pid}"))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_four_workers_send_2000_prompts_exactly_once_though_one_is_killed_mid_send(db_url: str, tmp_path: Path) -> None:
    seeded = seed_due(db_url, workspaces=10, teachers=2000, slot=datetime.now(timezone.utc) - timedelta(seconds=1))
    with running_platform(Behaviour(latency=0.003)) as (base, server, loop):
        pool = WorkerPool(db_url, base, lease_seconds=2.0, logs=tmp_path)
        try:
            [victim] = pool.start(1, ready=False)
            server.hold(str(victim.pid))
            assert wait_until(lambda: server.state.held >= PER_WORKSPACE, timeout=30), "the victim never sent"
            pool.start(3)
            pool.kill(victim)
            server.release(loop)
            assert wait_until(lambda: _statuses(db_url).get("sent") == 2000, timeout=45, every=0.25), _statuses(db_url)
        finally:
            pool.stop()
    copies = server.state.copies()
    assert set(copies) == set(seeded.keys)
    assert max(copies.values()) == 1, [key for key, n in copies.items() if n > 1][:10]
    assert _found_by_others(db_url, victim.pid) >= PER_WORKSPACE


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_serve_and_tick_on_one_sqlite_file_send_each_prompt_once(db_url: str, tmp_path: Path) -> None:
    with running_platform(Behaviour(latency=0.01)) as (base, server, _):
        pool = WorkerPool(db_url, base, tick_seconds=0.3, logs=tmp_path)
        try:
            pool.start(1, "clockwork")
            pool.start(1, "ticks")
            seeded = seed_due(db_url, workspaces=3, teachers=150, slot=datetime.now(timezone.utc) - timedelta(seconds=1))
            assert wait_until(lambda: _statuses(db_url).get("sent") == 150, timeout=40, every=0.25), _statuses(db_url)
            assert [p.poll() for p in pool.processes] == [None, None], "both ran throughout"
        finally:
            pool.stop()
    copies = server.state.copies()
    assert set(copies) == set(seeded.keys) and max(copies.values()) == 1
    assert max(server.state.most_in_flight.values()) <= PER_WORKSPACE
