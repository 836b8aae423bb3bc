"""The store's contract, run against SQLite and PostgreSQL alike (the ``store`` fixture)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.core.errors import Conflict
from storage.sql_store import SqlStore

UTC = timezone.utc


@pytest.fixture
def school(store: SqlStore, now: datetime) -> dict:
    ws = store.ensure_workspace("playground", "demo", "Demo School", at=now)
    coach = store.ensure_person(ws.id, "u-coach", display_name="Coach Kim", at=now)
    teacher = store.ensure_person(ws.id, "u-ana", display_name="Ana", at=now)
    cohort = store.create_cohort(ws.id, "Fall-7", "America/Chicago", at=now)
    enrollment, _ = store.enroll(cohort.id, teacher.id, at=now)
    return {"ws": ws, "coach": coach, "teacher": teacher, "cohort": cohort, "enrollment": enrollment}


def _slot(school: dict, slot: datetime, local: date, prompt: str = "p-1") -> dict:
    return {
        "enrollment_id": school["enrollment"].id,
        "person_id": school["teacher"].id,
        "workspace_id": school["ws"].id,
        "cohort_id": school["cohort"].id,
        "slot_utc": slot,
        "local_date": local,
        "prompt_id": prompt,
        "kind": "prompt",
        "status": "planned",
        "attempts": 0,
        "created_at": slot,
    }


def test_ensure_workspace_is_idempotent(store: SqlStore, now: datetime) -> None:
    first = store.ensure_workspace("slack", "T1", "One", at=now)
    again = store.ensure_workspace("slack", "T1", at=now)
    assert again.id == first.id and again.name == "One"


def test_ensure_person_updates_what_the_platform_tells(store: SqlStore, now: datetime) -> None:
    ws = store.ensure_workspace("slack", "T1", at=now)
    store.ensure_person(ws.id, "U1", display_name="Ana", at=now)
    person = store.ensure_person(ws.id, "U1", tz="America/Denver", email="Ana@School.org", at=now)
    assert (person.display_name, person.tz, person.email) == ("Ana", "America/Denver", "ana@school.org")
    assert store.find_people(ws.id, email="ANA@school.org")[0].id == person.id
    assert store.find_people(ws.id, name="ana")[0].id == person.id


def test_roles_are_granted_once(store: SqlStore, school: dict, now: datetime) -> None:
    coach = school["coach"]
    assert store.grant_role(coach.id, "coach", by=None, at=now) is True
    assert store.grant_role(coach.id, "coach", by=None, at=now) is False
    assert store.roles_of(coach.id) == frozenset({"coach"})
    assert [p.id for p in store.people_with_role(school["ws"].id, "coach")] == [coach.id]


def test_a_known_sender_is_found_with_workspace_and_roles_in_one_read(store: SqlStore, school: dict,
                                                                        now: datetime) -> None:
    store.grant_role(school["coach"].id, "coach", by=None, at=now)
    store.grant_role(school["coach"].id, "admin", by=None, at=now)
    coach = store.sender("playground", "demo", "u-coach")
    teacher = store.sender("playground", "demo", "u-ana")
    assert (coach.workspace.id, coach.person.id, coach.roles) == (school["ws"].id, school["coach"].id,
                                                                  frozenset({"coach", "admin"}))
    assert (teacher.person.display_name, teacher.roles) == ("Ana", frozenset())


def test_an_unknown_sender_or_workspace_is_none(store: SqlStore, school: dict, now: datetime) -> None:
    store.ensure_workspace("slack", "T1", at=now)
    assert store.sender("playground", "demo", "u-nobody") is None
    assert store.sender("slack", "T1", "u-ana") is None
    assert store.sender("teams", "demo", "u-ana") is None


def test_a_teachers_coach_is_the_enrolments_own_else_the_cohorts(store: SqlStore, school: dict,
                                                                 now: datetime) -> None:
    teacher, enrollment = school["teacher"], school["enrollment"]
    assert store.coach_of(teacher.id, enrollment.id) is None
    store.update_cohort(school["cohort"].id, coach_id=school["coach"].id)
    assert store.coach_of(teacher.id, enrollment.id).id == school["coach"].id
    own = store.ensure_person(school["ws"].id, "u-own", display_name="Own Coach", at=now)
    store.update_enrollment(enrollment.id, coach_id=own.id)
    assert store.coach_of(teacher.id, enrollment.id).display_name == "Own Coach"
    assert store.coach_of(teacher.id).id == own.id


def test_without_that_enrolment_a_teachers_coach_is_of_their_oldest_active_one(store: SqlStore, school: dict,
                                                                                now: datetime) -> None:
    teacher = school["teacher"]
    store.update_cohort(school["cohort"].id, coach_id=school["coach"].id)
    later = store.create_cohort(school["ws"].id, "Spring", "UTC", at=now)
    other = store.ensure_person(school["ws"].id, "u-other", at=now)
    store.update_cohort(later.id, coach_id=other.id)
    store.enroll(later.id, teacher.id, at=now + timedelta(days=1))
    assert store.coach_of(teacher.id, enrollment_id=999_999).id == school["coach"].id
    store.update_enrollment(school["enrollment"].id, active=False)
    assert store.coach_of(teacher.id).id == other.id
    assert store.coach_of(school["coach"].id) is None


def test_coaches_of_many_enrolments_come_in_one_read(store: SqlStore, school: dict, now: datetime) -> None:
    store.update_cohort(school["cohort"].id, coach_id=school["coach"].id)
    other_teacher = store.ensure_person(school["ws"].id, "u-ben", at=now)
    own = store.ensure_person(school["ws"].id, "u-own", at=now)
    other, _ = store.enroll(school["cohort"].id, other_teacher.id, at=now)
    store.update_enrollment(other.id, coach_id=own.id)
    bare = store.create_cohort(school["ws"].id, "No coach", "UTC", at=now)
    coachless, _ = store.enroll(bare.id, other_teacher.id, at=now)
    coaches = store.coaches_of([school["enrollment"].id, other.id, coachless.id, 999_999])
    assert {e: c.id if c else None for e, c in coaches.items()} == {
        school["enrollment"].id: school["coach"].id, other.id: own.id, coachless.id: None}
    assert store.coaches_of([]) == {}


def test_enrolments_deliveries_and_replies_are_read_by_the_batch(store: SqlStore, school: dict,
                                                                 now: datetime) -> None:
    store.plan_deliveries([_slot(school, now, date(2026, 11, 23))])
    [delivery] = store.claim_due(now, "w1", timedelta(minutes=2), 10)
    ben = store.ensure_person(school["ws"].id, "u-ben", at=now)
    ana = school["teacher"]
    for person, message in ((ana, "a1"), (ben, "b1"), (ana, "a2")):
        store.add_reply(workspace_id=school["ws"].id, person_id=person.id, delivery_id=None, kind="note",
                        text=message, message_id=message, at=now)
    assert list(store.enrollments([school["enrollment"].id, 999_999])) == [school["enrollment"].id]
    assert store.deliveries([delivery.id, 999_999])[delivery.id].prompt_id == "p-1"
    replies = store.replies_of_people([ana.id, ben.id, school["coach"].id])
    assert {p: [r.text for r in rs] for p, rs in replies.items()} == {
        ana.id: ["a1", "a2"], ben.id: ["b1"], school["coach"].id: []}
    assert store.enrollments([]) == store.deliveries([]) == store.replies_of_people([]) == {}


def test_cohort_names_are_unique_case_insensitively(store: SqlStore, school: dict, now: datetime) -> None:
    with pytest.raises(Conflict):
        store.create_cohort(school["ws"].id, "FALL-7", "UTC", at=now)
    assert store.find_cohort(school["ws"].id, "fall-7").id == school["cohort"].id


def test_cadence_is_read_with_its_cohort(store: SqlStore, school: dict, now: datetime) -> None:
    store.set_cadence(school["cohort"].id, "1,3", time(7, 45), at=now)
    store.set_cadence(school["cohort"].id, "2,4", time(8, 0), at=now)
    cohort = store.get_cohort(school["cohort"].id)
    assert (cohort.days, cohort.send_time) == ("2,4", time(8, 0))
    assert store.list_cohorts(school["ws"].id)[0].days == "2,4"


def test_enrolling_twice_changes_nothing(store: SqlStore, school: dict, now: datetime) -> None:
    again, changed = store.enroll(school["cohort"].id, school["teacher"].id, at=now)
    assert again.id == school["enrollment"].id and changed is False


def test_teacher_settings_apply_to_every_enrolment(store: SqlStore, school: dict, now: datetime) -> None:
    other = store.create_cohort(school["ws"].id, "Math", "UTC", at=now)
    store.enroll(other.id, school["teacher"].id, at=now)
    assert store.update_teacher_enrollments(school["teacher"].id, focus="questioning") == 2
    assert {e.focus for e in store.enrollments_of_teacher(school["teacher"].id)} == {"questioning"}


def test_planning_is_idempotent(store: SqlStore, school: dict, now: datetime) -> None:
    rows = [_slot(school, now, date(2026, 11, 23))]
    assert store.plan_deliveries(rows) == 1
    assert store.plan_deliveries(rows) == 0
    assert len(store.deliveries_of([school["enrollment"].id])) == 1


def test_one_live_prompt_per_teacher_per_local_day(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now, date(2026, 11, 23))])
    later = _slot(school, now + timedelta(hours=1), date(2026, 11, 23), "p-2")
    assert store.plan_deliveries([later]) == 0


def test_a_due_delivery_is_claimed_by_one_worker(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now, date(2026, 11, 23))])
    first = store.claim_due(now, "w1", timedelta(minutes=2), 10)
    second = store.claim_due(now, "w2", timedelta(minutes=2), 10)
    assert [d.claimed_by for d in first] == ["w1"] and second == []


def test_a_future_slot_is_not_claimed(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now + timedelta(seconds=1), date(2026, 11, 23))])
    assert store.claim_due(now, "w1", timedelta(minutes=2), 10) == []


def test_an_expired_lease_is_taken_over(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now, date(2026, 11, 23))])
    store.claim_due(now, "w1", timedelta(minutes=2), 10)
    taken = store.claim_due(now + timedelta(minutes=3), "w2", timedelta(minutes=2), 10)
    assert [(d.claimed_by, d.attempts) for d in taken] == [("w2", 2)]
    assert store.finish_delivery(taken[0].id, "w1", status="sent") is False
    assert store.finish_delivery(taken[0].id, "w2", status="sent") is True


def test_open_prompt_is_the_latest_sent_within_the_window(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now - timedelta(days=1), date(2026, 11, 22))])
    [claimed] = store.claim_due(now, "w1", timedelta(minutes=2), 10)
    store.finish_delivery(claimed.id, "w1", status="sent", sent_at=now - timedelta(days=1), message_id="m1")
    assert store.open_prompt(school["teacher"].id, now, timedelta(days=7)).id == claimed.id
    assert store.open_prompt(school["teacher"].id, now + timedelta(days=7), timedelta(days=7)) is None
    assert store.delivery_by_message(school["ws"].id, "m1").id == claimed.id


def test_a_reply_with_a_known_message_id_is_stored_once(store: SqlStore, school: dict, now: datetime) -> None:
    kwargs = dict(workspace_id=school["ws"].id, person_id=school["teacher"].id, delivery_id=None,
                  kind="reply", text="hello", message_id="m-9", at=now)
    first, created = store.add_reply(**kwargs)
    again, created_again = store.add_reply(**kwargs)
    assert created and not created_again and again.id == first.id


def _waiting_reply(store: SqlStore, school: dict, now: datetime, text: str = "x"):  # noqa: ANN202
    reply, _ = store.add_reply(workspace_id=school["ws"].id, person_id=school["teacher"].id, delivery_id=None,
                               kind="reply", text=text, message_id=None, at=now, needs_draft=True)
    return reply


LEASE = timedelta(minutes=2)


def test_a_reply_to_draft_is_claimed_by_one_drafter_until_its_lease_runs_out(
        store: SqlStore, school: dict, now: datetime) -> None:
    reply = _waiting_reply(store, school, now)
    assert [r.id for r in store.claim_replies_to_draft(now, "a:1", now + LEASE, 10)] == [reply.id]
    assert store.claim_replies_to_draft(now + LEASE, "b:1", now + 2 * LEASE, 10) == []
    [taken] = store.claim_replies_to_draft(now + LEASE + timedelta(seconds=1), "b:2", now + 3 * LEASE, 10)
    assert taken.id == reply.id


def test_replies_to_draft_are_claimed_oldest_first_up_to_the_limit_in_one_go(
        store: SqlStore, school: dict, now: datetime) -> None:
    replies = [_waiting_reply(store, school, now + timedelta(seconds=i)) for i in range(5)]
    claimed = store.claim_replies_to_draft(now + timedelta(minutes=1), "a:1", now + LEASE, 3)
    assert [r.id for r in claimed] == [r.id for r in replies[:3]]


def test_a_drafted_reply_is_released_and_never_claimed_again(store: SqlStore, school: dict, now: datetime) -> None:
    reply = _waiting_reply(store, school, now)
    store.claim_replies_to_draft(now, "a:1", now + LEASE, 10)
    assert store.release_draft_claims([(reply.id, "a:1")]) == {reply.id}
    assert store.get_reply(reply.id).needs_draft is False
    assert store.claim_replies_to_draft(now + 2 * LEASE, "b:1", now + 3 * LEASE, 10) == []


def test_a_claim_taken_over_after_its_lease_no_longer_releases(store: SqlStore, school: dict, now: datetime) -> None:
    reply = _waiting_reply(store, school, now)
    store.claim_replies_to_draft(now, "a:1", now + LEASE, 10)
    store.claim_replies_to_draft(now + 2 * LEASE, "b:1", now + 3 * LEASE, 10)
    assert store.release_draft_claims([(reply.id, "a:1")]) == set()
    assert store.release_draft_claims([(reply.id, "b:1")]) == {reply.id}


def test_claims_are_released_together_each_only_where_it_still_holds(store: SqlStore, school: dict,
                                                                       now: datetime) -> None:
    first, second, third = (_waiting_reply(store, school, now + timedelta(seconds=i)) for i in range(3))
    store.claim_replies_to_draft(now + timedelta(minutes=1), "a:1", now + LEASE, 2)
    store.claim_replies_to_draft(now + timedelta(minutes=1), "b:1", now + LEASE, 1)
    released = store.release_draft_claims([(first.id, "a:1"), (second.id, "b:1"), (third.id, "b:1")])
    assert released == {first.id, third.id}
    assert [store.get_reply(r.id).needs_draft for r in (first, second, third)] == [False, True, False]


def test_drafts_stored_together_come_back_by_reply_and_open_ones_are_found(store: SqlStore, school: dict,
                                                                            now: datetime) -> None:
    replies = [_waiting_reply(store, school, now + timedelta(seconds=i)) for i in range(3)]
    added = store.add_drafts([dict(reply_id=r.id, coach_id=school["coach"].id, text=f"draft {r.id}", source="offline",
                                   created_at=now, expires_at=now + timedelta(days=3)) for r in replies[:2]])
    assert {reply_id: d.text for reply_id, d in added.items()} == {r.id: f"draft {r.id}" for r in replies[:2]}
    assert {d.status for d in added.values()} == {"pending"}
    store.decide_draft(added[replies[0].id].id, status="approved", by=None, at=now, final_text="ok")
    assert list(store.open_drafts_of([r.id for r in replies])) == [replies[1].id]
    assert store.add_drafts([]) == store.open_drafts_of([]) == {}


def test_a_reply_changed_while_claimed_is_not_released_and_waits_for_a_fresh_draft(
        store: SqlStore, school: dict, now: datetime) -> None:
    reply = _waiting_reply(store, school, now)
    store.claim_replies_to_draft(now, "a:1", now + LEASE, 10)
    store.update_reply(reply.id, text="edited", needs_draft=True, updated_at=now)
    assert store.release_draft_claims([(reply.id, "a:1")]) == set()
    assert [r.text for r in store.claim_replies_to_draft(now, "b:1", now + LEASE, 10)] == ["edited"]


def test_a_roster_is_stored_as_given_replaced_and_cleared(store: SqlStore, school: dict, now: datetime) -> None:
    cohort, coach = school["cohort"], school["coach"]
    assert store.roster_stamps() == [] and store.clear_roster(cohort.id) is False
    assert store.set_roster(cohort.id, school["ws"].id, "fernet:first", 2, by=coach.id, at=now) is False
    [first] = store.roster_stamps()
    assert store.set_roster(cohort.id, school["ws"].id, "fernet:second", 3, by=coach.id, at=now) is True
    assert store.roster_data() == ["fernet:second"] and store.roster_stamps() != [first]
    assert store.clear_roster(cohort.id) is True and store.roster_data() == []


def test_a_draft_is_decided_once(store: SqlStore, school: dict, now: datetime) -> None:
    reply, _ = store.add_reply(workspace_id=school["ws"].id, person_id=school["teacher"].id, delivery_id=None,
                               kind="reply", text="x", message_id=None, at=now)
    [draft] = store.add_drafts([dict(reply_id=reply.id, coach_id=school["coach"].id, text="t", source="offline",
                                     created_at=now, expires_at=now + timedelta(days=3))]).values()
    assert store.decide_draft(draft.id, status="approved", by=school["coach"].id, at=now, final_text="t")
    assert not store.decide_draft(draft.id, status="rejected", by=school["coach"].id, at=now, final_text=None)
    assert store.get_draft(draft.id).status == "approved"


def test_outbox_keys_are_enqueued_once_and_claimed_when_due(store: SqlStore, school: dict, now: datetime) -> None:
    args = dict(key="card:1", workspace_id=school["ws"].id, person_id=school["coach"].id, kind="coach_card",
                payload={"draft_id": 1}, not_before=now + timedelta(minutes=5), at=now)
    assert store.enqueue(**args) is True
    assert store.enqueue(**args) is False
    assert store.claim_outbox(now, "w1", timedelta(minutes=1), 10) == []
    [item] = store.claim_outbox(now + timedelta(minutes=5), "w1", timedelta(minutes=1), 10)
    assert item.payload == {"draft_id": 1} and item.attempts == 1


def test_many_outbox_items_are_enqueued_in_one_go_each_key_once(store: SqlStore, school: dict,
                                                                  now: datetime) -> None:
    item = dict(workspace_id=school["ws"].id, person_id=school["coach"].id, kind="coach_card", not_before=now,
                created_at=now)
    store.enqueue(key="card:1", payload={"draft_id": 1}, not_before=now, at=now,
                  **{k: v for k, v in item.items() if k not in ("not_before", "created_at")})
    assert store.enqueue_all([dict(item, key=f"card:{n}", payload={"draft_id": n}) for n in (1, 2, 3)]) == 2
    claimed = store.claim_outbox(now, "w", timedelta(minutes=1), 10)
    assert sorted(i.payload["draft_id"] for i in claimed) == [1, 2, 3]
    assert store.enqueue_all([]) == 0


def test_platform_events_are_seen_once(store: SqlStore, now: datetime) -> None:
    assert store.first_sighting("slack:Ev1", now) is True
    assert store.first_sighting("slack:Ev1", now) is False


def test_audit_rows_keep_actor_action_target_and_details(store: SqlStore, school: dict, now: datetime) -> None:
    store.audit(workspace_id=school["ws"].id, actor_id=school["coach"].id, action="cohort create",
                target="cohort:Fall-7", at=now, details={"tz": "UTC"})
    [entry] = store.audit_entries(school["ws"].id)
    assert (entry.action, entry.target, entry.details, entry.at) == ("cohort create", "cohort:Fall-7", {"tz": "UTC"}, now)


def test_deleting_a_person_leaves_only_anonymous_deliveries(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now, date(2026, 11, 23))])
    store.add_reply(workspace_id=school["ws"].id, person_id=school["teacher"].id, delivery_id=None,
                    kind="reply", text="private words", message_id="m1", at=now)
    exported = store.export_person(school["teacher"].id)
    assert exported["replies"][0]["text"] == "private words"
    assert store.delete_person(school["teacher"].id) is True
    assert store.get_person(school["teacher"].id) is None
    assert store.export_person(school["teacher"].id) is None
    assert store.reply_by_message(school["ws"].id, "m1") is None
    claimed = store.claim_due(now, "w", timedelta(minutes=1), 10)
    assert [(d.enrollment_id, d.prompt_id) for d in claimed] == [(None, "p-1")]


def test_times_come_back_aware_utc(store: SqlStore, school: dict, now: datetime) -> None:
    store.plan_deliveries([_slot(school, now, date(2026, 11, 23))])
    [delivery] = store.deliveries_of([school["enrollment"].id])
    assert delivery.slot_utc == now and delivery.slot_utc.tzinfo is not None


def test_llm_usage_adds_up_per_workspace_and_month(store: SqlStore, school: dict, now: datetime) -> None:
    ws = school["ws"].id
    for cost in (0.25, 0.5):
        store.add_llm_usage(workspace_id=ws, month="2026-11", model="m", prompt_tokens=100, completion_tokens=20,
                            cost_usd=cost, at=now)
    store.add_llm_usage(workspace_id=ws, month="2026-12", model="m", prompt_tokens=1, completion_tokens=1,
                        cost_usd=9.0, at=now)
    assert store.llm_cost_of_month(ws, "2026-11") == 0.75
    assert store.llm_cost_of_month(ws, "2026-10") == 0.0
    assert "Demo School" in store.workspace_names()


def test_llm_usage_of_a_batch_counts_each_call_in_it(store: SqlStore, school: dict, now: datetime) -> None:
    ws = school["ws"].id
    store.add_llm_usage(workspace_id=ws, month="2026-11", model="m", prompt_tokens=300, completion_tokens=60,
                        cost_usd=0.3, at=now, calls=3)
    store.add_llm_usage(workspace_id=ws, month="2026-11", model="m", prompt_tokens=100, completion_tokens=20,
                        cost_usd=0.1, at=now)
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT calls, prompt_tokens, completion_tokens FROM llm_usage")).one()
    assert tuple(row) == (4, 400, 80)
    assert store.llm_cost_of_month(ws, "2026-11") == pytest.approx(0.4)
