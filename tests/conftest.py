"""Fixtures shared by every test: databases (SQLite and PostgreSQL), a fixed clock.

Under ``CI=true`` a test that would be skipped for a missing service fails instead, so nothing is
silently not run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from storage.db import make_engine
from storage.migrate import upgrade
from storage.rows import SQLModel
from storage.sql_store import SqlStore
from storage.wakeups import Wakeups

from support import IN_CI, skip_or_fail


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A PostgreSQL database of this test session's own, dropped at the end."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    name = f"mc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(engine) -> None:  # noqa: ANN001
    tables = [t.name for t in SQLModel.metadata.sorted_tables if t.name != "alembic_version"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database: a fresh SQLite file, or the session's PostgreSQL emptied."""
    if request.param == "sqlite":
        path = tmp_path / "microcoach.db"
        path.write_bytes(sqlite_template.read_bytes())
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_url")
    if url is None:
        skip_or_fail("TEST_DATABASE_URL is not set")
    engine = make_engine(url, pool_size=1)
    _truncate(engine)
    engine.dispose()
    yield url


@pytest.fixture
def pg_engine(pg_url: str | None) -> Iterator[Engine]:
    """An engine on the session's PostgreSQL, as it is (skipped, or failed under CI, without one)."""
    if pg_url is None:
        skip_or_fail("TEST_DATABASE_URL is not set")
    engine = make_engine(pg_url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture
def wakeups(pg_engine: Engine) -> Wakeups:
    """Wake-ups (NOTIFY/LISTEN) on the session's PostgreSQL."""
    return Wakeups(pg_engine)


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    engine = make_engine(db_url)
    yield SqlStore(engine)
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "microcoach.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def now() -> datetime:
    return NOW
