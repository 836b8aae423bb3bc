"""Migrations build the schema from empty, and agree with the rows, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storage.db import make_engine
from support import skip_or_fail
from storage.migrate import check, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url = request.getfixturevalue("pg_url")
    if url is None:
        skip_or_fail("TEST_DATABASE_URL is not set")
    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migr CASCADE"))
        conn.execute(text("CREATE SCHEMA migr"))
    engine.dispose()
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dmigr"


def test_upgrade_from_empty_creates_every_table(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url, pool_size=1)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"workspace", "person", "cohort", "enrollment", "delivery", "reply", "draft", "audit_log"} <= tables


def test_migrations_match_the_rows(empty_url: str) -> None:
    upgrade(empty_url)
    check(empty_url)


def test_upgrade_twice_is_harmless(empty_url: str) -> None:
    upgrade(empty_url)
    upgrade(empty_url)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
