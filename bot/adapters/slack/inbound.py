"""Slack payloads → :class:`Inbound` (pure functions).

Direct messages reach the core as messages; so do replies in a thread of a channel the bot is
in (where a cohort's weekly peer-share prompt is answered), addressed with that channel so the
core keeps them apart from private replies. Top-level channel chatter never reaches the core.
The bot's own posts (which Slack echoes back) and other bots' are dropped here too, not only by
bolt's self-event filter. Replies are turned
into plain text (Slack escapes ``&<>`` and wraps links and mentions in angle brackets); command
text is kept as Slack wrote it, since the grammar reads ``<@U…>``, ``<#C…>`` and subteams.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.render import ModalContext, base_action_id
from bot.core.messages import Action, Address, Inbound

PLATFORM = "slack"
CHANNEL_TYPES = frozenset({"channel", "group"})
"""Public and private channels; ``im`` is a DM."""
MESSAGE_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
_ANGLED = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class Profile:
    """What users.info tells about a person."""

    name: str = ""
    tz: str | None = None
    email: str | None = None
    admin: bool = False
    bot: bool = False
    deleted: bool = False


def plain_text(text: str) -> str:
    """Slack's message formatting → what the person saw, as plain text."""

    def unwrap(match: re.Match[str]) -> str:
        target, _, label = match[1].partition("|")
        if target.startswith("@"):
            return "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return f"{label} ({target})" if label and label != target else target

    return html.unescape(_ANGLED.sub(unwrap, text)).replace("\u00a0", " ")


def _sender(team: str, user: str, profile: Profile | None, channel: str | None = None) -> dict[str, Any]:
    profile = profile or Profile()
    return {"sender": Address(PLATFORM, team, user=user, conversation=channel), "timezone": profile.tz,
            "display_name": profile.name or None, "email": profile.email, "platform_admin": profile.admin}


def is_from_a_bot(event: dict[str, Any]) -> bool:
    inner = event.get("message") or event.get("previous_message") or {}
    return bool(event.get("bot_id") or event.get("subtype") == "bot_message" or inner.get("bot_id")
                or inner.get("subtype") == "bot_message")


def message_author(event: dict[str, Any]) -> str | None:
    """Whose message an event is about (for edits and deletions, the original author)."""
    match event.get("subtype"):
        case "message_changed":
            return (event.get("message") or {}).get("user")
        case "message_deleted":
            return (event.get("previous_message") or {}).get("user")
    return event.get("user")


def in_a_thread(event: dict[str, Any]) -> bool:
    """Whether a channel event is about a reply in a thread (for edits and deletions, the reply's
    own ``thread_ts``), not a top-level post."""
    inner = event.get("message") or event.get("previous_message") or event
    thread, ts = inner.get("thread_ts"), inner.get("ts")
    return bool(thread) and thread != ts


def from_message_event(event: dict[str, Any], team: str, event_id: str, profile: Profile | None) -> Inbound | None:
    """A DM message, edit or deletion, or one in a channel thread; ``None`` for anything the core
    should not see."""
    kind = event.get("channel_type")
    in_channel = kind in CHANNEL_TYPES
    if not (kind == "im" or (in_channel and in_a_thread(event))) or is_from_a_bot(event):
        return None
    user = message_author(event)
    if not user:
        return None
    subtype = event.get("subtype")
    channel = str(event.get("channel") or "") if in_channel else ""
    who = _sender(team, user, profile, channel=channel or None)
    if subtype == "message_changed":
        inner = event.get("message") or {}
        return Inbound(kind="edit", dedupe_key=event_id, text=plain_text(str(inner.get("text", ""))),
                       message_id=inner.get("ts"), **who)
    if subtype == "message_deleted":
        return Inbound(kind="delete", dedupe_key=event_id, message_id=event.get("deleted_ts"), **who)
    if subtype not in MESSAGE_SUBTYPES:
        return None
    ts, thread = event.get("ts"), event.get("thread_ts")
    return Inbound(kind="message", dedupe_key=event_id, text=plain_text(str(event.get("text", ""))), message_id=ts,
                   in_thread_of=thread if thread and thread != ts else None, **who)


def from_command(body: dict[str, Any], team: str, profile: Profile | None,
                 members: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()) -> Inbound:
    """``/coach …``: slash commands are never retried, so the trigger id is the dedupe key."""
    return Inbound(kind="command", dedupe_key=f"command:{body.get('trigger_id', '')}", text=str(body.get("text", "")),
                   members=members, **_sender(team, str(body["user_id"]), profile))


def clicked(body: dict[str, Any]) -> tuple[str, str]:
    """The (action id as the core knows it, value) of a block_actions payload."""
    action = body["actions"][0]
    return base_action_id(str(action.get("action_id", ""))), str(action.get("value") or "")


def clicked_message(body: dict[str, Any]) -> tuple[str, str]:
    """The (channel, ts) of the message whose button was clicked."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    return str(channel), str(ts)


def from_action(body: dict[str, Any], team: str, profile: Profile | None) -> Inbound:
    action_id, value = clicked(body)
    _, ts = clicked_message(body)
    key = body.get("trigger_id") or f"{ts}:{body['actions'][0].get('action_ts', '')}"
    return Inbound(kind="action", dedupe_key=f"action:{key}", message_id=ts or None,
                   action=Action(action_id, value), **_sender(team, str(body["user"]["id"]), profile))


def home_command(body: dict[str, Any], team: str, command: str, profile: Profile | None) -> Inbound:
    """A button on the Home tab that runs one of the person's own commands."""
    return Inbound(kind="command", dedupe_key=f"home:{body.get('trigger_id') or body['actions'][0].get('action_ts', '')}",
                   text=command, **_sender(team, str(body["user"]["id"]), profile))


def view_inputs(view: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The text fields of a submitted modal, as (input id, text)."""
    values = (view.get("state") or {}).get("values") or {}
    found = []
    for block in values.values():
        for input_id, field in (block or {}).items():
            if isinstance(field, dict):
                found.append((str(input_id), str(field.get("value") or "")))
    return tuple(sorted(found))


def from_view_submission(body: dict[str, Any], team: str, context: ModalContext, profile: Profile | None) -> Inbound:
    view = body["view"]
    key = body.get("trigger_id") or f"{view.get('id')}:{view.get('hash')}"
    return Inbound(kind="action", dedupe_key=f"view:{key}", message_id=context.ts or None,
                   action=Action(context.action_id, context.value, view_inputs(view)),
                   **_sender(team, str(body["user"]["id"]), profile))


def mentioned_users(text: str) -> tuple[str, ...]:
    """User ids written as ``<@U…>`` in command text, in order, once each."""
    return tuple(dict.fromkeys(re.findall(r"<@([A-Z0-9]+)(?:\|[^>]*)?>", text, re.IGNORECASE)))


def named_groups(text: str) -> tuple[tuple[str, str], ...]:
    """(kind, id) of the channels and user groups named in command text."""
    channels = [("channel", c) for c in re.findall(r"<#([A-Z0-9]+)(?:\|[^>]*)?>", text, re.IGNORECASE)]
    groups = [("usergroup", g) for g in re.findall(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>", text, re.IGNORECASE)]
    return tuple(dict.fromkeys(channels + groups))
