"""Fixtures for the drafters: the name book, a fake OpenAI-compatible server, and an
``OpenAIDrafter`` pointed at it with short timeouts and retry waits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import openai
import pytest

from bot.clock import FixedClock
from bot.drafting.breaker import CircuitBreaker
from bot.drafting.names import NameBook
from bot.drafting.openai_drafter import OpenAIDrafter, RetryPolicy
from bot.drafting.privacy import PrivacyGuard, PrivateNames
from fake_openai import FakeOpenAI, fake_openai
from llm_support import COOL_DOWN, TIMEOUT


@pytest.fixture(scope="session")
def book() -> NameBook:
    return NameBook.from_faker()


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with fake_openai() as server:
        yield server


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 30, 13, 0, tzinfo=timezone.utc))


@pytest.fixture
def make_drafter(fake: FakeOpenAI, clock: FixedClock, book: NameBook) -> Callable[..., OpenAIDrafter]:
    def make(private: PrivateNames = PrivateNames(), attempts: int = 2, failures_to_open: int = 3) -> OpenAIDrafter:
        client = openai.OpenAI(base_url=fake.url, api_key="test-key", timeout=TIMEOUT, max_retries=0)
        return OpenAIDrafter(client=client, model="fake-model", guard=PrivacyGuard(book, lambda: private),
                             breaker=CircuitBreaker(clock, failures_to_open, COOL_DOWN),
                             retry=RetryPolicy(attempts=attempts, first_wait=0.01, max_wait=0.2))
    return make


@pytest.fixture
def drafter(make_drafter: Callable[..., OpenAIDrafter]) -> OpenAIDrafter:
    return make_drafter()
