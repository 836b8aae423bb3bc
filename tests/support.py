"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
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
