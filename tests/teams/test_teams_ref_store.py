"""The Teams reference store over SQLite and PostgreSQL: one sealed reference per person, found
by tenant and user id; team installs by tenant, removable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from storage.crypto import Sealer
from storage.db import make_engine
from storage.sql_store import SqlStore
from storage.teams_refs import TeamsRefStore

KEY = Sealer.new_key()


@pytest.fixture
def stores(db_url: str) -> Iterator[tuple[SqlStore, TeamsRefStore]]:
    engine = make_engine(db_url)
    yield SqlStore(engine), TeamsRefStore(engine, Sealer(KEY))
    engine.dispose()


def person(store: SqlStore, tenant: str, user: str, now: datetime) -> int:
    workspace = store.ensure_workspace("teams", tenant, at=now)
    return store.ensure_person(workspace.id, user, at=now).id


def test_a_reference_is_found_by_tenant_and_user(stores: tuple[SqlStore, TeamsRefStore], now: datetime) -> None:
    store, refs = stores
    refs.save_ref(person(store, "t1", "29:ana", now), '{"ref": 1}', at=now)
    assert refs.load_ref("t1", "29:ana") == '{"ref": 1}'
    assert refs.load_ref("t2", "29:ana") is None


def test_saving_again_replaces_unless_told_to_keep(stores: tuple[SqlStore, TeamsRefStore], now: datetime) -> None:
    store, refs = stores
    ana = person(store, "t1", "29:ana", now)
    assert refs.save_ref(ana, '{"ref": 1}', at=now)
    assert not refs.save_ref(ana, '{"ref": 1}', at=now)
    assert not refs.save_ref(ana, '{"ref": 2}', at=now, replace=False)
    assert refs.save_ref(ana, '{"ref": 3}', at=now)
    assert refs.load_ref("t1", "29:ana") == '{"ref": 3}'


def test_references_are_encrypted_at_rest(stores: tuple[SqlStore, TeamsRefStore], now: datetime) -> None:
    store, refs = stores
    refs.save_ref(person(store, "t1", "29:ana", now), '{"serviceUrl": "https://smba"}', at=now)
    with refs.engine.connect() as conn:
        [data] = conn.exec_driver_sql("SELECT data FROM conversation_ref").scalars().all()
    assert data.startswith("fernet:") and "smba" not in data


def test_team_installs_are_listed_per_tenant_and_can_be_removed(stores: tuple[SqlStore, TeamsRefStore],
                                                                now: datetime) -> None:
    _, refs = stores
    refs.save_team("t1", "19:a", '{"name": "Grade 5"}', at=now)
    refs.save_team("t1", "19:b", '{"name": "Grade 6"}', at=now)
    refs.save_team("t2", "19:c", '{"name": "Other"}', at=now)
    refs.save_team("t1", "19:a", '{"name": "Grade 5 renamed"}', at=now)
    assert [(t.team_id, t.data) for t in refs.teams_of("t1")] == [("19:a", '{"name": "Grade 5 renamed"}'),
                                                                  ("19:b", '{"name": "Grade 6"}')]
    refs.remove_team("t1", "19:b")
    assert [t.team_id for t in refs.teams_of("t1")] == ["19:a"]
