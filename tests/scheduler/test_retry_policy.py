"""The retry policy, as pure rules: back-off doubles with each error within its jitter, never
passes its cap, never comes before Retry-After; errors and rate limits have separate budgets; a
short lease makes every wait short."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.retry import RetryPolicy

LOW, HIGH = (lambda: 0.0), (lambda: 0.999999)


@pytest.mark.parametrize(("errors", "seconds"), [(1, 2), (2, 4), (3, 8), (4, 16)])
def test_back_off_doubles_with_each_error_within_half_to_all_of_it(errors: int, seconds: float) -> None:
    low = RetryPolicy(base=2, jitter=LOW).delay(errors)
    high = RetryPolicy(base=2, jitter=HIGH).delay(errors)
    assert low == timedelta(seconds=seconds / 2)
    assert timedelta(seconds=seconds / 2) < high < timedelta(seconds=seconds)


def test_back_off_never_passes_its_cap() -> None:
    assert RetryPolicy(base=2, cap=60, jitter=HIGH).delay(30) < timedelta(seconds=60)


def test_a_retry_never_comes_before_retry_after() -> None:
    assert RetryPolicy(base=2, jitter=HIGH).delay(1, retry_after=45) == timedelta(seconds=45)


def test_errors_give_up_at_the_attempt_budget() -> None:
    policy = RetryPolicy(max_attempts=5, max_deferrals=20)
    assert not policy.gives_up(errors=4, deferrals=0)
    assert policy.gives_up(errors=5, deferrals=0)


def test_rate_limits_have_a_budget_of_their_own() -> None:
    policy = RetryPolicy(max_attempts=5, max_deferrals=20)
    assert not policy.gives_up(errors=0, deferrals=20)
    assert policy.gives_up(errors=0, deferrals=21)


@pytest.mark.parametrize(("lease", "base", "cap"), [(120, 2, 600), (2, 2 / 60, 10)])
def test_back_offs_scale_with_the_lease_so_tests_wait_milliseconds(lease: float, base: float, cap: float) -> None:
    policy = RetryPolicy.for_lease(timedelta(seconds=lease))
    assert (policy.base, policy.cap) == pytest.approx((base, cap))
