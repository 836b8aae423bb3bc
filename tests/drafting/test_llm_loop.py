"""The coaching loop with the LLM drafter against the fake OpenAI server: built by the
composition root, driven as the playground's people would drive it."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from bot.clock import FixedClock
from bot.container import build
from bot.core import cards
from bot.core.drafting import Drafting
from bot.core.messages import Address, Inbound, Outbound
from bot.drafting.openai_drafter import OpenAIDrafter
from bot.drafting.output_checks import check_output
from bot.drafting.prompting import INSTRUCTIONS
from bot.drafting.usage import UsageMeter
from bot.intake import Intake
from bot.settings import load_settings
from conftest_loop import MONDAY_0745_NY, School
from fake_openai import FakeOpenAI, answer, echo_placeholders, slow, status
from fakes import RecordingChat
from llm_support import load_fixture

INJECTIONS = load_fixture("injection.yaml")["replies"]
MINUTE = timedelta(minutes=1)


@pytest.fixture
def school(sqlite_url: str, fake: FakeOpenAI, clock: FixedClock,
           make_drafter: Callable[..., OpenAIDrafter]) -> Iterator[School]:
    """A cohort (coach Kim, teachers Ana and Ben) whose workspace drafts with the fake model."""
    chat = RecordingChat()
    settings = load_settings(DATABASE_URL=sqlite_url, MICROCOACH_ADMINS="playground:u-admin", OPENAI_BASE_URL=fake.url)
    container = build(settings, clock=clock, chats={"playground": chat}, llm=make_drafter())
    store = container.store
    ws = store.ensure_workspace("playground", "demo", "Demo", at=clock.now())
    for user, name in (("u-admin", "Dana"), ("u-coach", "Coach Kim"), ("u-ana", "Ana Lopez"), ("u-ben", "Ben Carter")):
        store.ensure_person(ws.id, user, display_name=name, tz="America/New_York", at=clock.now())
    school = School(container, chat, clock, itertools.count(1))
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach",
                 "cadence set fall7 mon,wed 07:45", "cohort add fall7 @u-ana @u-ben"):
        assert not school.say("u-admin", line).refused
    school.tick(MONDAY_0745_NY)
    yield school
    container.close()


def reply(school: School, user: str, text: str) -> None:
    school.say(user, text)
    school.tick(school.clock.now() + MINUTE)


def cards_to(school: School, user: str) -> list[Outbound]:
    return [s.message for s in school.chat.to(user) if any(b.action_id == cards.APPROVE for b in s.message.buttons)]


def written_by(card: Outbound) -> str:
    return dict(card.sections[-1].facts)["Written by"]


def test_the_card_carries_the_models_draft_with_names_restored(school: School, fake: FakeOpenAI) -> None:
    fake.default = echo_placeholders()
    reply(school, "u-ana", "Jayden finally raised his hand after the pause.")
    [card] = cards_to(school, "u-coach")
    assert written_by(card) == "Drafted by AI (fake-model)"
    assert "Hi Ana!" in card.sections[-1].text and "Jayden" in card.sections[-1].text
    sent = " ".join(fake.contents())
    assert [s for s in ("Jayden", "Ana", "Lopez", "Kim") if re.search(rf"\b{s}\b", sent)] == []


def test_when_the_model_fails_the_card_carries_the_offline_draft_and_says_so(school: School, fake: FakeOpenAI) -> None:
    fake.default = status(500)
    reply(school, "u-ana", "We tried the pause and it felt long.")
    [card] = cards_to(school, "u-coach")
    assert written_by(card) == "Drafted offline by MicroCoach's rules" and card.sections[-1].text
    assert fake.requests


def test_a_safeguarding_reply_never_reaches_the_model(school: School, fake: FakeOpenAI) -> None:
    reply(school, "u-ana", "A student told me her dad hits her when he drinks.")
    assert fake.requests == [] and cards_to(school, "u-coach") == []


def test_a_concern_added_to_a_reply_later_that_day_is_never_sent(school: School, fake: FakeOpenAI) -> None:
    reply(school, "u-ana", "First thought: wait time helped.")
    reply(school, "u-ana", "Also a boy in 3rd period said he'll bring a gun tomorrow.")
    reply(school, "u-ana", "Anyway, I will try the pause again Wednesday.")
    assert not any("gun" in text for text in fake.contents())
    assert len(fake.requests) == 1


def test_a_reply_edited_into_a_concern_is_never_sent_to_the_model(school: School, fake: FakeOpenAI) -> None:
    school.say("u-ana", "We tried the pause today.", message_id="ana-1")
    school.say("u-ana", "A boy in 3rd period said he'll bring a gun tomorrow.", kind="edit", message_id="ana-1")
    school.tick(school.clock.now() + MINUTE)
    assert fake.requests == [] and cards_to(school, "u-coach") == []


def test_a_reply_edited_into_a_concern_while_with_the_model_gets_no_draft(school: School, fake: FakeOpenAI) -> None:
    fake.default = slow(0.3, answer("Hi [TEACHER]! Thanks for trying it. What did you notice?"))
    school.say("u-ana", "We tried the pause today.", message_id="ana-1")
    first = threading.Thread(target=school.container.service.drafting.run)
    first.start()
    _until(lambda: len(fake.requests) == 1)
    school.say("u-ana", "A boy in 3rd period said he'll bring a gun tomorrow.", kind="edit", message_id="ana-1")
    first.join()
    school.tick(school.clock.now() + MINUTE)
    assert len(fake.requests) == 1 and not any("gun" in text for text in fake.contents())
    assert cards_to(school, "u-coach") == [] and school.container.store.pending_drafts() == []


def test_a_teacher_with_ai_off_gets_offline_drafts_and_no_model_call(school: School, fake: FakeOpenAI) -> None:
    assert not school.say("u-ana", "ai off").refused
    reply(school, "u-ana", "We tried it in second period.")
    [card] = cards_to(school, "u-coach")
    assert written_by(card) == "Drafted offline by MicroCoach's rules" and fake.requests == []


def test_the_coachs_voice_and_the_teachers_goal_reach_the_model(school: School, fake: FakeOpenAI) -> None:
    store = school.container.store
    store.update_person(school.person("u-coach").id, voice="Brief, playful, always curious about Priya's class.")
    reply(school, "u-ana", "It went fine.")
    data = _data(fake.requests[-1])
    assert data["coach_voice"] == "Brief, playful, always curious about [NAME_1]'s class."


def test_earlier_exchanges_reach_the_model(school: School, fake: FakeOpenAI) -> None:
    reply(school, "u-ana", "Monday: Mateo answered after the pause.")
    school.tick(MONDAY_0745_NY + timedelta(days=2))
    reply(school, "u-ana", "Wednesday: it worked again.")
    [exchange] = _data(fake.requests[-1])["earlier_exchanges"]
    assert exchange["teacher_reply"] == "Monday: [NAME_1] answered after the pause."


@pytest.mark.parametrize("case", INJECTIONS, ids=[c["text"][:40] for c in INJECTIONS])
def test_an_injection_changes_nothing_about_who_gets_the_draft_or_what_it_may_say(
        school: School, fake: FakeOpenAI, case: dict) -> None:
    fake.default = answer(case["model_says"])
    reply(school, "u-ana", case["text"])
    [card] = cards_to(school, "u-coach")
    draft = school.container.store.get_draft(int(card.buttons[0].value))
    assert draft.status == "pending" and check_output(draft.text, frozenset()) == []
    assert [s.to.user for s in school.chat.sent if any(b.action_id == cards.APPROVE for b in s.message.buttons)] == [
        "u-coach"]
    assert not [s for s in school.chat.to("u-ana") if "— Coach Kim" in s.message.text]
    system, user = fake.requests[-1]["messages"]
    assert system == {"role": "system", "content": INSTRUCTIONS} and user["role"] == "user"


def test_usage_is_recorded_per_workspace(school: School, fake: FakeOpenAI, usage: UsageMeter) -> None:
    fake.default = answer("Hi [TEACHER]! That pause sounds promising. What did you notice?", prompt_tokens=400,
                          completion_tokens=50)
    reply(school, "u-ana", "We tried it.")
    workspace_id = school.person("u-ana").workspace_id
    assert usage.records.calls == [(workspace_id, "fake-model", 400, 50)]
    assert usage.records.llm_cost_of_month(workspace_id, "2026-11") == pytest.approx(400 * 0.15e-6 + 50 * 0.6e-6)


def test_a_workspace_past_its_cap_drafts_offline_and_its_admins_are_told_once(
        school: School, fake: FakeOpenAI, usage: UsageMeter) -> None:
    usage.monthly_cap_usd = 0.0
    reply(school, "u-ana", "We tried it.")
    reply(school, "u-ben", "Not yet.")
    assert fake.requests == []
    assert [written_by(c) for c in cards_to(school, "u-coach")] == ["Drafted offline by MicroCoach's rules"] * 2
    notices = [s for s in school.chat.to("u-admin") if "budget" in s.message.text]
    assert len(notices) == 1


def test_model_calls_run_concurrently_up_to_the_limit(school: School, fake: FakeOpenAI) -> None:
    gauge = _Gauge()
    fake.default = gauge.wrap(slow(0.3, answer("Hi [TEACHER]! Thanks for trying it. What did you notice?")))
    service = school.container.service
    service.drafting = drafting = Drafting(service.store, service.directory, school.container.prompts,
                                           service.drafting.offline, service.drafting.llm, clock=school.clock,
                                           concurrency=4)
    teachers = _more_teachers(school, 11)
    for user in teachers:
        school.say(user, "We tried the pause today.")
    started = time.perf_counter()
    assert drafting.run() == len(teachers) == 12
    assert time.perf_counter() - started < 12 * 0.3 / 2 and gauge.most == 4


def test_replies_waiting_together_are_drafted_together(school: School, fake: FakeOpenAI) -> None:
    gauge = _Gauge()
    fake.default = gauge.wrap(slow(0.3, answer("Hi [TEACHER]! Thanks for trying it. What did you notice?")))
    teachers = _more_teachers(school, 11)
    for user in teachers:
        school.say(user, "We tried the pause today.")
    started = time.perf_counter()
    assert school.container.service.drafting.run() == 12
    assert gauge.most == 12 and time.perf_counter() - started < 2 * 0.3


def test_what_a_batch_of_drafts_needs_is_read_in_six_queries_whatever_its_size(school: School) -> None:
    store, now = school.container.store, school.clock.now()
    teachers = _more_teachers(school, 11)
    for user in teachers:
        school.say(user, "We tried the pause today.")
    claimed = store.claim_replies_to_draft(now, "test:1", now + MINUTE, 100)
    statements: list[str] = []
    event.listen(school.container.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement.split()[0].upper()))
    jobs = school.container.service.drafting.jobs.prepare(claimed, now)
    assert len(claimed) == 12 and all(job is not None for job in jobs.values())
    assert {job.coach.external_id for job in jobs.values()} == {"u-coach"}
    assert statements.count("SELECT") == 6, statements


def test_drafts_that_finish_together_are_stored_together(school: School, fake: FakeOpenAI) -> None:
    """Twelve drafts the model returns at the same moment take a few transactions, not twelve."""
    async def together(body: dict):  # noqa: ANN202
        while fake.requests and len(fake.requests) < 12:
            await asyncio.sleep(0.01)
        return await answer("Hi [TEACHER]! Thanks for trying it. What did you notice?")(body)

    fake.default = together
    teachers = _more_teachers(school, 11)
    for user in teachers:
        school.say(user, "We tried the pause today.")
    drafting = school.container.service.drafting
    stored: list[int] = []
    drafting.on_card = lambda: stored.append(1)
    assert drafting.run() == 12 and 1 <= len(stored) <= 6


def test_a_reply_arriving_mid_pass_is_drafted_without_waiting_for_the_models_in_flight(
        school: School, fake: FakeOpenAI) -> None:
    fake.default = slow(0.35, answer("Hi [TEACHER]! Thanks for trying it. What did you notice?"))
    drafting = school.container.service.drafting
    school.say("u-ana", "We tried the pause today.")
    first = threading.Thread(target=drafting.run)
    first.start()
    _until(lambda: len(fake.requests) == 1)
    school.say("u-ben", "We tried it too.")
    drafting.start()
    _until(lambda: len(fake.requests) == 2, within=0.25)
    first.join()


def test_a_pass_asked_for_while_one_runs_returns_at_once_and_the_running_pass_takes_the_work(
        school: School, fake: FakeOpenAI) -> None:
    fake.default = slow(0.3, answer("Hi [TEACHER]! Thanks for trying it. What did you notice?"))
    drafting = school.container.service.drafting
    school.say("u-ana", "We tried the pause today.")
    first = threading.Thread(target=drafting.run)
    first.start()
    time.sleep(0.1)
    school.say("u-ben", "We tried it too.")
    started = time.perf_counter()
    assert drafting.run() == 0 and time.perf_counter() - started < 0.1
    first.join()
    assert len(cards_to(school, "u-coach")) == 0 and len(fake.requests) == 2
    school.tick()
    assert len(cards_to(school, "u-coach")) == 2


def test_a_card_goes_out_as_soon_as_its_draft_is_stored_while_the_pass_drafts_on(
        school: School, fake: FakeOpenAI) -> None:
    """Ana's card is sent while Ben's draft is still with the model: the tick does not wait for
    the whole pass before sending."""
    anas_card_was_out: list[bool] = []

    async def respond(body: dict):  # noqa: ANN202
        if "exit tickets" in body["messages"][-1]["content"]:
            for _ in range(100):
                if cards_to(school, "u-coach"):
                    break
                await asyncio.sleep(0.05)
            anas_card_was_out.append(bool(cards_to(school, "u-coach")))
        return await answer("Hi [TEACHER]! Thanks for trying it. What did you notice?")(body)

    fake.default = respond
    school.say("u-ana", "We tried the pause today.")
    school.say("u-ben", "We tried exit tickets today.")
    report = school.tick()
    assert anas_card_was_out == [True] and len(cards_to(school, "u-coach")) == 2
    assert report.drafted == 2 and report.outbox == 2


def test_with_the_embedded_scheduler_a_reply_reaches_its_coach_without_waiting_for_a_tick(
        school: School, fake: FakeOpenAI) -> None:
    """What ``serve`` wires: the intake answers the reply, then drafting starts and the card goes
    out as soon as the draft is stored."""
    fake.default = slow(0.2, answer("Hi [TEACHER]! Thanks for trying it. What did you notice?"))
    intake = Intake(school.container.service, school.container.worker.after_inbound)
    reply = Inbound(kind="message", sender=Address("playground", "demo", user="u-ana"), dedupe_key="r1",
                    text="We tried the pause today.", message_id="r1")

    async def reply_and_wait() -> float:
        started = time.perf_counter()
        assert (await intake(reply)).notices
        while not cards_to(school, "u-coach") and time.perf_counter() - started < 5:
            await asyncio.sleep(0.01)
        return time.perf_counter() - started

    assert asyncio.run(reply_and_wait()) < 2 and len(cards_to(school, "u-coach")) == 1


def test_a_burst_of_cards_goes_out_several_at_a_time(school: School, fake: FakeOpenAI) -> None:
    teachers = _more_teachers(school, 11)
    for user in teachers:
        school.say(user, "We tried the pause today.")
    chat, in_flight, most = school.chat, [0], [0]
    send = chat.send

    async def slow_send(to, message):  # noqa: ANN001, ANN202 — the recording fake, taking 50 ms a message
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        await asyncio.sleep(0.05)
        in_flight[0] -= 1
        return await send(to, message)

    chat.send = slow_send  # type: ignore[method-assign]
    school.tick()
    assert len(cards_to(school, "u-coach")) == 12 and 1 < most[0] <= 8


def test_a_burst_of_cards_is_rendered_in_one_transaction_and_recorded_in_a_few(school: School) -> None:
    _drafted_with_cards_waiting(school, 11)
    transactions: list[int] = []
    event.listen(school.container.engine, "commit", lambda _conn: transactions.append(1))
    sent = asyncio.run(school.container.worker.sender.send_due(school.clock.now()))
    cards = cards_to(school, "u-coach")
    assert sent == len(cards) == 12 and len({c.text.split(" replied")[0] for c in cards}) == 12
    assert len(transactions) <= 8, f"{len(transactions)} transactions for 12 cards"
    assert all(d.card_ref for d in school.container.store.pending_drafts(coach_id=school.person("u-coach").id))


def test_an_item_that_cannot_be_rendered_does_not_hold_back_the_cards_rendered_with_it(school: School) -> None:
    _drafted_with_cards_waiting(school, 3)
    store, now, coach = school.container.store, school.clock.now(), school.person("u-coach")
    store.enqueue(key="card:broken", workspace_id=coach.workspace_id, person_id=coach.id, kind="coach_card",
                  payload={}, not_before=now - MINUTE, at=now - MINUTE)
    assert asyncio.run(school.container.worker.sender.send_due(now)) == 4
    assert len(cards_to(school, "u-coach")) == 4
    assert store.outbox_item("card:broken").status == "pending"


def test_a_reply_edited_while_its_draft_is_with_the_model_gets_a_draft_of_the_new_words_only(
        school: School, fake: FakeOpenAI) -> None:
    fake.default = echo_placeholders()
    fake.then(slow(0.3, answer("Hi [TEACHER]! About the old words: what did you notice?")))
    school.say("u-ana", "We tried the pause today.", message_id="ana-1")
    first = threading.Thread(target=school.container.service.drafting.run)
    first.start()
    _until(lambda: len(fake.requests) == 1)
    school.say("u-ana", "We tried the pause with Mateo's group today.", kind="edit", message_id="ana-1")
    first.join()
    school.tick()
    [card] = cards_to(school, "u-coach")
    assert "old words" not in card.sections[-1].text and "Mateo" in card.sections[-1].text


# Helpers -------------------------------------------------------------------------------------


@pytest.fixture
def usage(school: School) -> UsageMeter:
    meter = UsageMeter(_Records())
    school.container.service.drafting.usage = meter
    return meter


class _Records:
    """Usage kept in memory, as the SQL store keeps it in production."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, int, int]] = []
        self.costs: dict[tuple[int, str], float] = {}

    def add_llm_usage(self, *, workspace_id: int, month: str, model: str, prompt_tokens: int,
                      completion_tokens: int, cost_usd: float, at: datetime, calls: int = 1) -> None:
        self.calls.append((workspace_id, model, prompt_tokens, completion_tokens))
        self.costs[(workspace_id, month)] = self.costs.get((workspace_id, month), 0.0) + cost_usd

    def llm_cost_of_month(self, workspace_id: int, month: str) -> float:
        return self.costs.get((workspace_id, month), 0.0)


