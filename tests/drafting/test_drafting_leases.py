"""Drafting claims hold a lease (MICROCOACH_LEASE_SECONDS): a worker that stops mid-draft has its
replies taken over by another once the lease runs out, and then its own late draft is dropped:
one draft, one card. Two workers share one database, SQLite and PostgreSQL alike."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.container import build
from bot.core import cards
from bot.core.ports import DraftRequest, DraftResult
from bot.settings import load_settings
from conftest_loop import MONDAY_0745_NY, School
from fakes import RecordingChat

LEASE_SECONDS = 30


@dataclass
class StuckModel:
    """A model port whose calls hang until released: the worker calling it is as good as dead."""

    called: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def draft(self, request: DraftRequest) -> DraftResult:
        self.called.set()
        self.release.wait(10)
        return DraftResult("Hi! A late draft from the stuck worker.", "llm:stuck")


def worker(db_url: str, clock: FixedClock, chat: RecordingChat, name: str, llm: StuckModel | None = None) -> School:
    model = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"} if llm is not None else {}
    settings = load_settings(DATABASE_URL=db_url, MICROCOACH_ADMINS="playground:u-admin",
                             MICROCOACH_LEASE_SECONDS=str(LEASE_SECONDS), **model)
    container = build(settings, clock=clock, chats={"playground": chat}, llm=llm, worker_id=name)
    return School(container, chat, clock, itertools.count(1000 if llm is None else 1))


@pytest.fixture
def two_workers(db_url: str) -> Iterator[tuple[School, School, StuckModel]]:
    """Worker A drafts with a model that hangs; worker B with the offline drafter. Ana has replied."""
    stuck, chat = StuckModel(), RecordingChat()
    a = worker(db_url, FixedClock(MONDAY_0745_NY), chat, "worker-a", stuck)
    b = worker(db_url, FixedClock(MONDAY_0745_NY), chat, "worker-b")
    store, now = a.container.store, a.clock.now()
    ws = store.ensure_workspace("playground", "demo", "Demo", at=now)
    for user, name in (("u-admin", "Dana"), ("u-coach", "Coach Kim"), ("u-ana", "Ana Lopez")):
        store.ensure_person(ws.id, user, display_name=name, tz="America/New_York", at=now)
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach",
                 "cadence set fall7 mon 07:45", "cohort add fall7 @u-ana"):
        assert not a.say("u-admin", line).refused
    a.tick()
    a.say("u-ana", "We tried the pause today and two quiet students answered.")
    yield a, b, stuck
    stuck.release.set()
    a.container.close()
    b.container.close()


def approve_cards(school: School) -> list[str]:
    return [s.message.buttons[0].value for s in school.chat.to("u-coach")
            if any(b.action_id == cards.APPROVE for b in s.message.buttons)]


def test_a_reply_whose_drafter_stopped_is_taken_over_only_once_the_lease_runs_out(
        two_workers: tuple[School, School, StuckModel]) -> None:
    a, b, stuck = two_workers
    a.container.service.drafting.start()
    assert stuck.called.wait(5)
    assert b.tick(MONDAY_0745_NY + timedelta(seconds=LEASE_SECONDS - 1)).drafted == 0
    assert approve_cards(b) == []
    report = b.tick(MONDAY_0745_NY + timedelta(seconds=LEASE_SECONDS + 1))
    assert report.drafted == 1 and len(approve_cards(b)) == 1


def test_the_stopped_drafters_late_draft_is_dropped(two_workers: tuple[School, School, StuckModel]) -> None:
    a, b, stuck = two_workers
    late = threading.Thread(target=lambda: results.append(a.container.service.drafting.run()))
    results: list[int] = []
    late.start()
    assert stuck.called.wait(5)
    b.tick(MONDAY_0745_NY + timedelta(seconds=LEASE_SECONDS + 1))
    stuck.release.set()
    late.join(5)
    [draft_id] = approve_cards(b)
    reply_id = b.container.store.get_draft(int(draft_id)).reply_id
    assert results == [0] and len(b.container.store.drafts_of_reply(reply_id)) == 1
    assert b.container.store.get_draft(int(draft_id)).source == "offline"


def test_a_live_drafters_claim_is_left_alone(two_workers: tuple[School, School, StuckModel]) -> None:
    a, b, stuck = two_workers
    late = threading.Thread(target=a.container.service.drafting.run)
    late.start()
    assert stuck.called.wait(5)
    assert b.tick(MONDAY_0745_NY + timedelta(seconds=LEASE_SECONDS // 2)).drafted == 0
    stuck.release.set()
    late.join(5)
    a.tick()
    [draft_id] = approve_cards(a)
    assert a.container.store.get_draft(int(draft_id)).source == "llm:stuck"
