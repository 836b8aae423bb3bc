"""The composition root: builds every piece from the settings. The CLI, the web app, the worker
and the tests all call :func:`build`, the tests with fakes in place of the real parts."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from bot.clock import SystemClock
from bot.core.ports import Chat, Clock
from bot.settings import Settings
from storage.crypto import Sealer
from storage.db import make_engine
from storage.sql_store import SqlStore

log = logging.getLogger("microcoach")


@dataclass
class Container:
    settings: Settings
    engine: Engine
    store: SqlStore
    clock: Clock
    sealer: Sealer
    chats: dict[str, Chat] = field(default_factory=dict)

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings, *, clock: Clock | None = None, chats: dict[str, Chat] | None = None) -> Container:
    engine = make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        store=SqlStore(engine),
        clock=clock or SystemClock(),
        sealer=Sealer(settings.secret_key),
        chats=dict(chats or {}),
    )
