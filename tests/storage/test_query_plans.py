"""The per-tick and per-message queries use indexes: with 100,000 enrolments seeded in
PostgreSQL, none of them scans a big table sequentially. The queries are captured from the real
store methods, then EXPLAINed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from storage.sql_store import SqlStore
from support import seeded_schema

BIG = ("enrollment", "delivery", "reply", "draft", "person", "outbox")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)

SEED = [
    "INSERT INTO workspace (platform, external_id, name, active) VALUES ('slack', 'T1', 'Big', true)",
    """INSERT INTO person (workspace_id, external_id, display_name, status, ai_opt_out)
       SELECT 1, 'U' || g, 'T' || g, 'active', false FROM generate_series(1, 100000) g""",
    "INSERT INTO cohort (workspace_id, name, key, tz, paused) VALUES (1, 'all', 'all', 'UTC', false)",
    """INSERT INTO enrollment (cohort_id, teacher_id, paused, active, planned_through)
       SELECT 1, g, false, true, DATE '2026-12-01' FROM generate_series(1, 100000) g""",
    """INSERT INTO delivery (enrollment_id, person_id, workspace_id, cohort_id, slot_utc, local_date,
                             prompt_id, kind, status, attempts, sent_at, message_id)
       SELECT g, g, 1, 1, TIMESTAMP '2026-11-01 12:00' + (g % 20) * INTERVAL '1 day',
              DATE '2026-11-01' + (g % 20), 'p', 'prompt',
              CASE WHEN g % 100 = 0 THEN 'planned' ELSE 'sent' END, 1,
              TIMESTAMP '2026-11-01 12:00' + (g % 20) * INTERVAL '1 day', 'm' || g
       FROM generate_series(1, 100000) g""",
    """INSERT INTO reply (workspace_id, person_id, delivery_id, kind, text, message_id, withdrawn,
                          needs_draft, urgent, created_at, updated_at)
       SELECT 1, g, g, 'reply', 'words', 'r' || g, false, g % 500 = 0, false,
              TIMESTAMP '2026-11-10', TIMESTAMP '2026-11-10' FROM generate_series(1, 100000) g""",
    """INSERT INTO draft (reply_id, coach_id, text, source, status, created_at, expires_at)
       SELECT g, 1, 'draft', 'offline', CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'approved' END,
              TIMESTAMP '2026-11-10', TIMESTAMP '2026-11-13' FROM generate_series(1, 100000) g""",
    """INSERT INTO outbox (key, workspace_id, person_id, kind, payload, not_before, status, attempts)
       SELECT 'k' || g, 1, g, 'notice', '{}', TIMESTAMP '2026-11-10',
              CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'sent' END, 1 FROM generate_series(1, 100000) g""",
    "ANALYZE",
]


@pytest.fixture(scope="module")
def big_store(pg_url: str | None) -> Iterator[SqlStore]:
    with seeded_schema(pg_url, "plans", SEED) as store:
        yield store


def _plans(store: SqlStore, call) -> list[str]:  # noqa: ANN001
    """Run ``call`` in a transaction that is rolled back, EXPLAINing each statement it sends."""
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")):
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
                plans.append("\n".join(r[0] for r in cursor.fetchall()))
        raw.rollback()
    return plans


def _seq_scans(plans: list[str]) -> list[str]:
    return [line for plan in plans for line in plan.splitlines()
            if "Seq Scan" in line and any(f" on {t} " in line + " " for t in BIG)]


QUERIES = {
    "claim due deliveries": lambda s: s.claim_due(NOW - timedelta(days=30), "w", timedelta(minutes=1), 100),
    "open prompt": lambda s: s.open_prompt(42, NOW, timedelta(days=7)),
    "thread reply lookup": lambda s: s.delivery_by_message(1, "m42"),
    "reply by message id": lambda s: s.reply_by_message(1, "r42"),
    "a teacher's enrolments": lambda s: s.enrollments_of_teacher(42),
    "claim replies to draft": lambda s: s.claim_replies_to_draft(NOW, "w:1", NOW + timedelta(minutes=2), 16),
    "expiring drafts": lambda s: s.pending_drafts(expiring_before=NOW - timedelta(days=30)),
    "a coach's pending drafts": lambda s: s.pending_drafts(coach_id=1),
    "claim outbox": lambda s: s.claim_outbox(NOW - timedelta(days=30), "w", timedelta(minutes=1), 100),
    "find person": lambda s: s.find_person(1, "U42"),
    "an event's sender": lambda s: s.sender("slack", "T1", "U42"),
    "a teacher's coach": lambda s: s.coach_of(42, 42),
    "a teacher's coach, by their oldest enrolment": lambda s: s.coach_of(42),
    "reply to a prompt": lambda s: s.reply_to_delivery(42, 42, ("reply",)),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_uses_indexes_at_100k_enrollments(big_store: SqlStore, name: str) -> None:
    plans = _plans(big_store, lambda: QUERIES[name](big_store))
    assert plans, "the store method sent no query"
    assert _seq_scans(plans) == [], "\n\n".join(plans)
