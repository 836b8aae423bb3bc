"""Dispatch rules, through the whole engine on SQLite and PostgreSQL: late slots inside the grace
period go, later ones are missed; failures retry, back off and honour Retry-After, or end with
their reason; every attempt is recorded; a crashed worker's claim is taken over after its lease,
and what it already posted is found, not sent again."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.core import cards
from bot.core.ports import SendError
from conftest_loop import MONDAY_0745_NY, School
from engine_support import deliveries, local, outcomes, prompts_to, the_delivery
from scheduler.dispatcher import OUTSIDE, TOO_LATE
from scheduler.retry import RetryPolicy

NY = "America/New_York"
MONDAY = date(2026, 11, 30)
WEDNESDAY = date(2026, 12, 2)
LEASE = timedelta(seconds=120)
BACKOFF = RetryPolicy.for_lease(LEASE).base


def ana_at_0745(school: School):  # noqa: ANN201
    """Plan ahead (and send the welcomes, Ben's once Chicago's day begins), then return Ana's
    Monday delivery, due at 07:45 New York."""
    school.tick(MONDAY_0745_NY - timedelta(minutes=14))
    return the_delivery(school, "u-ana", MONDAY)


def test_a_slot_caught_up_within_the_grace_period_is_sent(cohort: School) -> None:
    ana_at_0745(cohort)
    cohort.tick(MONDAY_0745_NY + timedelta(hours=1, minutes=59))
    assert len(prompts_to(cohort, "u-ana")) == 1


def test_a_slot_beyond_the_grace_period_is_missed_not_sent(cohort: School) -> None:
    ana_at_0745(cohort)
    cohort.tick(MONDAY_0745_NY + timedelta(hours=2, minutes=1))
    assert prompts_to(cohort, "u-ana") == []
    missed = the_delivery(cohort, "u-ana", MONDAY)
    assert (missed.status, missed.reason) == ("missed", TOO_LATE)


def test_a_late_slot_is_missed_once_the_teachers_day_has_ended(cohort: School) -> None:
    cohort.say("u-admin", "cadence set fall7 mon 19:45")
    cohort.tick(local(NY, 2026, 11, 30, 19, 0))
    cohort.tick(local(NY, 2026, 11, 30, 20, 5))
    assert prompts_to(cohort, "u-ana") == []
    assert the_delivery(cohort, "u-ana", MONDAY).reason == OUTSIDE


def test_mondays_prompt_is_never_sent_on_wednesday(cohort: School) -> None:
    ana_at_0745(cohort)
    cohort.tick(local(NY, 2026, 12, 2, 7, 45))
    [sent] = prompts_to(cohort, "u-ana")
    assert sent.message.delivery_key == f"delivery:{the_delivery(cohort, 'u-ana', WEDNESDAY).id}"
    assert the_delivery(cohort, "u-ana", MONDAY).status == "missed"


def test_a_transient_failure_is_retried_after_a_backoff(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    cohort.chat.fail_next.append(SendError("platform error 502"))
    cohort.tick(MONDAY_0745_NY)
    assert prompts_to(cohort, "u-ana") == []
    assert cohort.container.store.get_delivery(delivery.id).status == "planned"
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=BACKOFF / 2 - 0.01))
    assert prompts_to(cohort, "u-ana") == [], "no retry before half the first back-off"
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=BACKOFF))
    assert len(prompts_to(cohort, "u-ana")) == 1
    assert outcomes(cohort, delivery) == ["retry", "sent"]


def test_a_rate_limited_send_waits_exactly_for_retry_after(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    cohort.chat.fail_next.append(SendError("rate limited", retry_after=90))
    cohort.tick(MONDAY_0745_NY)
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=89))
    assert prompts_to(cohort, "u-ana") == []
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=90))
    assert len(prompts_to(cohort, "u-ana")) == 1
    assert outcomes(cohort, delivery) == ["rate-limited", "sent"]


def test_a_rate_limit_holds_every_send_to_that_workspace(cohort: School) -> None:
    cohort.say("u-admin", "cohort add fall7 @u-other")
    cohort.container.worker.dispatcher.per_workspace = 1
    ana_at_0745(cohort)
    cohort.chat.fail_next.append(SendError("rate limited", retry_after=60))
    cohort.tick(MONDAY_0745_NY)
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=59))
    assert prompts_to(cohort, "u-ana") + prompts_to(cohort, "u-other") == []
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=60))
    assert len(prompts_to(cohort, "u-ana")) == len(prompts_to(cohort, "u-other")) == 1


def test_a_permanent_failure_is_marked_with_its_reason_and_not_retried(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    cohort.chat.fail_next.append(SendError("user not found", permanent=True))
    cohort.tick(MONDAY_0745_NY)
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=30))
    failed = cohort.container.store.get_delivery(delivery.id)
    assert (failed.status, failed.reason) == ("failed", "user not found")
    assert prompts_to(cohort, "u-ana") == [] and outcomes(cohort, delivery) == ["permanent"]


def test_errors_give_up_after_the_attempt_budget(cohort: School) -> None:
    cohort.container.worker.dispatcher.policy = RetryPolicy(max_attempts=2, base=1, cap=1)
    delivery = ana_at_0745(cohort)
    cohort.chat.fail_next += [SendError("platform error 500"), SendError("platform error 500")]
    cohort.tick(MONDAY_0745_NY)
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=1))
    cohort.tick(MONDAY_0745_NY + timedelta(seconds=2))
    failed = cohort.container.store.get_delivery(delivery.id)
    assert (failed.status, failed.reason) == ("failed", "gave up: platform error 500")
    assert outcomes(cohort, delivery) == ["retry", "retry"]


def test_rate_limits_do_not_use_up_the_error_budget(cohort: School) -> None:
    cohort.container.worker.dispatcher.policy = RetryPolicy(max_attempts=1)
    delivery = ana_at_0745(cohort)
    cohort.chat.fail_next += [SendError("rate limited", retry_after=1) for _ in range(3)]
    for second in range(4):
        cohort.tick(MONDAY_0745_NY + timedelta(seconds=second))
    assert len(prompts_to(cohort, "u-ana")) == 1
    assert outcomes(cohort, delivery) == ["rate-limited"] * 3 + ["sent"]


def test_every_attempt_is_recorded_in_order_with_its_detail(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    cohort.chat.fail_next += [SendError("platform error 503"), SendError("rate limited", retry_after=5)]
    for seconds in (0, 10, 20):
        cohort.tick(MONDAY_0745_NY + timedelta(seconds=seconds))
    attempts = cohort.container.store.attempts_of(delivery.id)
    assert [(outcome, detail) for _, outcome, detail in attempts] == [
        ("retry", "platform error 503"), ("rate-limited", "rate limited"), ("sent", "")]
    assert [at for at, _, _ in attempts] == sorted(at for at, _, _ in attempts)


def test_a_crashed_workers_claim_is_taken_over_once_its_lease_ends(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    store = cohort.container.store
    [claimed] = store.claim_due(MONDAY_0745_NY, "crashed:1", LEASE, 10)
    assert claimed.id == delivery.id
    cohort.tick(MONDAY_0745_NY + LEASE - timedelta(seconds=1))
    assert prompts_to(cohort, "u-ana") == []
    cohort.tick(MONDAY_0745_NY + LEASE + timedelta(seconds=1))
    sent = store.get_delivery(delivery.id)
    assert len(prompts_to(cohort, "u-ana")) == 1
    assert (sent.status, sent.claimed_by, sent.attempts) == ("sent", cohort.container.worker.dispatcher.worker_id, 2)


def _crashed_after_posting(school: School, delivery_id: int) -> None:
    """A worker claims the delivery, the platform accepts its message, and the worker dies
    before recording it."""
    school.container.store.claim_due(MONDAY_0745_NY, "crashed:1", LEASE, 10)
    prompt = school.container.prompts.get(school.container.store.get_delivery(delivery_id).prompt_id)
    ana = school.container.service.directory.address(school.person("u-ana"))
    asyncio.run(school.chat.send(ana, cards.prompt_message(delivery_id, prompt, "Coach Kim", False)))


def test_a_message_found_on_the_platform_after_a_lapsed_claim_is_not_sent_again(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    _crashed_after_posting(cohort, delivery.id)
    cohort.tick(MONDAY_0745_NY + LEASE + timedelta(seconds=1))
    [posted] = prompts_to(cohort, "u-ana")
    recorded = cohort.container.store.get_delivery(delivery.id)
    assert (recorded.status, recorded.message_id) == ("sent", posted.ref.message_id)
    assert outcomes(cohort, delivery) == ["found"]


def test_a_port_that_cannot_look_up_sends_again_after_a_lapsed_claim(cohort: School) -> None:
    """The contract's Teams caveat: without a lookup, a crash mid-send can mean one duplicate."""
    cohort.chat.can_find_sent = False
    delivery = ana_at_0745(cohort)
    _crashed_after_posting(cohort, delivery.id)
    cohort.tick(MONDAY_0745_NY + LEASE + timedelta(seconds=1))
    assert len(prompts_to(cohort, "u-ana")) == 2
    assert outcomes(cohort, delivery) == ["sent"]


def test_a_due_prompt_to_a_teacher_who_stopped_is_cancelled(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    cohort.container.store.update_person(cohort.person("u-ana").id, status="stopped")
    cohort.tick(MONDAY_0745_NY)
    assert prompts_to(cohort, "u-ana") == []
    assert cohort.container.store.get_delivery(delivery.id).status == "cancelled"


def test_deliveries_in_a_workspace_that_removed_the_app_fail_with_a_reason(cohort: School) -> None:
    delivery = ana_at_0745(cohort)
    store = cohort.container.store
    store.update_workspace(cohort.person("u-ana").workspace_id, active=False)
    cohort.tick(MONDAY_0745_NY)
    failed = store.get_delivery(delivery.id)
    assert (failed.status, failed.reason) == ("failed", "the workspace is gone or removed the app")
    assert [d.status for d in deliveries(cohort, "u-ana") if d.local_date == MONDAY] == ["failed"]
