"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from bot.core.model import Person
    from storage.sql_store import SqlStore

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine without the service; fail under CI, where it must run."""
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)

SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"
"""The official platform specs in ``../shared/specs`` beside the repository (as on CI)."""


@contextmanager
def seeded_schema(pg_url: str | None, schema: str, seed: Sequence[str]) -> Iterator[SqlStore]:
    """A store over a fresh, migrated PostgreSQL schema filled by ``seed`` (for query plans at
    scale), dropped afterwards."""
    from sqlalchemy import text

    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.sql_store import SqlStore

    if pg_url is None:
        skip_or_fail("TEST_DATABASE_URL is not set")
    admin = make_engine(pg_url, pool_size=1)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = pg_url + ("&" if "?" in pg_url else "?") + f"options=-csearch_path%3D{schema}"
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        for statement in seed:
            conn.execute(text(statement))
    try:
        yield SqlStore(engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def teacher_with_a_due_prompt(store: SqlStore, slot: datetime) -> Person:
    """Ana, in the playground's demo workspace and cohort c1 (UTC), with a prompt due at ``slot``."""
    workspace = store.ensure_workspace("playground", "demo", "Demo", at=slot)
    teacher = store.ensure_person(workspace.id, "u-ana", display_name="Ana", tz="UTC", at=slot)
    cohort = store.create_cohort(workspace.id, "c1", "UTC", at=slot - timedelta(days=1))
    enrollment, _ = store.enroll(cohort.id, teacher.id, at=slot - timedelta(days=1))
    store.plan_deliveries([{
        "enrollment_id": enrollment.id, "person_id": teacher.id, "workspace_id": workspace.id, "cohort_id": cohort.id,
        "slot_utc": slot, "local_date": slot.date(), "prompt_id": "qt-wait-time-01", "kind": "prompt",
        "status": "planned", "attempts": 0, "created_at": slot,
    }])
    return teacher
