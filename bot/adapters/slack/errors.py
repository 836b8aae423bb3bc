"""Slack's refusals as the core's :class:`SendError`: permanent when sending again cannot help
(the person is gone, the bot was removed or its token revoked), otherwise worth a retry, after
``Retry-After`` when Slack said so."""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.core.ports import SendError

PERMANENT = frozenset({
    "account_inactive", "channel_not_found", "not_in_channel", "is_archived", "user_not_found",
    "user_disabled", "cannot_dm_bot", "invalid_auth", "not_authed", "token_revoked", "token_expired",
    "team_access_not_granted", "messages_tab_disabled", "restricted_action", "ekm_access_denied",
    "no_permission", "missing_scope", "org_login_required", "team_not_found", "enterprise_is_restricted",
    "app_uninstalled", "invalid_blocks", "invalid_blocks_format", "msg_too_long", "message_not_found",
    "cant_update_message", "edit_window_closed", "invalid_metadata_format", "invalid_metadata_schema",
    "user_not_in_channel", "channel_type_not_supported",
})
DEFAULT_RETRY_AFTER = 30.0


TRANSPORT_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError)
"""What a Web API call raises when Slack or the network refuses it."""


def send_error(exc: SlackApiError | aiohttp.ClientError | asyncio.TimeoutError) -> SendError:
    """Classify an exception raised by slack_sdk (or the network under it)."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", 0)
        data = getattr(response, "data", None)
        error = str(data.get("error", "")) if isinstance(data, dict) else ""
        if status == 429 or error == "ratelimited":
            return SendError("ratelimited", retry_after=_retry_after(getattr(response, "headers", {}) or {}))
        if error in PERMANENT:
            return SendError(error, permanent=True)
        return SendError(error or f"HTTP {status}")
    return SendError(f"network: {type(exc).__name__}")


def _retry_after(headers: object) -> float:
    getter = getattr(headers, "get", None)
    raw = (getter("Retry-After") or getter("retry-after")) if getter else None
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(float(raw), 0.0) if raw is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def describe(exc: BaseException) -> str:
    """A short reason for the log: Slack's error code, or the exception's type (never a token)."""
    response = getattr(exc, "response", None)
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return type(exc).__name__
