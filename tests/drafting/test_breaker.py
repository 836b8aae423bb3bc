"""The circuit breaker, on a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.clock import FixedClock
from bot.drafting.breaker import CircuitBreaker

COOL = timedelta(seconds=60)


@pytest.fixture
def breaker() -> CircuitBreaker:
    return CircuitBreaker(FixedClock(datetime(2026, 11, 30, tzinfo=timezone.utc)), failures_to_open=3, cool_down=COOL)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.failed()


def test_it_stays_closed_below_the_threshold(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    assert breaker.state == "closed" and breaker.allow()


def test_a_success_resets_the_count(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.succeeded()
    fail(breaker, 2)
    assert breaker.state == "closed"


def test_it_opens_at_the_threshold_and_refuses_calls(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    assert breaker.state == "open" and not breaker.allow()


def test_after_the_cool_down_exactly_one_trial_call_goes(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    breaker.clock.advance(COOL)
    assert [breaker.allow() for _ in range(3)] == [True, False, False]


def test_a_successful_trial_closes_it(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    breaker.clock.advance(COOL)
    breaker.allow()
    breaker.succeeded()
    assert breaker.state == "closed" and breaker.allow()


def test_a_failed_trial_opens_it_for_another_cool_down(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    breaker.clock.advance(COOL)
    fail(breaker, 1)
    breaker.clock.advance(COOL / 2)
    assert breaker.state == "open" and not breaker.allow()
