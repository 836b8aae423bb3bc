"""Events recorded before the platform is answered (Slack messages): handled right after, once;
and if the process stops before handling one, the next tick handles it — nothing a teacher
wrote is dropped."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.messages import Address, Inbound
from bot.intake import Intake
from conftest_loop import MONDAY_0745_NY, School


def _reply(school: School, text: str, event: str = "Ev1") -> Inbound:
    prompt = [s for s in school.chat.to("u-ana") if s.message.delivery_key][0]
    return Inbound(kind="message", sender=Address("playground", "demo", user="u-ana"), dedupe_key=event,
                   text=text, message_id=f"m-{event}", in_thread_of=prompt.ref.message_id)


def _replies(school: School) -> list[str]:
    return [r.text for r in school.container.store.replies_of(school.person("u-ana").id)]


def test_a_received_event_is_handled_once(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    service = cohort.container.service
    [received] = service.receive([_reply(cohort, "Think time worked.")])
    assert received is not None and _replies(cohort) == []
    first, again = service.handle_received(received), service.handle_received(received)
    assert first.handled and "Only Coach Kim sees your replies" in first.notices[0]
    assert not again.handled
    assert _replies(cohort) == ["Think time worked."]


def test_the_same_event_received_twice_is_recorded_once(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    service = cohort.container.service
    first, retried_at_once = service.receive([_reply(cohort, "Think time worked.")] * 2)
    assert first is not None and retried_at_once is None
    assert service.receive([_reply(cohort, "Think time worked.")]) == [None]


def test_events_received_together_are_each_recorded(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    service = cohort.container.service
    ids = service.receive([_reply(cohort, f"Thought {n}.", event=f"Ev{n}") for n in range(5)])
    assert len(set(ids)) == 5 and None not in ids
    assert [service.handle_received(i).handled for i in ids] == [True] * 5


def test_a_request_given_up_while_its_event_is_recorded_holds_back_none_recorded_with_it(cohort: School) -> None:
    """Its event is recorded all the same, and a tick handles it: nothing the teacher wrote is lost."""
    cohort.tick(MONDAY_0745_NY)
    intake = Intake(cohort.container.service)

    async def main() -> list[object]:
        calls = [asyncio.create_task(intake.receive(_reply(cohort, f"Thought {n}.", event=f"Ev{n}")))
                 for n in range(3)]
        await asyncio.sleep(0)  # all three wait on one insert, under way
        calls[1].cancel()
        return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 5)

    first, given_up, third = asyncio.run(main())
    assert isinstance(first, int) and isinstance(third, int) and type(given_up).__name__ == "CancelledError"
    assert len(cohort.container.store.inbound_waiting(cohort.clock.now() + timedelta(minutes=1), 10)) == 3


def test_an_event_left_waiting_by_a_stopped_process_is_handled_by_a_later_tick(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.clock.set(MONDAY_0745_NY + timedelta(minutes=5))
    cohort.container.service.receive([_reply(cohort, "Cold-calling felt calmer with think time.")])
    assert cohort.tick(MONDAY_0745_NY + timedelta(minutes=5, seconds=10)).received == 0, "the receiver has time"
    report = cohort.tick(MONDAY_0745_NY + timedelta(minutes=6))
    assert report.received == 1 and report.drafted == 1
    assert _replies(cohort) == ["Cold-calling felt calmer with think time."]
    assert any("Cold-calling felt calmer" in s.message.text for s in cohort.chat.to("u-coach"))


def test_the_teacher_is_told_who_sees_a_reply_a_later_tick_handled(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.clock.set(MONDAY_0745_NY + timedelta(minutes=5))
    reply = _reply(cohort, "Cold-calling felt calmer with think time.")
    cohort.container.service.receive([reply])
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=6))
    [(where, text)] = [(to, text) for to, text in cohort.chat.told if to.user == "u-ana"]
    assert "Only Coach Kim sees your replies" in text
    assert where.thread == reply.in_thread_of
