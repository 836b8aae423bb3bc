"""Teams activities → the core's neutral :class:`Inbound` (pure functions).

A person is their Teams user id (``29:…``) in their tenant, which is the workspace. In the 1:1
chat a message is a ``message`` (the core decides command or reply); in a team channel or group
chat, where the bot only hears what @mentions it, it is a ``command``, from that conversation:
an answer in the thread of a peer-share post (conversation ``<channel>;messageid=<post id>``)
names the post, so the core keeps it apart from private replies.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botbuilder.schema import Activity

from bot.adapters.teams.render import VALUE_KEY
from bot.core.messages import Action, Address, Inbound

PLATFORM = "teams"
ACTION_INVOKE = "adaptiveCard/action"
THREAD_MARK = ";messageid="


class BadActivity(ValueError):
    """An activity we cannot act on; answered 400 and changes nothing."""


def tenant_of(activity: Activity) -> str:
    """The workspace: the tenant id Teams puts in ``channelData``, or the conversation's; the
    channel's name (e.g. ``emulator``) when there is none."""
    tenant = (activity.channel_data or {}).get("tenant") if isinstance(activity.channel_data, dict) else None
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str) and tenant["id"]:
        return tenant["id"]
    conversation = activity.conversation
    if conversation is not None:
        found = conversation.tenant_id or (conversation.additional_properties or {}).get("tenantId")
        if isinstance(found, str) and found:
            return found
    return activity.channel_id or PLATFORM


def team_of(activity: Activity) -> tuple[str, str] | None:
    """The (id, name) of the team an activity happened in, if any."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team")
    if isinstance(team, dict) and isinstance(team.get("id"), str) and team["id"]:
        return team["id"], str(team.get("name") or "")
    return None


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat between one person and the bot (the Emulator leaves the type unset)."""
    conversation = activity.conversation
    if conversation is None:
        return False
    kind = conversation.conversation_type
    return kind == "personal" or (kind is None and not conversation.is_group)


def sender_of(activity: Activity) -> Address:
    person = activity.from_property
    if person is None or not person.id:
        raise BadActivity("the activity has no sender")
    return Address(PLATFORM, tenant_of(activity), user=person.id)


def to_inbound(activity: Activity) -> Inbound | None:
    """A message, edit or deletion as the core sees it; ``None`` for what the core need not hear
    (e.g. an undelete, or a card submit without text)."""
    kind = activity.type
    if kind == "message":
        text = (activity.text or "").strip()
        if not text and activity.value is not None:
            return None
        return _inbound(activity, "message" if is_personal(activity) else "command", f"message:{activity.id}",
                        text=text, mentions=mentions_of(activity),
                        in_thread_of=thread_of(activity) or activity.reply_to_id or None)
    if kind == "messageUpdate" and _event_type(activity) in (None, "editMessage"):
        text = (activity.text or "").strip()
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return _inbound(activity, "edit", f"edit:{activity.id}:{digest}", text=text)
    if kind == "messageDelete" and _event_type(activity) in (None, "softDeleteMessage"):
        return _inbound(activity, "delete", f"delete:{activity.id}")
    return None


def to_action(activity: Activity) -> Inbound:
    """An ``Action.Execute`` click: the verb is the action id, ``data.value`` its value, and the
    other text fields of ``data`` the card's inputs."""
    value = activity.value if isinstance(activity.value, dict) else None
    action = value.get("action") if value else None
    if not isinstance(action, dict):
        raise BadActivity("the invoke has no action")
    if action.get("type") != "Action.Execute":
        raise BadActivity(f"the action type {action.get('type')!r} is not supported")
    verb = action.get("verb")
    if not isinstance(verb, str) or not verb:
        raise BadActivity("the action has no verb")
    data = action.get("data") if isinstance(action.get("data"), dict) else {}
    inputs = tuple(sorted((k, v) for k, v in data.items() if k != VALUE_KEY and isinstance(v, str)))
    clicked = str(data.get(VALUE_KEY) or "")
    return _inbound(activity, "action", f"invoke:{activity.id}", message_id=activity.reply_to_id or None,
                    action=Action(verb, clicked, inputs))


def mentions_of(activity: Activity) -> tuple[tuple[str, str], ...]:
    """(name as written inside ``<at>…</at>``, user id) for every person mentioned, not the bot."""
    bot = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or ():
        if entity.type != "mention":
            continue
        extra: dict[str, Any] = entity.additional_properties or {}
        mentioned = extra.get("mentioned")
        if not isinstance(mentioned, dict) or not isinstance(mentioned.get("id"), str) or mentioned["id"] == bot:
            continue
        written = str(extra.get("text") or mentioned.get("name") or "")
        name = written.removeprefix("<at>").removesuffix("</at>").strip()
        if name:
            found.append((name, mentioned["id"]))
    return tuple(found)


def thread_of(activity: Activity) -> str | None:
    """The post a channel message answers in its thread, from ``<channel>;messageid=<post id>``."""
    conversation = activity.conversation.id if activity.conversation else ""
    _, found, post = (conversation or "").partition(THREAD_MARK)
    return post if found and post else None


def _sender(activity: Activity) -> Address:
    """The sender, and for a message in a channel or group chat, that conversation."""
    sender = sender_of(activity)
    if is_personal(activity) or activity.conversation is None or not activity.conversation.id:
        return sender
    return dataclasses.replace(sender, conversation=activity.conversation.id.partition(THREAD_MARK)[0])


def zone_of(activity: Activity) -> str | None:
    """The person's IANA zone from ``localTimezone``, when Teams sent a real one."""
    zone = activity.local_timezone
    if not isinstance(zone, str) or not zone:
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone


def _event_type(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    event = data.get("eventType")
    return event if isinstance(event, str) else None


def _inbound(activity: Activity, kind: Any, dedupe_key: str, **fields: Any) -> Inbound:
    if not activity.id:
        raise BadActivity("the activity has no id")
    fields.setdefault("message_id", activity.id)
    return Inbound(kind=kind, sender=_sender(activity), dedupe_key=dedupe_key, timezone=zone_of(activity),
                   display_name=activity.from_property.name or None, **fields)
