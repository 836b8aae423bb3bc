"""Recording inbound events on PostgreSQL in one autocommitted round trip: what it records is
what the store reads back, a retry is recorded once, a cut connection answers "unavailable"
once and the next insert reconnects, and the connections close with the engine."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.core.errors import StoreUnavailable
from storage.db import make_engine
from storage.sql_store import SqlStore
from support import skip_or_fail

AT = datetime(2026, 12, 7, 13, 0, tzinfo=timezone.utc)
RECORDING = "INSERT INTO inbox%"


@pytest.fixture
def store(pg_engine: Engine) -> SqlStore:
    with pg_engine.begin() as conn:
        conn.execute(text("DELETE FROM inbox"))
    return SqlStore(pg_engine)


def _recording_connections(store: SqlStore) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE query LIKE :q AND pid <> pg_backend_pid()"),
                                 {"q": RECORDING}).scalars())


def test_recorded_events_read_back_as_sent_and_a_retry_is_recorded_once(store: SqlStore) -> None:
    payload = {"kind": "message", "text": "Wait time worked: 3 hands went up ✋", "nested": {"n": [1, 2]}}
    ids = store.receive([("slack:Ev1", payload), ("slack:Ev2", {"kind": "message", "text": ""})], AT)
    assert set(ids) == {"slack:Ev1", "slack:Ev2"}
    assert store.receive([("slack:Ev1", payload)], AT) == {}
    assert store.inbound_waiting(datetime(2026, 12, 7, 13, 0, 1, tzinfo=timezone.utc), 10) == sorted(ids.values())
    assert store.take_inbound(ids["slack:Ev1"]) == payload


def test_a_cut_recording_connection_answers_unavailable_once_then_reconnects(store: SqlStore) -> None:
    store.receive([("slack:Ev1", {"n": 1})], AT)
    cut = _recording_connections(store)
    with store.engine.connect() as conn:
        for pid in cut:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()
    assert cut
    with pytest.raises(StoreUnavailable):
        store.receive([("slack:Ev2", {"n": 2})], AT)
    assert set(store.receive([("slack:Ev2", {"n": 2})], AT)) == {"slack:Ev2"}


def test_recording_connections_close_with_the_engine(pg_url: str | None) -> None:
    if pg_url is None:
        skip_or_fail("TEST_DATABASE_URL is not set")
    engine = make_engine(pg_url, pool_size=1)
    store = SqlStore(engine)
    store.receive([("slack:Ev9", {"n": 9})], AT)
    watcher = SqlStore(make_engine(pg_url, pool_size=1))
    assert len(_recording_connections(watcher)) == 1
    engine.dispose()
    assert _recording_connections(watcher) == []
    watcher.engine.dispose()


def test_recording_with_the_database_away_answers_unavailable() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2", pool_size=1)
    with pytest.raises(StoreUnavailable):
        SqlStore(engine).receive([("slack:Ev1", {"n": 1})], AT)
    engine.dispose()
