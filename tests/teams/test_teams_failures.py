"""What the Bot Connector's refusals mean: retry later (429 after Retry-After; 412, 5xx), or give
up on this person (403 MessageWritesBlocked and other 4xx)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from bot.adapters.teams.failures import Unreachable, error_code, parse_retry_after, send_error

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def body(code: str) -> str:
    return json.dumps({"error": {"code": code, "message": "m"}})


def test_429_is_retried_after_the_retry_after_seconds() -> None:
    error = send_error(429, {"Retry-After": "12"}, body("Throttled"))
    assert (error.permanent, error.retry_after) == (False, 12.0)


def test_429_without_retry_after_still_waits_a_little() -> None:
    assert send_error(429, {}, "").retry_after == 1.0


@pytest.mark.parametrize("status", [408, 412, 500, 502, 503, 504])
def test_transient_statuses_are_retried(status: int) -> None:
    error = send_error(status, {}, body("Busy"))
    assert not error.permanent and str(status) in error.reason


def test_a_blocked_bot_is_permanent_and_means_unreachable() -> None:
    error = send_error(403, {}, body("MessageWritesBlocked"))
    assert isinstance(error, Unreachable) and error.permanent
    assert "blocked" in error.reason


@pytest.mark.parametrize("status", [403, 404])
def test_forbidden_and_gone_mean_unreachable(status: int) -> None:
    assert isinstance(send_error(status, {}, body("BotNotInConversationRoster")), Unreachable)


def test_a_bad_request_is_permanent_but_not_about_the_person() -> None:
    error = send_error(400, {}, body("BadSyntax"))
    assert error.permanent and not isinstance(error, Unreachable)


@pytest.mark.parametrize(("value", "seconds"), [("5", 5.0), ("0.5", 0.5), ("-3", 0.0), ("99999", 3600.0),
                                                ("Mon, 30 Nov 2026 12:00:30 GMT", 30.0), ("soon", None),
                                                ("inf", None), ("nan", None), (None, None)])
def test_retry_after_is_read_as_seconds_or_a_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize("text", ["", "not json", "[]", '{"error": "x"}', '{"error": {"code": 5}}'])
def test_an_unreadable_error_body_has_no_code(text: str) -> None:
    assert error_code(text) == ""
