"""What the playground page may post, checked before anything is stored: each parser turns a
decoded JSON body into a value or raises :class:`BadPayload` with words a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_TEXT = 40_000
"""Slack's own limit on a message's text; the playground keeps to it too."""

MAX_ID = 2**31 - 1
"""The largest id an integer column holds; anything bigger names no message."""


class BadPayload(ValueError):
    """A request the page should not have sent; answered with 400 and changes nothing."""


@dataclass(frozen=True)
class SendPayload:
    user: str
    text: str
    thread: int | None = None


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


@dataclass(frozen=True)
class DeletePayload:
    user: str
    message_id: int


def parse_send(data: Any) -> SendPayload:
    body = _object(data)
    thread = body.get("thread")
    return SendPayload(
        user=_user(body),
        text=message_text(body.get("text")),
        thread=None if thread in (None, "", 0) else _id(thread, "thread"),
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
    )


def parse_delete(data: Any) -> DeletePayload:
    body = _object(data)
    return DeletePayload(user=_user(body), message_id=_id(body.get("message_id"), "message_id"))


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


def _id(value: Any, name: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit():
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


def check_action(body: dict[str, Any], action: ActionPayload) -> None:
    """The click must be a button on that message as the person sees it now, and the inputs its
    fields, within their lengths: anything else is a stale or forged click."""
    buttons = {(b["action_id"], b["value"]) for b in body.get("buttons", [])}
    if (action.action_id, action.value) not in buttons:
        raise BadPayload("That button isn't on this message any more — it may have changed.")
    fields = {f["input_id"]: f for f in body.get("inputs", [])}
    for input_id, text in action.inputs:
        field = fields.get(input_id)
        if field is None:
            raise BadPayload(f"This message has no field {input_id!r}.")
        if len(text) > field["max_length"]:
            raise BadPayload(f"{field['label']} can be at most {field['max_length']:,} characters.")
