"""What a Bot Connector refusal means for the core: retry later, or give up on this person.

Teams throttles with 429 (honour ``Retry-After``), and answers 412, 502, 504 and other 5xx when
it is briefly unwell: those are retried (the dispatcher adds back-off with jitter). A user who
blocked the bot answers 403 ``MessageWritesBlocked``; that and other 4xx are permanent.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from bot.core.ports import SendError

BLOCKED = "MessageWritesBlocked"
TRANSIENT_4XX = frozenset({408, 412, 429})
UNREACHABLE_STATUSES = frozenset({403, 404})
MAX_RETRY_AFTER = 3600.0


class Unreachable(SendError):
    """The person cannot be reached at all (blocked the bot, removed the app, no chat with
    them yet), not merely refused one message."""

    def __init__(self, reason: str):
        super().__init__(reason, permanent=True)


def send_error(status: int, headers: Mapping[str, str], body: str, *, now: datetime | None = None) -> SendError:
    code = error_code(body)
    retry_after = parse_retry_after(headers.get("Retry-After"), now=now)
    detail = f"Teams answered {status}" + (f" {code}" if code else "")
    if status == 429:
        return SendError(f"{detail} (rate limited)", retry_after=retry_after if retry_after is not None else 1.0)
    if status in TRANSIENT_4XX or status >= 500:
        return SendError(detail, retry_after=retry_after)
    if status == 403 and code == BLOCKED:
        return Unreachable(f"{detail}: the person blocked the bot")
    if status in UNREACHABLE_STATUSES:
        return Unreachable(detail)
    return SendError(detail, permanent=True)


def error_code(body: str) -> str:
    """The connector's ``{"error": {"code": …}}``, or empty."""
    try:
        data = json.loads(body) if body else None
    except ValueError:
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else ""


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait: ``Retry-After`` as seconds or as an HTTP date, at most an hour; ``None``
    when absent or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)
