"""What every part of the SQL store shares: the engine, sessions, and row → value translation."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session, SQLModel, col, select

from bot.core.errors import StoreUnavailable

T = TypeVar("T")


def to_value(cls: type[T], row: SQLModel | None) -> T | None:
    """Copy the fields a core dataclass has from a row of the same names."""
    if row is None:
        return None
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{name: getattr(row, name) for name in names if hasattr(row, name)})


UNIT_ATTEMPTS = 3


class UnitConflict(Exception):
    """A concurrent writer took a unique key this unit of work was about to take: the whole unit
    runs again, and then reads what the other one wrote."""


@dataclass
class _Unit:
    session: Session
    depth: int = 0


class StoreBase:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._unit: ContextVar[_Unit | None] = ContextVar(f"store-unit-{id(self)}", default=None)

    def atomically(self, work: Callable[[], T], *, writes: bool = True) -> T:
        """Run ``work`` as one transaction: every store call it makes shares one session, so an
        inbound event costs one connection checkout and one commit, and either all it recorded
        stands or none of it. A unique-key race runs the whole unit again. On SQLite a unit that
        ``writes`` takes the write lock at once (a deferred reader that later writes can fail
        outright); one that only reads sees one snapshot and blocks no writer."""
        if self._unit.get() is not None:
            return work()
        attempt = 1
        while True:
            try:
                with self.session() as s:
                    if writes and self.dialect == "sqlite":
                        s.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    token = self._unit.set(_Unit(s))
                    try:
                        return work()
                    finally:
                        self._unit.reset(token)
            except UnitConflict:
                if attempt == UNIT_ATTEMPTS:
                    raise
                attempt += 1

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error; inside
        :meth:`atomically`, the unit's shared session (each store call leaves it flushed and
        with nothing cached, so the next call reads what this one wrote). A database that cannot
        be reached becomes :class:`StoreUnavailable`, which the web layer answers with 503."""
        unit = self._unit.get()
        if unit is not None:
            yield from self._shared(unit)
            return
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
                session.commit()
        except (OperationalError, InterfaceError) as exc:
            if _is_contention(exc):
                raise
            raise StoreUnavailable(str(exc.orig.__class__.__name__)) from exc

    @staticmethod
    def _shared(unit: _Unit) -> Iterator[Session]:
        unit.depth += 1
        try:
            yield unit.session
            if unit.depth == 1:
                unit.session.flush()
                unit.session.expunge_all()
        except IntegrityError as exc:
            raise UnitConflict(str(exc.orig)) from exc
        finally:
            unit.depth -= 1

    def by_ids(self, row: type[SQLModel], value: type[T], ids: Sequence[int]) -> dict[int, T]:
        """Rows by primary key, in one query, as core values keyed by id."""
        if not ids:
            return {}
        with self.session() as s:
            rows = s.exec(select(row).where(col(row.id).in_(ids)))  # type: ignore[attr-defined]
            return {r.id: to_value(value, r) for r in rows}  # type: ignore[misc]

    def insert_new(self, s: Session, table: Table, values: dict[str, Any]) -> bool:
        """``INSERT … ON CONFLICT DO NOTHING``: False (and no error, so a surrounding unit of work
        carries on) when a unique key already holds such a row."""
        return self.inserted(s, table, values, *table.primary_key.columns) is not None

    def inserted(self, s: Session, table: Table, values: dict[str, Any], *returning: ColumnElement) -> Row | None:
        """:meth:`insert_new`, returning the new row (its ``returning`` columns, or all); None when
        a unique key already holds such a row."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = insert(table).values(**values).on_conflict_do_nothing().returning(*(returning or table.columns))
        return s.connection().execute(statement).first()

    @staticmethod
    def _set(row: SQLModel, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(row, key):
                raise AttributeError(f"{type(row).__name__} has no field {key}")
            setattr(row, key, value)


def _is_contention(exc: Exception) -> bool:
    """SQLite's "database is locked" is contention, not an outage."""
    return "locked" in str(exc).lower()