class _Gauge:
    """Counts requests in flight at the fake server."""

    def __init__(self) -> None:
        self.now = self.most = 0

    def wrap(self, responder):  # noqa: ANN001, ANN202
        async def respond(body: dict):  # noqa: ANN202
            self.now += 1
            self.most = max(self.most, self.now)
            try:
                return await responder(body)
            finally:
                self.now -= 1
        return respond


def _more_teachers(school: School, count: int) -> list[str]:
    store = school.container.store
    ws = school.person("u-ana").workspace_id
    users = [f"u-t{i}" for i in range(count)]
    for user in users:
        store.ensure_person(ws, user, display_name=f"Teacher {user}", tz="America/New_York", at=school.clock.now())
    assert not school.say("u-admin", "cohort add fall7 " + " ".join(f"@{u}" for u in users)).refused
    school.say("u-coach", "send now fall7")
    school.tick()
    return ["u-ana", *users]


def _drafted_with_cards_waiting(school: School, more: int) -> None:
    """Ana and ``more`` teachers replied and were drafted for; their coach's cards wait in the outbox."""
    teachers = _more_teachers(school, more)
    for user in teachers:
        school.say(user, "We tried the pause today.")
    drafting = school.container.service.drafting
    drafting.on_card = None
    assert drafting.run() == len(teachers)


def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = time.perf_counter() + within
    while not condition():
        assert time.perf_counter() < deadline, "timed out"
        time.sleep(0.01)


def _data(body: dict) -> dict:
    user = body["messages"][-1]["content"]
    return json.loads(user[user.index("{"):])
