"""What ``POST /slack/events`` checks before bolt sees a request (pure functions).

Bolt answers 500 to some signed bodies it cannot parse, and slack_sdk's signature check raises
on bodies that are not UTF-8, so the endpoint decides first: a request without a valid, fresh
signature is 401; a signed body that is not a well-formed Slack payload is 400. Only what passes
both goes on to bolt (which checks the signature again, as it always does).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class Rejection:
    status: int
    reason: str


def signature_ok(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> bool:
    """Slack's v0 signature over the raw body, no more than five minutes old."""
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    given = headers.get("X-Slack-Signature", "")
    if not stamp.isdigit() or not given.startswith("v0="):
        return False
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return False
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode())


def is_ssl_check(body: bytes, content_type: str) -> bool:
    """Slack's certificate check, which it may send unsigned; it reads and changes nothing."""
    if content_type != "application/x-www-form-urlencoded":
        return False
    try:
        return dict(parse_qsl(body.decode("utf-8"))).get("ssl_check") == "1"
    except UnicodeDecodeError:
        return False


def body_problem(body: bytes, content_type: str) -> str | None:
    """Why a signed body is not one bolt can handle, or ``None`` when it is."""
    return checked_body(body, content_type)[0]


def checked_body(body: bytes, content_type: str) -> tuple[str | None, dict[str, Any] | None]:
    """:func:`body_problem`, and a JSON body's payload once it passes (parsed once, for the
    route's hot path); the payload is None for forms."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8", None
    if content_type == "application/json":
        data = _load(text)
        problem = _json_problem(data)
        return problem, data if problem is None else None
    if content_type == "application/x-www-form-urlencoded":
        return _form_problem(text), None
    return "unsupported content type", None


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _json_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return "not a Slack JSON payload"
    match data["type"]:
        case "url_verification":
            return None if isinstance(data.get("challenge"), str) else "url_verification without a challenge"
        case "event_callback":
            event = data.get("event")
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):
                return "event_callback without an event"
            if not isinstance(data.get("event_id"), str):
                return "event_callback without an event_id"
    return None


def _form_problem(text: str) -> str | None:
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        return "not a form body"
    if "payload" in fields:
        return _interaction_problem(_load(fields["payload"]))
    if "ssl_check" in fields:
        return None
    if not all(fields.get(k) for k in ("command", "user_id", "team_id", "trigger_id")):
        return "neither a slash command nor an interaction"
    return None


def _interaction_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        return "payload is not a Slack interaction"
    user = payload.get("user")
    if payload["type"] in ("block_actions", "view_submission") and not (isinstance(user, dict) and user.get("id")):
        return "interaction without a user"
    if payload["type"] == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions or not all(
                isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions):
            return "block_actions without actions"
    if payload["type"] == "view_submission":
        view = payload.get("view")
        if not isinstance(view, dict) or not isinstance((view.get("state") or {}).get("values", {}), dict):
            return "view_submission without a view"
    return None
