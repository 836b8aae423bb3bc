"""The OpenAI drafter through the real ``openai`` client, over HTTP, against a fake server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.core.drafting import DraftFailed
from bot.core.ports import DraftRequest
from bot.core.prompts import PromptItem
from bot.drafting.offline import MAX_WORDS
from bot.drafting.openai_drafter import ModelUnavailable, OpenAIDrafter
from llm_support import COOL_DOWN, TIMEOUT
from fake_openai import FakeOpenAI, answer, raw, slow, status

PROMPT = PromptItem(id="wait-time", kind="try-this", focus="questioning", level="introductory",
                    title="Wait time", text="Count to five before taking an answer. What changes?",
                    follow_up_material="Wait-time research in two pages", link="https://example.org/wait-time")
REQUEST = DraftRequest(prompt=PROMPT, reply="I waited and three quiet kids raised hands.",
                       teacher_name="Ana", coach_name="Kim Park", focus="questioning",
                       goal="more students answering", voice="Short sentences, lots of warmth.")
GOOD = "Hi [TEACHER]! Three quiet kids raising hands is worth noticing. What do you think made the difference?"


def test_a_draft_comes_back_restored_with_its_source_and_usage(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer(GOOD, prompt_tokens=310, completion_tokens=28))
    result = drafter.draft(REQUEST)
    assert result.text.startswith("Hi Ana!") and result.source == "llm:fake-model"
    assert (result.prompt_tokens, result.completion_tokens) == (310, 28)


def test_the_request_names_the_model_and_caps_the_answer(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer(GOOD))
    drafter.draft(REQUEST)
    [body] = fake.requests
    assert body["model"] == "fake-model" and body["max_tokens"] <= 300
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def test_the_reply_travels_as_quoted_json_data(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer(GOOD))
    drafter.draft(REQUEST)
    user = fake.requests[0]["messages"][1]["content"]
    data = json.loads(user[user.index("{"):])
    assert data["teacher_reply"] == REQUEST.reply
    assert data["coach_voice"] == REQUEST.voice and data["teacher_goal"] == REQUEST.goal


def test_no_teacher_or_coach_name_is_sent(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer(GOOD))
    drafter.draft(DraftRequest(prompt=PROMPT, reply="Kim, Ana here: it worked in 2nd period.",
                               teacher_name="Ana", coach_name="Kim Park"))
    sent = " ".join(fake.contents())
    assert "Ana" not in sent and "Kim" not in sent


def test_a_429_is_retried_after_its_retry_after(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(status(429, retry_after=0.05), answer(GOOD))
    assert drafter.draft(REQUEST).text.startswith("Hi Ana!")
    assert len(fake.requests) == 2


def test_a_retry_after_longer_than_the_cap_is_not_waited_for(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(status(429, retry_after=30), answer(GOOD))
    with pytest.raises(ModelUnavailable):
        drafter.draft(REQUEST)
    assert len(fake.requests) == 1


def test_a_500_is_retried_a_bounded_number_of_times(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.default = status(500)
    with pytest.raises(ModelUnavailable, match="InternalServerError"):
        drafter.draft(REQUEST)
    assert len(fake.requests) == 2


def test_a_500_then_success_gives_the_model_draft(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(status(500), answer(GOOD))
    assert drafter.draft(REQUEST).source == "llm:fake-model"


def test_a_slow_model_times_out(make_drafter: Callable[..., OpenAIDrafter], fake: FakeOpenAI) -> None:
    fake.default = slow(TIMEOUT * 3, answer(GOOD))
    with pytest.raises(ModelUnavailable, match="Timeout"):
        make_drafter(attempts=1).draft(REQUEST)


@pytest.mark.parametrize("responder", [
    raw("this is not json"),
    raw('{"id": "x", "object": "chat.completion"}'),
    answer(None),
    answer("   "),
], ids=["not-json", "no-choices", "null-content", "blank-content"])
def test_a_malformed_answer_is_a_failure(drafter: OpenAIDrafter, fake: FakeOpenAI, responder) -> None:  # noqa: ANN001
    fake.then(responder)
    with pytest.raises(ModelUnavailable):
        drafter.draft(REQUEST)


def test_an_over_long_draft_fails_its_checks_and_keeps_its_usage(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer("Thank you so much. " * MAX_WORDS + "What next?", prompt_tokens=300, completion_tokens=250))
    with pytest.raises(DraftFailed, match="checks") as failure:
        drafter.draft(REQUEST)
    assert (failure.value.prompt_tokens, failure.value.completion_tokens) == (300, 250)


def test_an_answer_cut_off_at_max_tokens_fails(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer("Hi [TEACHER]! Three quiet kids raising", finish="length"))
    with pytest.raises(DraftFailed, match="cut off"):
        drafter.draft(REQUEST)


def test_a_link_from_the_library_may_stay(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer("Hi [TEACHER]! Quiet kids spoke up. Try the two pages at https://example.org/wait-time this week."))
    assert "https://example.org/wait-time" in drafter.draft(REQUEST).text


def test_an_invented_placeholder_fails_the_checks(drafter: OpenAIDrafter, fake: FakeOpenAI) -> None:
    fake.then(answer("Hi [TEACHER]! How did [NAME_4] respond?"))
    with pytest.raises(DraftFailed, match="placeholder"):
        drafter.draft(REQUEST)


def test_repeated_failures_open_the_breaker_and_no_request_is_made_during_the_cool_down(
        drafter: OpenAIDrafter, fake: FakeOpenAI, clock: FixedClock) -> None:
    fake.default = status(500)
    for _ in range(drafter.breaker.failures_to_open):
        with pytest.raises(ModelUnavailable):
            drafter.draft(REQUEST)
    made = len(fake.requests)
    fake.default = answer(GOOD)
    for _ in range(5):
        clock.advance(COOL_DOWN / 6)
        with pytest.raises(ModelUnavailable, match="breaker"):
            drafter.draft(REQUEST)
    assert len(fake.requests) == made and drafter.breaker.state == "open"


def test_after_the_cool_down_one_trial_call_closes_the_breaker(
        drafter: OpenAIDrafter, fake: FakeOpenAI, clock: FixedClock) -> None:
    fake.default = status(500)
    for _ in range(drafter.breaker.failures_to_open):
        with pytest.raises(ModelUnavailable):
            drafter.draft(REQUEST)
    fake.default = answer(GOOD)
    clock.advance(COOL_DOWN + timedelta(seconds=1))
    assert drafter.breaker.state == "half-open"
    assert drafter.draft(REQUEST).source == "llm:fake-model"
    assert drafter.breaker.state == "closed"


def test_a_failed_trial_call_opens_the_breaker_again(drafter: OpenAIDrafter, fake: FakeOpenAI, clock: FixedClock) -> None:
    fake.default = status(500)
    for _ in range(drafter.breaker.failures_to_open):
        with pytest.raises(ModelUnavailable):
            drafter.draft(REQUEST)
    clock.advance(COOL_DOWN + timedelta(seconds=1))
    with pytest.raises(ModelUnavailable, match="InternalServerError"):
        drafter.draft(REQUEST)
    assert drafter.breaker.state == "open"
