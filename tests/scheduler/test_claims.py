"""Claims, on SQLite and PostgreSQL: each workspace stays within its limit of sends in flight
across every worker, a held workspace waits, a lapsed claim is taken over, concurrent claimers
never share a row, and outcomes are recorded whoever holds the claim."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from due_seed import seed_due
from storage.sql_store import SqlStore

LEASE = timedelta(seconds=30)


@pytest.fixture
def due(db_url: str, now: datetime) -> datetime:
    """Two workspaces with six prompts each, due at ``now``."""
    seed_due(db_url, workspaces=2, teachers=12, slot=now)
    return now


def per_workspace(claimed: list) -> Counter[int]:  # noqa: ANN001
    return Counter(d.workspace_id for d in claimed)


def test_a_claim_keeps_each_workspace_within_its_limit(store: SqlStore, due: datetime) -> None:
    claimed = store.claim_due(due, "a", LEASE, 100, per_workspace=3)
    assert sorted(per_workspace(claimed).values()) == [3, 3]
    assert {d.status for d in claimed} == {"claimed"} and {d.attempts for d in claimed} == {1}


def test_other_workers_live_claims_count_against_the_limit(store: SqlStore, due: datetime) -> None:
    first = store.claim_due(due, "a", LEASE, 100, per_workspace=3)
    assert store.claim_due(due + timedelta(seconds=1), "b", LEASE, 100, per_workspace=3) == []
    taken = store.claim_due(due + LEASE + timedelta(seconds=1), "b", LEASE, 100, per_workspace=3)
    assert {d.id for d in taken} == {d.id for d in first}
    assert {(d.claimed_by, d.attempts) for d in taken} == {("b", 2)}


def test_the_limit_caps_what_one_claim_takes_in_total(store: SqlStore, due: datetime) -> None:
    assert len(store.claim_due(due, "a", LEASE, 4, per_workspace=10)) == 4


def test_a_held_workspace_is_skipped_until_its_hold_ends(store: SqlStore, due: datetime) -> None:
    held = store.claim_due(due, "probe", LEASE, 1, per_workspace=1)[0].workspace_id
    store.hold_workspace(held, due + timedelta(seconds=30), "rate limited")
    before = store.claim_due(due + timedelta(seconds=29), "a", LEASE, 100, per_workspace=10)
    assert held not in per_workspace(before)
    after = store.claim_due(due + timedelta(seconds=30), "a", LEASE, 100, per_workspace=10)
    assert per_workspace(after)[held] > 0


def test_an_earlier_hold_does_not_shorten_a_later_one(store: SqlStore, due: datetime) -> None:
    workspace = store.claim_due(due, "probe", LEASE, 1, per_workspace=1)[0].workspace_id
    store.hold_workspace(workspace, due + timedelta(seconds=60), "rate limited")
    store.hold_workspace(workspace, due + timedelta(seconds=10), "rate limited")
    claimed = store.claim_due(due + LEASE + timedelta(seconds=1), "a", LEASE, 100, per_workspace=10)
    assert workspace not in per_workspace(claimed)


def test_concurrent_claimers_never_share_a_row(store: SqlStore, db_url: str, now: datetime) -> None:
    seed_due(db_url, workspaces=2, teachers=80, slot=now)
    with ThreadPoolExecutor(8) as pool:
        rounds = list(pool.map(lambda n: store.claim_due(now, f"w{n}", LEASE, 5, per_workspace=100), range(16)))
    rounds.append(store.claim_due(now, "last", LEASE, 100, per_workspace=100))
    ids = [d.id for claimed in rounds for d in claimed]
    assert len(ids) == len(set(ids)) == 80


def test_concurrent_claimers_keep_the_workspace_limit_together(store: SqlStore, db_url: str, now: datetime) -> None:
    seed_due(db_url, workspaces=2, teachers=80, slot=now)
    with ThreadPoolExecutor(8) as pool:
        rounds = list(pool.map(lambda n: store.claim_due(now, f"w{n}", LEASE, 100, per_workspace=4), range(8)))
    assert sorted(per_workspace([d for claimed in rounds for d in claimed]).values()) == [4, 4]


def test_an_outcome_is_recorded_but_not_applied_once_the_claim_is_lost(store: SqlStore, due: datetime) -> None:
    [lost] = store.claim_due(due, "a", LEASE, 1, per_workspace=1)
    store.claim_due(due + LEASE + timedelta(seconds=1), "b", LEASE, 100, per_workspace=100)
    kept = store.record_outcomes("a", [(lost.id, due + LEASE, "sent", "", {"status": "sent"})])
    assert kept == [False]
    assert store.get_delivery(lost.id).claimed_by == "b"
    assert [outcome for _, outcome, _ in store.attempts_of(lost.id)] == ["sent"]


def test_a_renewed_claim_is_not_taken_over(store: SqlStore, due: datetime) -> None:
    [mine] = store.claim_due(due, "a", LEASE, 1, per_workspace=1)
    assert store.extend_claim(mine.id, "a", due + 2 * LEASE)
    later = store.claim_due(due + LEASE + timedelta(seconds=1), "b", LEASE, 100, per_workspace=100)
    assert mine.id not in {d.id for d in later}
    assert not store.extend_claim(mine.id, "b", due + 3 * LEASE)


def test_a_pass_waits_only_for_work_already_due(store: SqlStore, due: datetime) -> None:
    since = due - timedelta(hours=2)
    assert store.next_dispatch_at(due - timedelta(minutes=5), since) is None, "slots to come are the next tick's"
    assert store.next_dispatch_at(due, since) == due, "due work waiting for room: look again at once"
    every = store.claim_due(due, "a", LEASE, 100, per_workspace=100)
    assert store.next_dispatch_at(due, since) == due + LEASE, "another worker's lease may run out"
    store.record_outcomes("a", [(d.id, due, "sent", "", {"status": "sent"}) for d in every])
    assert store.next_dispatch_at(due, since) is None


def test_a_pass_waits_for_a_hold_or_a_retry_to_end(store: SqlStore, due: datetime) -> None:
    since = due - timedelta(hours=2)
    [held] = store.claim_due(due, "a", LEASE, 1, per_workspace=1)
    store.hold_workspace(held.workspace_id, due + timedelta(seconds=40), "rate limited")
    store.record_outcomes("a", [(held.id, due, "rate-limited", "", {
        "status": "planned", "claimed_by": None, "lease_until": None, "next_attempt_at": due + timedelta(seconds=40)})])
    others = store.claim_due(due, "a", LEASE, 100, per_workspace=100)
    store.record_outcomes("a", [(d.id, due, "sent", "", {"status": "sent"}) for d in others])
    assert store.next_dispatch_at(due, since) == due + timedelta(seconds=40)
