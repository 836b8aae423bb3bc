"""The JSON API the playground page polls and posts to: platform events → neutral Inbound.

What a person types is stored before the core sees it, so nothing typed is lost even when
handling fails; what the core answers comes back as rows the page polls for. Besides each
person's own messages there are the cohorts' channels, where weekly peer-share prompts are
posted and answered in threads: everyone sees a channel, except the notes meant for one person.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, Protocol
from uuid import uuid4

from aiohttp import web

from bot.adapters.playground.chat import PLATFORM, off_loop
from bot.adapters.playground.payloads import (
    BadPayload,
    check_inputs,
    parse_action,
    parse_after,
    parse_delete,
    parse_channel,
    parse_edit,
    parse_send,
)
from bot.adapters.playground.render import text_view, to_view
from bot.core.messages import Action, Address, Inbound, Outbound
from bot.core.ports import Clock
from storage.playground import PlaygroundStore, channel_key, person_key


class Outcome(Protocol):
    """What the core answers to one Inbound (``bot.core.service.Outcome`` has this shape)."""

    @property
    def notices(self) -> Sequence[str]:
        """Text only the sender sees."""

    @property
    def replace(self) -> Outbound | None:
        """A replacement for the message whose button was clicked."""


Handle = Callable[[Inbound], Awaitable[Outcome]]
People = Callable[[], list[dict[str, Any]]]
InboundKind = Literal["message", "edit", "delete", "action"]


@dataclass
class PlaygroundApi:
    store: PlaygroundStore
    people: People
    handle: Handle
    workspace: str
    clock: Clock

    async def list_channels(self, request: web.Request) -> web.Response:
        return web.json_response(await off_loop(partial(self.store.channels_of, self.workspace)))

    async def list_people(self, request: web.Request) -> web.Response:
        people = await off_loop(self.people)
        return web.json_response([{"id": p["id"], "name": p["name"], "role": p["role"]} for p in people])

    async def messages(self, request: web.Request) -> web.Response:
        person = await self._person(request.query.get("as", ""))
        after = parse_after(request.query.get("after", "0"))
        channel = await self._channel(parse_channel(request.query.get("channel")))
        rows = await off_loop(partial(self.store.messages_for, self._key(person, channel), after))
        return web.json_response([row for row in rows if row["body"].get("only", person["id"]) == person["id"]])

    async def send(self, request: web.Request) -> web.Response:
        payload = parse_send(await _json(request))
        person = await self._person(payload.user)
        channel = await self._channel(payload.channel)
        key = self._key(person, channel)
        thread = None
        if payload.thread is not None:
            root = await self._own_message(key, payload.thread)
            thread = root["thread"] or root["id"]
        body = {**text_view(payload.text), "author": {"id": person["id"], "name": person["name"]}} if channel \
            else text_view(payload.text)
        add = partial(self.store.add_message, key, body, direction="in", thread=thread)
        row_id = await off_loop(partial(add, at=self.clock.now()))
        outcome = await self.handle(
            self._inbound(
                person,
                "message",
                dedupe_key=f"playground:{row_id}",
                text=payload.text,
                message_id=str(row_id),
                in_thread_of=_id_text(thread),
                channel=channel,
            )
        )
        await self._tell(key, outcome.notices, thread, only=person["id"] if channel else None)
        return web.json_response({"ok": True, "id": row_id})

    async def action(self, request: web.Request) -> web.Response:
        payload = parse_action(await _json(request))
        person = await self._person(payload.user)
        key = self._key(person)
        message = await self._own_message(key, payload.message_id)
        check_inputs(message["body"], payload)
        outcome = await self.handle(
            self._inbound(
                person,
                "action",
                dedupe_key=f"playground:action:{uuid4().hex}",
                message_id=str(payload.message_id),
                in_thread_of=_id_text(message["thread"]),
                action=Action(payload.action_id, payload.value, inputs=payload.inputs),
            )
        )
        if outcome.replace is not None:
            await off_loop(
                partial(self.store.update_message, payload.message_id, to_view(outcome.replace), at=self.clock.now())
            )
        await self._tell(key, outcome.notices, message["thread"])
        return web.json_response({"ok": True})

    async def edit(self, request: web.Request) -> web.Response:
        payload = parse_edit(await _json(request))
        return await self._change_own(payload.user, payload.message_id, "edit", payload.text, payload.channel)

    async def delete(self, request: web.Request) -> web.Response:
        payload = parse_delete(await _json(request))
        return await self._change_own(payload.user, payload.message_id, "delete", "", payload.channel)

    async def _change_own(
        self, user: str, message_id: int, kind: Literal["edit", "delete"], text: str, channel: str | None
    ) -> web.Response:
        """Edit or delete what the person wrote: the row changes first (a deleted message keeps
        no text), then the core hears of it."""
        person = await self._person(user)
        channel = await self._channel(channel)
        key = self._key(person, channel)
        message = await self._own_message(key, message_id)
        author = message["body"].get("author", {}).get("id") if channel else person["id"]
        if message["direction"] != "in" or author != person["id"]:
            raise BadPayload("You can only change messages you wrote.")
        if message["body"].get("deleted"):
            raise BadPayload("That message was already deleted.")
        kept = {"author": message["body"]["author"]} if channel else {}
        body = {**text_view(text), **kept, "edited": True} if kind == "edit" else {**text_view(""), **kept, "deleted": True}
        await off_loop(partial(self.store.update_message, message_id, body, at=self.clock.now()))
        outcome = await self.handle(
            self._inbound(
                person,
                kind,
                dedupe_key=f"playground:{kind}:{uuid4().hex}",
                text=text,
                message_id=str(message_id),
                in_thread_of=_id_text(message["thread"]),
                channel=channel,
            )
        )
        await self._tell(key, outcome.notices, message["thread"], only=person["id"] if channel else None)
        return web.json_response({"ok": True})

    async def _channel(self, name: str | None) -> str | None:
        """A cohort's channel in this workspace, or None for the person's own messages."""
        if name is None:
            return None
        channels = await off_loop(partial(self.store.channels_of, self.workspace))
        if not any(channel["id"] == name for channel in channels):
            raise BadPayload(f"There's no channel #{name} here: a cohort gets one with `cohort channel`.")
        return name

    async def _person(self, user: str) -> dict[str, Any]:
        people = await off_loop(self.people)
        for person in people:
            if person["id"] == user:
                return person
        raise BadPayload("That person isn't in this playground — pick someone from the list.")

    async def _own_message(self, key: str, message_id: int) -> dict[str, Any]:
        message = await off_loop(partial(self.store.get_message, message_id))
        if message is None or message["person_key"] != key:
            raise BadPayload("That message isn't in your conversation.")
        return message

    async def _tell(self, key: str, notices: Sequence[str], thread: int | None, only: str | None = None) -> None:
        """Notes for the sender; in a channel, marked as theirs alone."""
        for notice in notices:
            body = {**text_view(notice), "only": only} if only else text_view(notice)
            add = partial(self.store.add_message, key, body, direction="notice", thread=thread)
            await off_loop(partial(add, at=self.clock.now()))

    def _key(self, person: dict[str, Any], channel: str | None = None) -> str:
        return channel_key(self.workspace, channel) if channel else person_key(self.workspace, person["id"])

    def _inbound(self, person: dict[str, Any], kind: InboundKind, channel: str | None = None, **fields: Any) -> Inbound:
        return Inbound(
            kind=kind,
            sender=Address(PLATFORM, self.workspace, user=person["id"], conversation=channel),
            display_name=person["name"],
            timezone=person.get("tz"),
            **fields,
        )


async def _json(request: web.Request) -> Any:
    if request.content_type != "application/json":
        raise BadPayload("Send JSON, with Content-Type: application/json.")
    try:
        return await request.json()
    except ValueError:
        raise BadPayload("That body isn't valid JSON.") from None


def _id_text(message_id: int | None) -> str | None:
    return None if message_id is None else str(message_id)
