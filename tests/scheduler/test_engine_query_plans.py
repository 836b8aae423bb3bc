"""The engine's per-tick queries use indexes: with 100,000 enrolments in PostgreSQL (a sent prompt
and a planned one each, and statistics that cannot see that planned slots lie ahead and sent ones
behind), none scans the delivery table or its neighbours. Queries are captured from the real
store methods, then EXPLAINed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, text

from storage.sql_store import SqlStore
from support import seeded_schema

NOW = datetime(2026, 11, 24, 18, 30, tzinfo=timezone.utc)
BIG = ("delivery", "person", "enrollment", "reply", "delivery_attempt")
SEED = [
    "INSERT INTO workspace (platform, external_id, name, active) SELECT 'slack', 'T' || g, 'W', true FROM generate_series(1, 20) g",
    "INSERT INTO cohort (workspace_id, name, key, tz, paused) SELECT g, 'c', 'c', 'UTC', false FROM generate_series(1, 20) g",
    """INSERT INTO person (workspace_id, external_id, display_name, status, ai_opt_out)
       SELECT g % 20 + 1, 'U' || g, 'T', 'active', false FROM generate_series(1, 100000) g""",
    """INSERT INTO enrollment (cohort_id, teacher_id, paused, active, planned_through)
       SELECT g % 20 + 1, g, false, true, DATE '2026-12-01' FROM generate_series(1, 100000) g""",
    """INSERT INTO delivery (enrollment_id, person_id, workspace_id, cohort_id, slot_utc, local_date, prompt_id, kind,
                             status, attempts, sent_at, reminded_at)
       SELECT g, g, g % 20 + 1, g % 20 + 1, TIMESTAMP '2026-11-23 13:00' - (g % 3) * INTERVAL '7 days',
              DATE '2026-11-23' - (g % 3) * 7, 'p', 'prompt', 'sent', 1,
              TIMESTAMP '2026-11-23 13:00' - (g % 3) * INTERVAL '7 days',
              CASE WHEN g % 10 = 0 THEN NULL ELSE TIMESTAMP '2026-11-24 13:00' END
       FROM generate_series(1, 100000) g""",
    """INSERT INTO delivery (enrollment_id, person_id, workspace_id, cohort_id, slot_utc, local_date, prompt_id, kind,
                             status, attempts)
       SELECT g, g, g % 20 + 1, g % 20 + 1, TIMESTAMP '2026-11-25 13:00' + (g % 5) * INTERVAL '1 day',
              DATE '2026-11-25' + g % 5, 'p', 'prompt', 'planned', 0 FROM generate_series(1, 100000) g""",
    """INSERT INTO reply (workspace_id, person_id, delivery_id, kind, text, withdrawn, needs_draft, urgent)
       SELECT g % 20 + 1, g, g, 'reply', 'words', false, false, false FROM generate_series(1, 100000, 2) g""",
    """INSERT INTO delivery_attempt (delivery_id, at, worker, outcome, detail)
       SELECT g, TIMESTAMP '2026-11-23 13:00', 'w', 'sent', '' FROM generate_series(1, 100000) g""",
    "ANALYZE",
]


@pytest.fixture(scope="module")
def big_store(pg_url: str | None) -> Iterator[SqlStore]:
    with seeded_schema(pg_url, "engine_plans", SEED) as store:
        yield store


def _plans(store: SqlStore, call: Callable[[], object]) -> list[str]:
    """EXPLAIN each statement ``call`` sends, in a transaction that is rolled back."""
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")) and not executemany:
            captured.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    plans = []
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cursor:
            for statement, parameters in captured:
                cursor.execute("EXPLAIN " + statement, parameters)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        raw.rollback()
    return plans


QUERIES: dict[str, Callable[[SqlStore], object]] = {
    "claim due deliveries, per workspace": lambda s: s.claim_due(NOW, "w", timedelta(minutes=1), 100),
    "the next moment to look": lambda s: s.next_dispatch_at(NOW, NOW - timedelta(hours=2)),
    "mark old planned slots missed": lambda s: s.mark_planned_missed(NOW - timedelta(hours=2), "late"),
    "reminder candidates": lambda s: s.reminder_candidates(NOW - timedelta(days=2), NOW - timedelta(days=1), 500),
    "a batch's teachers": lambda s: s.teachers(list(range(1, 501))),
    "a batch's history": lambda s: s.history_of(list(range(1, 501))),
    "a batch's planned slots": lambda s: s.slots_planned(list(range(1, 501)), NOW),
    "a claimed batch's recipients": lambda s: s.recipients(list(range(1, 201))),
    "a delivery's attempts": lambda s: s.attempts_of(42),
    "re-plan a cohort": lambda s: s.replan(list(range(1, 101)), NOW),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_engines_query_uses_indexes_at_100k_enrollments(big_store: SqlStore, name: str) -> None:
    plans = _plans(big_store, lambda: QUERIES[name](big_store))
    assert plans, "the store method sent no query"
    scans = [line for plan in plans for line in plan.splitlines()
             if "Seq Scan" in line and any(f" on {table} " in line + " " for table in BIG)]
    assert scans == [], "\n\n".join(plans)
