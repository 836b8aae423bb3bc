"""What every part of the SQL store shares: the engine, sessions, and row → value translation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import InterfaceError
from sqlmodel import Session, SQLModel

from bot.core.errors import StoreUnavailable

T = TypeVar("T")


def to_value(cls: type[T], row: SQLModel | None) -> T | None:
    """Copy the fields a core dataclass has from a row of the same names."""
    if row is None:
        return None
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{name: getattr(row, name) for name in names if hasattr(row, name)})


class StoreBase:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on error. A database that cannot
        be reached becomes :class:`StoreUnavailable`, which the web layer answers with 503."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
                session.commit()
        except (OperationalError, InterfaceError) as exc:
            if _is_contention(exc):
                raise
            raise StoreUnavailable(str(exc.orig.__class__.__name__)) from exc

    @staticmethod
    def _set(row: SQLModel, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(row, key):
                raise AttributeError(f"{type(row).__name__} has no field {key}")
            setattr(row, key, value)


def _is_contention(exc: Exception) -> bool:
    """SQLite's "database is locked" is contention, not an outage."""
    return "locked" in str(exc).lower()
