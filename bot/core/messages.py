"""Neutral values that cross the seam between the core and the platform adapters.

The core never sees a Slack ``ts`` or a Teams ``ConversationReference``: adapters translate
platform events into :class:`Inbound` and render :class:`Outbound` into Block Kit, Adaptive
Cards or HTML, and hand back a :class:`SentRef` that only they can read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Platform = Literal["slack", "teams", "playground"]


@dataclass(frozen=True)
class Address:
    """Where a message goes or comes from: a person, or a conversation, optionally a thread."""

    platform: str
    workspace: str
    user: str | None = None
    conversation: str | None = None
    thread: str | None = None


@dataclass(frozen=True)
class Button:
    """A button the person can tap. ``action_id`` names the handler, ``value`` its argument."""

    label: str
    action_id: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class TextInput:
    """A free-text field submitted together with a button (Teams cards, Slack modals)."""

    input_id: str
    label: str
    initial: str = ""
    multiline: bool = True
    max_length: int = 3000


@dataclass(frozen=True)
class Section:
    """One block of text, optionally with a short heading and label/value facts."""

    text: str = ""
    heading: str = ""
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outbound:
    """A message model every adapter can render.

    ``text`` is the plain-text fallback every platform shows in notifications and to screen
    readers; ``sections``, ``buttons`` and ``inputs`` are the rich form.
    """

    text: str
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    inputs: tuple[TextInput, ...] = ()
    delivery_key: str | None = None
    """A stable id (e.g. ``delivery:42``) a platform may store with the message, so the
    adapter can later answer "was this already sent?"."""


@dataclass(frozen=True)
class SentRef:
    """What an adapter needs to update or thread under a message it sent; opaque to the core."""

    platform: str
    data: str
    message_id: str = ""
    """The platform's id of the message (Slack ``ts``, Teams activity id), which the core
    matches against thread replies."""


@dataclass(frozen=True)
class Action:
    """A button click or form submission."""

    action_id: str
    value: str = ""
    inputs: tuple[tuple[str, str], ...] = ()

    def input(self, input_id: str, default: str = "") -> str:
        return dict(self.inputs).get(input_id, default)


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: a message, an edit, a deletion, a click, a command.

    ``dedupe_key`` is unique per platform event (Slack ``event_id``, Teams activity id) so that
    retried deliveries of the same event change nothing the second time.
    """

    kind: Literal["message", "edit", "delete", "action", "command"]
    sender: Address
    dedupe_key: str
    text: str = ""
    message_id: str | None = None
    in_thread_of: str | None = None
    action: Action | None = None
    timezone: str | None = None
    display_name: str | None = None
    email: str | None = None
    mentions: tuple[tuple[str, str], ...] = field(default=())
    """(text as written, platform user id) pairs the platform resolved for us."""
    platform_admin: bool = False
    """The platform says this person administers the workspace (Slack admins and owners)."""
    members: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(default=())
    """Groups named in a command, expanded by the adapter: (key, ((user id, display name), …)).
    Keys: a channel or user-group id as the grammar reads it, or ``team:<name>``."""


def inbound_to_data(inbound: Inbound) -> dict:
    """An inbound event as JSON-ready data, to be recorded before its platform is answered."""
    return asdict(inbound)


def inbound_from_data(data: dict) -> Inbound:
    """The inverse of :func:`inbound_to_data`."""
    action = data.get("action")
    return Inbound(
        **{**data,
           "sender": Address(**data["sender"]),
           "action": Action(action["action_id"], action["value"], _pairs(action["inputs"])) if action else None,
           "mentions": _pairs(data.get("mentions", ())),
           "members": tuple((key, _pairs(people)) for key, people in data.get("members", ()))},
    )


def _pairs(items: object) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in items)  # type: ignore[attr-defined]
