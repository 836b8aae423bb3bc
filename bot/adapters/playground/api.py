"""The JSON API the playground page polls and posts to: platform events → neutral Inbound.

What a person types is stored before the core sees it, so nothing typed is lost even when
handling fails; what the core answers comes back as rows the page polls for.
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
    parse_edit,
    parse_send,
)
from bot.adapters.playground.render import text_view, to_view
from bot.core.messages import Action, Address, Inbound, Outbound
from bot.core.ports import Clock
from storage.playground import PlaygroundStore, person_key


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

    async def list_people(self, request: web.Request) -> web.Response:
        people = await off_loop(self.people)
        return web.json_response([{"id": p["id"], "name": p["name"], "role": p["role"]} for p in people])

    async def messages(self, request: web.Request) -> web.Response:
        person = await self._person(request.query.get("as", ""))
        after = parse_after(request.query.get("after", "0"))
        rows = await off_loop(partial(self.store.messages_for, self._key(person), after))
        return web.json_response(rows)

    async def send(self, request: web.Request) -> web.Response:
        payload = parse_send(await _json(request))
        person = await self._person(payload.user)
        key = self._key(person)
        thread = None
        if payload.thread is not None:
            root = await self._own_message(key, payload.thread)
            thread = root["thread"] or root["id"]
        add = partial(self.store.add_message, key, text_view(payload.text), direction="in", thread=thread)
        row_id = await off_loop(partial(add, at=self.clock.now()))
        outcome = await self.handle(
            self._inbound(
                person,
                "message",
                dedupe_key=f"playground:{row_id}",
                text=payload.text,
                message_id=str(row_id),
                in_thread_of=_id_text(thread),
            )
        )
        await self._tell(key, outcome.notices, thread)
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
        return await self._change_own(payload.user, payload.message_id, "edit", payload.text)

    async def delete(self, request: web.Request) -> web.Response:
        payload = parse_delete(await _json(request))
        return await self._change_own(payload.user, payload.message_id, "delete", "")

    async def _change_own(
        self, user: str, message_id: int, kind: Literal["edit", "delete"], text: str
    ) -> web.Response:
        """Edit or delete what the person wrote: the row changes first (a deleted message keeps
        no text), then the core hears of it."""
        person = await self._person(user)
        key = self._key(person)
        message = await self._own_message(key, message_id)
        if message["direction"] != "in":
            raise BadPayload("You can only change messages you wrote.")
        if message["body"].get("deleted"):
            raise BadPayload("That message was already deleted.")
        body = {**text_view(text), "edited": True} if kind == "edit" else {**text_view(""), "deleted": True}
        await off_loop(partial(self.store.update_message, message_id, body, at=self.clock.now()))
        outcome = await self.handle(
            self._inbound(
                person,
                kind,
                dedupe_key=f"playground:{kind}:{uuid4().hex}",
                text=text,
                message_id=str(message_id),
                in_thread_of=_id_text(message["thread"]),
            )
        )
        await self._tell(key, outcome.notices, message["thread"])
        return web.json_response({"ok": True})

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

    async def _tell(self, key: str, notices: Sequence[str], thread: int | None) -> None:
        for notice in notices:
            add = partial(self.store.add_message, key, text_view(notice), direction="notice", thread=thread)
            await off_loop(partial(add, at=self.clock.now()))

    def _key(self, person: dict[str, Any]) -> str:
        return person_key(self.workspace, person["id"])

    def _inbound(self, person: dict[str, Any], kind: InboundKind, **fields: Any) -> Inbound:
        return Inbound(
            kind=kind,
            sender=Address(PLATFORM, self.workspace, user=person["id"]),
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
