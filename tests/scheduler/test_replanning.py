"""Planning and re-planning, through the whole engine on SQLite and PostgreSQL: every change after
planning (cadence, a zone learned from a message, a teacher's own time, pause, skip, term,
enrolment) moves or removes every unsent future slot; sent slots stay; no slot is planned twice;
a teacher in two cohorts gets one prompt a day, from the oldest enrolment."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

from conftest_loop import MONDAY_0745_NY, School
from engine_support import deliveries, local, planned_slots, prompts_to
from scheduler.planner import ONE_A_DAY

NY, CHICAGO, LA = "America/New_York", "America/Chicago", "America/Los_Angeles"
TUE, WED, THU, FRI, MON = (date(2026, 11, d) for d in (24, 25, 26, 27, 30))
AT_0745 = time(7, 45)


def test_first_planning_lays_out_the_coming_week_in_each_teachers_zone(cohort: School) -> None:
    cohort.tick()
    assert planned_slots(cohort, "u-ana", NY) == [(WED, AT_0745), (MON, AT_0745)]
    assert planned_slots(cohort, "u-ben", CHICAGO) == [(WED, AT_0745), (MON, AT_0745)]


def test_a_cadence_change_moves_every_unsent_future_slot(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-admin", "cadence set fall7 tue,thu 08:30")
    assert planned_slots(cohort, "u-ana", NY) == []
    cohort.tick()
    assert planned_slots(cohort, "u-ana", NY) == [(TUE, time(8, 30)), (THU, time(8, 30))]


def test_a_zone_learned_from_a_message_moves_the_slot(cohort: School) -> None:
    workspace = cohort.person("u-ana").workspace_id
    cohort.container.store.ensure_person(workspace, "u-cara", display_name="Cara Diaz", at=cohort.clock.now())
    cohort.say("u-admin", "cohort add fall7 @u-cara")
    cohort.tick()
    assert planned_slots(cohort, "u-cara", NY) == [(WED, AT_0745), (MON, AT_0745)]
    cohort.say("u-cara", "Hi! Looking forward to this.", timezone=LA)
    assert planned_slots(cohort, "u-cara", NY) == []
    cohort.tick()
    # 07:45 has not come yet today in Los Angeles; next Monday's is now beyond the 7-day horizon.
    assert planned_slots(cohort, "u-cara", LA) == [(date(2026, 11, 23), AT_0745), (WED, AT_0745)]


def test_a_teachers_own_time_moves_only_their_slots(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-ana", "time 09:15")
    cohort.tick()
    assert planned_slots(cohort, "u-ana", NY) == [(WED, time(9, 15)), (MON, time(9, 15))]
    assert planned_slots(cohort, "u-ben", CHICAGO) == [(WED, AT_0745), (MON, AT_0745)]


def test_a_pause_removes_the_slots_it_covers(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-ana", "pause me until 2026-11-27")
    cohort.tick()
    assert planned_slots(cohort, "u-ana", NY) == [(MON, AT_0745)]


def test_a_skip_day_removes_that_days_slot_for_everyone(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-admin", "skip fall7 2026-11-25 Thanksgiving break")
    cohort.tick()
    assert planned_slots(cohort, "u-ana", NY) == planned_slots(cohort, "u-ben", CHICAGO) == [(MON, AT_0745)]


def test_the_end_of_term_removes_the_slots_after_it(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-admin", "cohort term fall7 2026-09-01..2026-11-27")
    cohort.tick()
    assert planned_slots(cohort, "u-ana", NY) == [(WED, AT_0745)]


def test_leaving_a_cohort_removes_the_teachers_unsent_slots(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-admin", "cohort remove fall7 @u-ben")
    cohort.tick()
    assert planned_slots(cohort, "u-ben", CHICAGO) == []
    assert planned_slots(cohort, "u-ana", NY) == [(WED, AT_0745), (MON, AT_0745)]


def test_joining_a_cohort_plans_the_teachers_slots(cohort: School) -> None:
    cohort.tick()
    cohort.say("u-admin", "cohort add fall7 @u-other")
    cohort.tick()
    assert planned_slots(cohort, "u-other", NY) == [(WED, AT_0745), (MON, AT_0745)]


def test_a_sent_slot_stays_and_a_later_time_the_same_day_sends_nothing_more(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.clock.set(local(NY, 2026, 11, 30, 8, 0))
    cohort.say("u-ana", "time 09:00")
    cohort.tick(local(NY, 2026, 11, 30, 9, 0))
    assert len(prompts_to(cohort, "u-ana")) == 1
    monday = [(d.status, d.reason) for d in deliveries(cohort, "u-ana") if d.local_date == MON]
    assert sorted(monday, key=str) == [("sent", None), ("skipped", ONE_A_DAY)]


def test_planning_again_at_the_same_instant_adds_nothing(cohort: School) -> None:
    first = cohort.tick().planned
    count = len(deliveries(cohort, "u-ana")) + len(deliveries(cohort, "u-ben"))
    assert first == 5, "Ana's Wednesday and Monday; Ben's too, and today's, still in its grace period"
    assert cohort.tick().planned == 0
    assert len(deliveries(cohort, "u-ana")) + len(deliveries(cohort, "u-ben")) == count


def test_no_slot_is_ever_planned_twice_as_the_days_go_by(cohort: School) -> None:
    start = cohort.clock.now()
    for hours in range(0, 24 * 9, 7):
        cohort.tick(start + timedelta(hours=hours))
    rows = deliveries(cohort, "u-ana") + deliveries(cohort, "u-ben")
    assert len({(d.enrollment_id, d.slot_utc) for d in rows}) == len(rows)
    live = [(d.person_id, d.local_date) for d in rows if d.status in ("planned", "claimed", "sent")]
    assert len(set(live)) == len(live)


def _second_cohort_for_ana(school: School) -> None:
    for line in ("cohort create spring8 America/New_York", "cadence set spring8 mon,wed 07:45",
                 "cohort add spring8 @u-ana"):
        assert not school.say("u-admin", line).refused


def test_a_teacher_in_two_cohorts_gets_one_prompt_a_day_from_the_oldest_enrolment(cohort: School) -> None:
    _second_cohort_for_ana(cohort)
    cohort.tick()
    store = cohort.container.store
    fall7 = store.find_cohort(cohort.person("u-ana").workspace_id, "fall7")
    rows = deliveries(cohort, "u-ana")
    assert {(d.local_date, d.cohort_id) for d in rows if d.status == "planned"} == {(WED, fall7.id), (MON, fall7.id)}
    assert sorted((d.local_date, d.reason) for d in rows if d.status == "skipped") == [(WED, ONE_A_DAY), (MON, ONE_A_DAY)]


def test_re_planning_the_older_cohort_keeps_it_first(cohort: School) -> None:
    _second_cohort_for_ana(cohort)
    cohort.tick()
    cohort.say("u-admin", "cadence set fall7 mon,wed 08:00")
    cohort.tick()
    fall7 = cohort.container.store.find_cohort(cohort.person("u-ana").workspace_id, "fall7")
    planned = [d for d in deliveries(cohort, "u-ana") if d.status == "planned"]
    assert {d.cohort_id for d in planned} == {fall7.id}
    assert planned_slots(cohort, "u-ana", NY) == [(WED, time(8, 0)), (MON, time(8, 0))]


def test_one_planner_at_a_time_on_postgresql(cohort: School, db_url: str) -> None:
    store, planner = cohort.container.store, cohort.container.worker.planner
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with store.planning_lock() as mine:
            assert mine
            held.set()
            release.wait(10)

    other = threading.Thread(target=hold_the_lock)
    other.start()
    held.wait(10)
    try:
        planned = planner.plan(cohort.clock.now())
    finally:
        release.set()
        other.join()
    assert planned == (0 if db_url.startswith("postgresql") else 5)

