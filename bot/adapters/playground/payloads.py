"""What the playground page may post, checked before anything is stored: each parser turns a
decoded JSON body into a value or raises :class:`BadPayload` with words a person can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 40_000
"""Slack's own limit on a message's text; the playground keeps to it too."""

CHANNEL_NAME = re.compile(r"[a-z0-9_-]{1,80}")

MAX_ID = 2**31 - 1
"""The largest id an integer column holds; anything bigger names no message."""


class BadPayload(ValueError):
    """A request the page should not have sent; answered with 400 and changes nothing."""


@dataclass(frozen=True)
class SendPayload:
    user: str
    text: str
    thread: int | None = None
    channel: str | None = None
    """A cohort's channel, when the person writes there rather than in their own messages."""


@dataclass(frozen=True)
class ActionPayload:
    user: str
    message_id: int
    action_id: str
    value: str = ""
    inputs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EditPayload:
    user: str
    message_id: int
    text: str
    channel: str | None = None


@dataclass(frozen=True)
class DeletePayload:
    user: str
    message_id: int
    channel: str | None = None


def parse_send(data: Any) -> SendPayload:
    body = _object(data)
    thread = body.get("thread")
    return SendPayload(
        user=_user(body),
        text=message_text(body.get("text")),
        thread=None if thread in (None, "", 0) else _id(thread, "thread"),
        channel=parse_channel(body.get("channel")),
    )


def parse_action(data: Any) -> ActionPayload:
    body = _object(data)
    inputs = body.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise BadPayload("inputs must be an object of field id to text.")
    return ActionPayload(
        user=_user(body),
        message_id=_id(body.get("message_id"), "message_id"),
        action_id=_string(body.get("action_id"), "action_id", required=True),
        value=_string(body.get("value"), "value"),
        inputs=tuple(sorted((_string(k, "input id"), _string(v, f"input {k}")) for k, v in inputs.items())),
    )


def parse_edit(data: Any) -> EditPayload:
    body = _object(data)
    return EditPayload(
        user=_user(body),
        message_id=_id(body.get("message_id"), "message_id"),
        text=message_text(body.get("text")),
        channel=parse_channel(body.get("channel")),
    )


def parse_delete(data: Any) -> DeletePayload:
    body = _object(data)
    return DeletePayload(user=_user(body), message_id=_id(body.get("message_id"), "message_id"),
                         channel=parse_channel(body.get("channel")))


def parse_channel(value: Any) -> str | None:
    """A channel's name as the cohort stores it (``staffroom``), or None for one's own messages."""
    if value in (None, ""):
        return None
    name = _string(value, "channel").removeprefix("#").lower()
    if not CHANNEL_NAME.fullmatch(name):
        raise BadPayload("channel must be a channel's name, like staffroom.")
    return name


def message_text(value: Any) -> str:
    text = _string(value, "text")
    if not text.strip():
        raise BadPayload("Type a message first — it can't be empty.")
    if len(text) > MAX_TEXT:
        raise BadPayload(f"That message is {len(text):,} characters; the limit is {MAX_TEXT:,}.")
    return text


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BadPayload("Send a JSON object.")
    return data


def _user(body: dict[str, Any]) -> str:
    return _string(body.get("as"), "as", required=True)


def parse_after(text: str) -> int:
    """The ``after`` of a poll: a message id, or 0 for the whole conversation."""
    if text == "0":
        return 0
    return _id(text, "after")


def _id(value: Any, name: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise BadPayload(f"{name} must be a message id.")
    return value


def _string(value: Any, name: str, *, required: bool = False) -> str:
    """Text the database can hold: no NUL characters, no lone surrogates."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise BadPayload(f"{name} must be text.")
    if "\x00" in value:
        raise BadPayload(f"{name} contains a NUL character, which can't be stored.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadPayload(f"{name} contains characters that aren't valid Unicode.") from None
    return value


def check_inputs(body: dict[str, Any], action: ActionPayload) -> None:
    """Each field's text within the length the message declared for it (or the message limit).

    Which buttons the message still shows is not checked here: a click on a card that has since
    been decided or closed goes to the core, which answers it with a short note."""
    limits = {f["input_id"]: (f["label"], f["max_length"]) for f in body.get("inputs", [])}
    for input_id, text in action.inputs:
        label, limit = limits.get(input_id, (input_id, MAX_TEXT))
        if len(text) > limit:
            raise BadPayload(f"{label} can be at most {limit:,} characters.")
