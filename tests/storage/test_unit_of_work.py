"""One unit of work per inbound event: every store call inside ``atomically`` shares one
transaction, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from bot.core.errors import Conflict
from storage.sql_store import SqlStore


@pytest.fixture
def workspace_id(store: SqlStore, now: datetime) -> int:
    return store.ensure_workspace("playground", "demo", "Demo School", at=now).id


def _commits(store: SqlStore) -> list[int]:
    seen: list[int] = []
    event.listen(store.engine, "commit", lambda _conn: seen.append(1))
    return seen


def test_a_unit_commits_once_however_many_store_calls_it_makes(store: SqlStore, workspace_id: int, now: datetime) -> None:
    commits = _commits(store)

    def work() -> None:
        for n in range(5):
            store.ensure_person(workspace_id, f"u-{n}", display_name=f"Teacher {n}", at=now)
        store.audit(workspace_id=workspace_id, actor_id=None, action="test", target="five people", at=now)

    store.atomically(work)
    assert len(commits) == 1
    assert store.find_person(workspace_id, "u-4") is not None


def test_nothing_a_failed_unit_recorded_stands(store: SqlStore, workspace_id: int, now: datetime) -> None:
    def work() -> None:
        store.ensure_person(workspace_id, "u-ana", at=now)
        store.enqueue(key="notice:1", workspace_id=workspace_id, person_id=None, kind="notice", payload={},
                      not_before=now, at=now)
        raise RuntimeError("the event could not be handled")

    with pytest.raises(RuntimeError):
        store.atomically(work)
    assert store.find_person(workspace_id, "u-ana") is None
    assert store.outbox_item("notice:1") is None


def test_a_call_inside_a_unit_reads_what_an_earlier_call_wrote(store: SqlStore, workspace_id: int, now: datetime) -> None:
    def work() -> tuple[str | None, str | None]:
        person = store.ensure_person(workspace_id, "u-ana", tz="America/New_York", at=now)
        store.ensure_person(workspace_id, "u-ana", tz="America/Chicago", at=now)
        return person.tz, store.get_person(person.id).tz

    assert store.atomically(work) == ("America/New_York", "America/Chicago")


def test_a_key_already_taken_inside_a_unit_is_an_answer_not_a_failure(store: SqlStore, workspace_id: int, now: datetime) -> None:
    def work() -> tuple[bool, bool, bool, bool]:
        first, again = store.first_sighting("ev-1", now), store.first_sighting("ev-1", now)
        store.create_cohort(workspace_id, "fall7", "UTC", at=now)
        try:
            store.create_cohort(workspace_id, "FALL7", "UTC", at=now)
            refused = False
        except Conflict:
            refused = True
        queued = store.enqueue(key="notice:1", workspace_id=workspace_id, person_id=None, kind="notice",
                               payload={}, not_before=now, at=now)
        return first, again, refused, queued

    assert store.atomically(work) == (True, False, True, True)
    assert store.outbox_item("notice:1") is not None


def test_a_unit_inside_a_unit_joins_it(store: SqlStore, workspace_id: int, now: datetime) -> None:
    commits = _commits(store)

    def inner() -> None:
        store.ensure_person(workspace_id, "u-ben", at=now)

    store.atomically(lambda: (store.ensure_person(workspace_id, "u-ana", at=now), store.atomically(inner)))
    assert len(commits) == 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_loser_of_a_unique_key_race_runs_again_and_reads_the_winner(
        store: SqlStore, workspace_id: int, now: datetime) -> None:
    """Two events from a person the bot has never seen arrive together: both create them; the
    second insert waits for the first unit's commit, fails on the unique key, and its unit runs
    again, finding the person the first one created."""
    winner_inserted, loser_started = threading.Event(), threading.Event()
    runs: list[str] = []
    results: dict[str, int] = {}

    def winner() -> int:
        runs.append("winner")
        person = store.ensure_person(workspace_id, "u-new", display_name="New Teacher", at=now)
        winner_inserted.set()
        loser_started.wait(5)
        threading.Event().wait(0.3)  # the loser is now blocked on the unique index
        return person.id

    def loser() -> int:
        runs.append("loser")
        loser_started.set()
        return store.ensure_person(workspace_id, "u-new", at=now + timedelta(seconds=1)).id

    first = threading.Thread(target=lambda: results.__setitem__("winner", store.atomically(winner)))
    first.start()
    assert winner_inserted.wait(5)
    second = threading.Thread(target=lambda: results.__setitem__("loser", store.atomically(loser)))
    second.start()
    first.join(10)
    second.join(10)
    assert results["winner"] == results["loser"]
    assert runs.count("loser") == 2


def test_a_reading_unit_sees_one_snapshot_in_one_transaction(store: SqlStore, workspace_id: int, now: datetime) -> None:
    store.ensure_person(workspace_id, "u-ana", display_name="Ana", at=now)
    commits = _commits(store)
    found = store.atomically(lambda: (store.find_person(workspace_id, "u-ana"), store.any_workspace()), writes=False)
    assert found[0].display_name == "Ana" and found[1] is True
    assert len(commits) == 1
