"""Throwaway databases for the benchmarks: a fresh PostgreSQL database (created beside the one
the URL names, dropped afterwards) or a SQLite file in a temporary directory, migrated; and bulk
loading (COPY on PostgreSQL) so that seeding 100,000 enrolments takes seconds."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine, make_url

from bot.settings import normalise_database_url
from storage.migrate import upgrade


@contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    """A migrated, empty database of its own, next to ``base_url`` (or a temporary SQLite file
    when ``base_url`` is ``sqlite``); removed at the end."""
    if base_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            upgrade(url)
            yield url
        return
    base = normalise_database_url(base_url)
    name = f"mc_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _stored(value: object) -> object:
    """Instants as the UTC columns store them: naive UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def bulk_insert(engine: Engine, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Load rows fast: COPY on PostgreSQL, one executemany on SQLite. Instants are aware."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            raw = conn.connection.dbapi_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_stored(value) for value in row])
            return
        from storage.rows import SQLModel

        target = SQLModel.metadata.tables[table]
        conn.execute(insert(target), [dict(zip(columns, row, strict=True)) for row in rows])


def analyze(engine: Engine) -> None:
    """Fresh statistics, as autovacuum would give a real database after a bulk load."""
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
