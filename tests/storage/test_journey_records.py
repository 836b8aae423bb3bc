"""The store's journey records on SQLite and PostgreSQL alike: coaches' own prompts, pins, the
weekly peer-share posts (one live post per cohort and week, sent through the outbox) and the
answers in their threads, kept apart from replies."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.core.prompts import PromptItem
from storage.sql_store import SqlStore

UTC = timezone.utc
MONDAY = date(2026, 11, 30)
SLOT = datetime(2026, 11, 30, 12, 45, tzinfo=UTC)


@pytest.fixture
def school(store: SqlStore, now: datetime) -> dict:
    ws = store.ensure_workspace("playground", "demo", "Demo School", at=now)
    coach = store.ensure_person(ws.id, "u-coach", display_name="Coach Kim", at=now)
    teacher = store.ensure_person(ws.id, "u-ana", display_name="Ana", at=now)
    cohort = store.create_cohort(ws.id, "fall7", "America/New_York", at=now)
    enrollment, _ = store.enroll(cohort.id, teacher.id, at=now)
    return {"ws": ws, "coach": coach, "teacher": teacher, "cohort": cohort, "enrollment": enrollment}


def post_values(school: dict, week: date = MONDAY, prompt_id: str = "cm-share-first-five-01") -> dict:
    return {"cohort_id": school["cohort"].id, "workspace_id": school["ws"].id, "week": week, "local_date": week,
            "slot_utc": SLOT + (week - MONDAY), "prompt_id": prompt_id, "channel": "staffroom"}


def test_an_own_prompt_gets_an_own_id_and_is_read_back_per_workspace(store: SqlStore, school: dict, now: datetime) -> None:
    item = PromptItem(id="ignored", kind="tip", focus="feedback", level="developing", text="Try one glow, one grow.",
                      title="A tip from Coach Kim", rationale="Written by Coach Kim.")
    saved = store.add_own_prompt(school["ws"].id, school["coach"].id, item, at=now)
    assert saved.id.startswith("own-") and saved.text == item.text
    assert store.own_prompt(saved.id) == (school["ws"].id, saved)
    assert store.own_prompts([school["ws"].id]) == {school["ws"].id: [saved]}
    assert store.own_prompts([school["ws"].id + 1]) == {}
    for other in ("own-abc", "qt-wait-time-01", "own-", "own-99999999999", "own-9999"):
        assert store.own_prompt(other) is None


def test_a_pin_is_kept_on_the_enrolment(store: SqlStore, school: dict) -> None:
    store.update_enrollment(school["enrollment"].id, pinned_prompt_id="qt-wait-time-01", pinned_on=MONDAY)
    enrollment = store.get_enrollment(school["enrollment"].id)
    assert (enrollment.pinned_prompt_id, enrollment.pinned_on) == ("qt-wait-time-01", MONDAY)


def test_a_planned_post_queues_its_send_and_holds_its_week(store: SqlStore, school: dict, now: datetime) -> None:
    post = store.plan_peer_post(post_values(school), at=now)
    assert post is not None and post.status == "planned"
    queued = store.outbox_item(f"peer-post:{post.id}")
    assert (queued.kind, queued.payload, queued.person_id, queued.not_before) == ("peer_post", {"post_id": post.id}, None, SLOT)
    assert store.plan_peer_post(post_values(school, prompt_id="fb-share-time-saver-01"), at=now) is None
    assert [p.id for p in store.peer_posts_of(school["cohort"].id)] == [post.id]


def test_dropping_cancels_unsent_posts_and_their_sends_and_frees_the_week(store: SqlStore, school: dict, now: datetime) -> None:
    first = store.plan_peer_post(post_values(school), at=now)
    later = store.plan_peer_post(post_values(school, MONDAY + timedelta(weeks=1)), at=now)
    store.set_peer_post(first.id, status="sent", message_id="m-1")
    assert store.drop_peer_posts(school["cohort"].id, SLOT - timedelta(days=1)) == 1
    assert store.get_peer_post(later.id).status == "cancelled" and store.get_peer_post(first.id).status == "sent"
    assert store.outbox_item(f"peer-post:{later.id}").status == "cancelled"
    again = store.plan_peer_post(post_values(school, MONDAY + timedelta(weeks=1)), at=now)
    assert again is not None and again.id != later.id


def test_answers_are_found_by_their_message_once_each(store: SqlStore, school: dict, now: datetime) -> None:
    post = store.plan_peer_post(post_values(school), at=now)
    store.set_peer_post(post.id, status="sent", message_id="1700.01")
    assert store.peer_post_by_message(school["ws"].id, "1700.01").id == post.id
    values = dict(post_id=post.id, workspace_id=school["ws"].id, person_id=school["teacher"].id, text="Exit slips.",
                  message_id="1700.02", at=now)
    share, created = store.add_peer_share(**values)
    assert created and store.add_peer_share(**values) == (share, False)
    store.update_peer_share(share.id, text="Exit slips, daily.", updated_at=now)
    assert store.peer_share_by_message(school["ws"].id, "1700.02").text == "Exit slips, daily."
    assert [s.id for s in store.peer_shares_of([post.id])] == [share.id]
    assert store.replies_of(school["teacher"].id) == []


def test_only_cohorts_with_a_channel_are_listed_with_their_cadence(store: SqlStore, school: dict, now: datetime) -> None:
    store.create_cohort(school["ws"].id, "spring", "America/Chicago", at=now)
    assert store.cohorts_with_channel() == []
    store.update_cohort(school["cohort"].id, channel="staffroom")
    store.set_cadence(school["cohort"].id, "1,3", datetime(2026, 1, 1, 7, 45).time(), at=now)
    [cohort] = store.cohorts_with_channel()
    assert (cohort.name, cohort.channel, cohort.days) == ("fall7", "staffroom", "1,3")


def test_export_includes_shares_and_own_prompts_and_deletion_removes_shares(
        store: SqlStore, school: dict, now: datetime) -> None:
    post = store.plan_peer_post(post_values(school), at=now)
    store.add_peer_share(post_id=post.id, workspace_id=school["ws"].id, person_id=school["teacher"].id,
                         text="Exit slips.", message_id="m-2", at=now)
    item = PromptItem(id="x", kind="tip", focus="feedback", level="developing", text="Two stars and a wish.")
    store.add_own_prompt(school["ws"].id, school["coach"].id, item, at=now)
    assert [s["text"] for s in store.export_person(school["teacher"].id)["peer_shares"]] == ["Exit slips."]
    assert [p["text"] for p in store.export_person(school["coach"].id)["own_prompts"]] == ["Two stars and a wish."]
    store.delete_person(school["teacher"].id)
    assert store.peer_shares_of([post.id]) == []


def test_a_check_back_is_never_a_reminder_candidate(store: SqlStore, school: dict, now: datetime) -> None:
    base = {"enrollment_id": school["enrollment"].id, "person_id": school["teacher"].id, "workspace_id": school["ws"].id,
            "cohort_id": school["cohort"].id, "status": "planned", "attempts": 0, "created_at": now}
    store.plan_deliveries([{**base, "slot_utc": SLOT, "local_date": MONDAY, "prompt_id": "qt-wait-time-01", "kind": "prompt"},
                           {**base, "slot_utc": SLOT + timedelta(days=2), "local_date": MONDAY + timedelta(days=2),
                            "prompt_id": "check-back", "kind": "check_back"}])
    for delivery in store.deliveries_of([school["enrollment"].id]):
        store.set_delivery(delivery.id, status="sent", sent_at=delivery.slot_utc)
    found = store.reminder_candidates(SLOT - timedelta(days=1), SLOT + timedelta(days=3), 10)
    assert [c.delivery.kind for c in found] == ["prompt"]
