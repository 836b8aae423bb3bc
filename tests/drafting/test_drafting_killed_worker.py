"""Drafting leases with real worker processes on PostgreSQL: a worker SIGKILLed with drafts in
flight (its model calls held by the fake model) has its replies taken over by the workers started
after it, once its leases run out. Every reply ends with one draft, and its coach gets one card,
counted where the chat platform received it, over HTTP."""

from __future__ import annotations

import itertools
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FixedClock
from bot.container import build
from bot.settings import load_settings
from conftest_loop import MONDAY_0745_NY, School
from fake_openai import answer, fake_openai, held
from fakes import RecordingChat
from storage.db import make_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scheduler"))  # the engine's process helpers

from platform_server import running_platform  # noqa: E402
from worker_pool import WorkerPool, wait_until  # noqa: E402

LEASE_SECONDS = 4.0
LLM_TIMEOUT = 1.9
"""Below half the lease, so a live drafter (two attempts) never outlasts its claim."""
CONCURRENCY = 4
"""Model calls a worker has in flight: the first worker claims this many replies and is killed."""
TEACHERS = ("Ana Lopez", "Ben Carter", "Cara Diaz", "Dev Patel", "Eli Brooks", "Fay Nguyen")
DRAFT = "Thanks for sharing this. What did you notice?"


@pytest.fixture
def waiting(db_url: str) -> Iterator[list[int]]:
    """Six teachers have answered Monday's prompt: their replies' ids, waiting for drafts."""
    settings = load_settings(DATABASE_URL=db_url, MICROCOACH_ADMINS="playground:u-admin")
    clock, chat = FixedClock(MONDAY_0745_NY), RecordingChat()
    school = School(build(settings, clock=clock, chats={"playground": chat}), chat, clock, itertools.count(1))
    store, now = school.container.store, clock.now()
    ws = store.ensure_workspace("playground", "demo", "Demo", at=now)
    users = [f"u-t{n}" for n in range(len(TEACHERS))]
    for user, name in (("u-admin", "Dana"), ("u-coach", "Coach Kim"), *zip(users, TEACHERS)):
        store.ensure_person(ws.id, user, display_name=name, tz="America/New_York", at=now)
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach",
                 "cadence set fall7 mon 07:45", "cohort add fall7 " + " ".join(f"@{u}" for u in users)):
        assert not school.say("u-admin", line).refused
    assert school.tick().sent == len(users)
    for user in users:
        school.say(user, "We tried the pause today and two quiet students answered.")
    replies = [r for user in users for r in store.replies_of(school.person(user).id)]
    assert len(replies) == len(users) and all(r.needs_draft for r in replies)
    yield [r.id for r in replies]
    school.container.close()


def _rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(sql)).all()]
    engine.dispose()
    return rows


def _claims_of(url: str, pid: int) -> dict[int, datetime]:
    """The replies a worker process holds a drafting claim on, with when its lease runs out (a
    claim is ``host:pid:token``)."""
    rows = _rows(url, "SELECT id, draft_claim, draft_lease_until FROM reply WHERE draft_claim IS NOT NULL AND needs_draft")
    return {reply_id: until for reply_id, claim, until in rows if claim.rsplit(":", 2)[1] == str(pid)}


def _all_cards_sent(url: str, replies: int) -> bool:
    waiting = _rows(url, "SELECT count(*) FROM reply WHERE needs_draft")[0][0]
    cards = dict(_rows(url, "SELECT status, count(*) FROM outbox WHERE kind = 'coach_card' GROUP BY status"))
    return waiting == 0 and cards == {"sent": replies}


def _cards_received(posted: list[dict]) -> Counter[str]:
    """Coach cards the platform accepted, by the teacher whose reply each is about."""
    cards = [body["text"] for body in posted if body["user"] == "u-coach" and "Draft follow-up:" in body["text"]]
    return Counter(name for card in cards for name in TEACHERS if card.startswith(f"{name} replied:"))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_killed_workers_drafts_are_taken_over_once_its_leases_run_out(
        db_url: str, waiting: list[int], tmp_path: Path) -> None:
    release = threading.Event()
    with fake_openai() as model, running_platform() as (base, platform, _):
        model.default = held(release, answer(DRAFT))
        pool = WorkerPool(db_url, base, lease_seconds=LEASE_SECONDS, logs=tmp_path, env={
            "PLATFORM_NAME": "playground", "OPENAI_BASE_URL": model.url, "MICROCOACH_LLM_MODEL": "fake-model",
            "MICROCOACH_LLM_TIMEOUT": str(LLM_TIMEOUT), "MICROCOACH_LLM_CONCURRENCY": str(CONCURRENCY)})
        try:
            [victim] = pool.start(1)
            assert wait_until(lambda: len(model.requests) >= CONCURRENCY, timeout=30), "the first worker never drafted"
            pool.kill(victim)
            calls_by_victim = len(model.requests)
            claimed = _claims_of(db_url, victim.pid)
            release.set()
            pool.start(2)
            finished = wait_until(lambda: _all_cards_sent(db_url, len(waiting)), timeout=40, every=0.2)
        finally:
            release.set()
            pool.stop()
        received = _cards_received(platform.state.posted)
        calls_by_survivors = len(model.requests) - calls_by_victim
    assert len(claimed) == CONCURRENCY, f"the killed worker held {claimed} mid-draft"
    assert finished, _rows(db_url, "SELECT kind, status, count(*) FROM outbox GROUP BY kind, status")
    assert received == Counter({name: 1 for name in TEACHERS}), received
    drafts = _rows(db_url, "SELECT reply_id, source, created_at FROM draft ORDER BY reply_id")
    assert sorted(reply_id for reply_id, _, _ in drafts) == sorted(waiting), drafts
    assert {source for _, source, _ in drafts} == {"llm:fake-model"}, "each draft is the model's, none offline"
    assert all(created >= claimed[reply_id] for reply_id, _, created in drafts if reply_id in claimed), \
        "a claim was taken over before its lease ran out"
    assert calls_by_survivors == len(waiting), "each reply is drafted once by the workers left"
