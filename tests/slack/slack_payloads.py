"""What Slack posts to ``/slack/events``, shaped as Slack shapes it (trimmed to what matters)."""

from __future__ import annotations

import itertools
import json
from typing import Any

_ids = itertools.count(1)


def next_id() -> int:
    return next(_ids)


def envelope(event: dict[str, Any], *, team: str = "T1", event_id: str | None = None,
             enterprise: str | None = None, org_wide: bool = False) -> dict[str, Any]:
    return {"token": "legacy", "team_id": team, "enterprise_id": enterprise, "api_app_id": "A1", "event": event,
            "type": "event_callback", "event_id": event_id or f"Ev{next_id():05d}", "event_time": 1700000000,
            "is_ext_shared_channel": False,
            "authorizations": [{"enterprise_id": enterprise, "team_id": None if org_wide else team, "user_id": "UBOT",
                                "is_bot": True, "is_enterprise_install": org_wide}]}


def dm(user: str, text: str, *, ts: str | None = None, thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "message", "channel": f"D{user}", "user": user, "text": text, "channel_type": "im",
             "ts": ts or f"1700001000.{next_id():06d}", "event_ts": "1700001000.000000"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm_edited(user: str, ts: str, text: str) -> dict[str, Any]:
    return {"type": "message", "subtype": "message_changed", "channel": f"D{user}", "channel_type": "im",
            "hidden": True, "ts": f"1700002000.{next_id():06d}",
            "message": {"type": "message", "user": user, "text": text, "ts": ts, "edited": {"user": user, "ts": "1"}},
            "previous_message": {"type": "message", "user": user, "text": "before", "ts": ts}}


def dm_deleted(user: str, ts: str) -> dict[str, Any]:
    return {"type": "message", "subtype": "message_deleted", "channel": f"D{user}", "channel_type": "im",
            "hidden": True, "ts": f"1700003000.{next_id():06d}", "deleted_ts": ts,
            "previous_message": {"type": "message", "user": user, "text": "gone", "ts": ts}}


def bot_echo(user: str, text: str) -> dict[str, Any]:
    """Slack echoes the bot's own DM post back to it as a message event."""
    return {"type": "message", "channel": f"D{user}", "user": "UBOT", "bot_id": "BBOT", "text": text,
            "channel_type": "im", "ts": f"1700004000.{next_id():06d}"}


def command(user: str, text: str, *, team: str = "T1", response_url: str = "") -> dict[str, str]:
    return {"token": "legacy", "team_id": team, "team_domain": "school", "channel_id": f"D{user}",
            "channel_name": "directmessage", "user_id": user, "user_name": user.lower(), "command": "/coach",
            "text": text, "api_app_id": "A1", "response_url": response_url, "trigger_id": f"trig.{next_id()}"}


def block_action(user: str, action_id: str, value: str, *, channel: str, ts: str, response_url: str,
                 team: str = "T1") -> dict[str, Any]:
    return {"type": "block_actions", "user": {"id": user, "team_id": team}, "team": {"id": team, "domain": "school"},
            "api_app_id": "A1", "trigger_id": f"trig.{next_id()}", "response_url": response_url,
            "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel}, "message": {"type": "message", "ts": ts, "text": "…"},
            "actions": [{"action_id": action_id, "block_id": "b1", "value": value, "type": "button",
                         "action_ts": "1700005000.1"}]}


def view_submission(user: str, view: dict[str, Any], values: dict[str, str], *, team: str = "T1") -> dict[str, Any]:
    state = {input_id: {input_id: {"type": "plain_text_input", "value": text}} for input_id, text in values.items()}
    return {"type": "view_submission", "team": {"id": team}, "user": {"id": user, "team_id": team}, "api_app_id": "A1",
            "trigger_id": f"trig.{next_id()}",
            "view": {"id": f"V{next_id()}", "type": "modal", "callback_id": view.get("callback_id"),
                     "private_metadata": view.get("private_metadata", ""), "hash": "h", "state": {"values": state}}}


def as_payload_form(payload: dict[str, Any]) -> dict[str, str]:
    return {"payload": json.dumps(payload)}
