"""Bolt listeners: the glue between Slack's requests and the core.

Nothing is acknowledged before it is stored (the app runs with ``process_before_response``): a
command, click or form is handled by the core before the ack, as its answer goes in the ack; a
message is recorded durably before the ack and handled right after it. A database outage
therefore reaches the error handler and becomes a 503 that Slack retries. What the person should see afterwards
(ephemeral notes, the clicked message replaced) goes out after the ack, in the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.adapters.slack import inbound as parse
from bot.adapters.slack.chat import PLATFORM, MessageRef, SlackChat
from bot.adapters.slack.errors import TRANSPORT_ERRORS, describe
from bot.adapters.slack.home import HOME_COMMAND, HomeTab
from bot.adapters.slack.modals import ModalFields
from bot.adapters.slack.people import SlackPeople
from bot.adapters.slack.render import ModalContext, escape, fallback_text, modal, to_blocks
from bot.core.messages import Address, Inbound
from bot.core.outcome import Outcome

log = logging.getLogger("microcoach.slack")


class Handle(Protocol):
    """The core's intake (:class:`bot.intake.Intake`)."""

    async def __call__(self, inbound: Inbound) -> Outcome: ...
    async def receive(self, inbound: Inbound) -> int | None: ...
    async def handle_received(self, inbox_id: int) -> Outcome: ...

Ack = Callable[..., Awaitable[Any]]
FORM_DID_NOT_OPEN = "Sorry — that form didn't open in time. Could you tap the button again?"


class Background:
    """Work that follows an ack; failures are logged, never lost silently."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:  # noqa: BLE001 — after the ack there is no one to answer; log it
            log.exception("Slack follow-up work failed")


def workspace_of(context: AsyncBoltContext, body: dict[str, Any]) -> str:
    """The workspace a request is for (for an org-wide install, the org when no team is given)."""
    team = context.team_id or body.get("team_id") or (body.get("team") or {}).get("id")
    return str(team or context.enterprise_id or "")


class Listeners:
    def __init__(self, handle: Handle, chat: SlackChat, people: SlackPeople, modals: ModalFields,
                 background: Background, home: HomeTab):
        self.handle = handle
        self.chat = chat
        self.people = people
        self.modals = modals
        self.background = background
        self.home = home
        self.trusted: set[str] = set()
        """Workspaces whose messages bolt has authorised here; an uninstall takes one out."""

    async def command(self, ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        team, user, text = workspace_of(context, body), str(body["user_id"]), str(body.get("text", ""))
        mentioned = parse.mentioned_users(text)
        if mentioned:
            await self.people.register(team, mentioned)
        groups = parse.named_groups(text)
        members = await self.people.members(team, groups, context.bot_user_id) if groups else ()
        outcome = await self.handle(parse.from_command(body, team, await self.people.profile(team, user), members))
        await ack(text=escape("\n".join(outcome.notices)) or "Done.", response_type="ephemeral")
        enrolled = tuple(member for _, people in members for member, _ in people)
        if enrolled and outcome.handled:
            self.background.spawn(self.people.update_known(team, enrolled))

    async def message(self, ack: Ack, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        team, author = workspace_of(context, body), parse.message_author(event)
        profile = await self.people.profile(team, author) if author and not parse.is_from_a_bot(event) else None
        await self._record(team, event, body, profile)
        await ack()
        if team == body.get("team_id"):
            self.trusted.add(team)

    async def recorded_directly(self, payload: dict[str, Any]) -> bool:
        """The hot path for a message (most of what Slack sends): recorded, and so answerable,
        without bolt's dispatch, when bolt has already authorised its workspace in this process
        and its author's profile is known; otherwise False, and bolt takes it as usual."""
        event = payload.get("event") if payload.get("type") == "event_callback" else None
        team = str(payload.get("team_id") or "")
        if not isinstance(event, dict) or event.get("type") != "message" or team not in self.trusted:
            return False
        author, profile = parse.message_author(event), None
        if author and not parse.is_from_a_bot(event):
            profile = self.people.cached(team, author)
            if profile is None:
                return False
        await self._record(team, event, payload, profile)
        return True

    async def _record(self, team: str, event: dict[str, Any], body: dict[str, Any], profile: parse.Profile | None) -> None:
        inbound = parse.from_message_event(event, team, str(body.get("event_id", "")), profile)
        received = await self.handle.receive(inbound) if inbound is not None else None
        if inbound is not None and received is not None:
            self.background.spawn(self._handle_message(team, event, inbound, received))

    async def _handle_message(self, team: str, event: dict[str, Any], inbound: Inbound, received: int) -> None:
        """A message is recorded before the ack and handled after it (a message event's answer
        carries nothing); if this fails, the recorded message waits for the next tick."""
        outcome = await self.handle.handle_received(received)
        if outcome.handled and outcome.notices and inbound.sender.user:
            where = Address(PLATFORM, team, user=inbound.sender.user, conversation=event.get("channel"),
                            thread=event.get("thread_ts"))
            self.background.spawn(self._tell(where, outcome.notices))
        if outcome.handled and inbound.sender.user:
            self.background.spawn(self.home.refresh(team, inbound.sender.user))

    async def action(self, ack: Ack, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond) -> None:
        team, user = workspace_of(context, body), str(body["user"]["id"])
        action_id, value = parse.clicked(body)
        if action_id == HOME_COMMAND:
            await self._home_command(ack, body, team, user, value)
            return
        field = await self.modals.field_for(user, action_id, value)
        if field is not None:
            channel, ts = parse.clicked_message(body)
            where = ModalContext(action_id, value, channel, ts, str(body.get("response_url") or ""))
            try:
                await self.chat.client.views_open(token=context.bot_token, trigger_id=body.get("trigger_id", ""),
                                                  view=modal(field, where))
            except TRANSPORT_ERRORS as exc:
                log.info("views.open failed: %s", describe(exc))
                self.background.spawn(self._answer_click(respond, Outcome.say(FORM_DID_NOT_OPEN)))
            await ack()
            return
        outcome = await self.handle(parse.from_action(body, team, await self.people.profile(team, user)))
        await ack()
        if outcome.handled:
            self.background.spawn(self._answer_click(respond, outcome))
            self.background.spawn(self.home.refresh(team, user))

    async def view_submission(self, ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        team, user = workspace_of(context, body), str(body["user"]["id"])
        where = ModalContext.load(str(body["view"].get("private_metadata") or ""))
        if where is None:
            await ack()
            return
        inbound = parse.from_view_submission(body, team, where, await self.people.profile(team, user))
        outcome = await self.handle(inbound)
        if outcome.refused and outcome.notices and inbound.action and inbound.action.inputs:
            field = inbound.action.inputs[0][0]
            await ack(response_action="errors", errors={field: " ".join(outcome.notices)})
            return
        await ack()
        if outcome.handled:
            self.background.spawn(self._answer_modal(team, user, where, outcome))
            self.background.spawn(self.home.refresh(team, user))

    async def home_opened(self, ack: Ack, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        if event.get("tab") == "home" and event.get("user"):
            self.background.spawn(self.home.publish(workspace_of(context, body), str(event["user"])))

    async def _home_command(self, ack: Ack, body: dict[str, Any], team: str, user: str, command: str) -> None:
        """A Home button runs the person's own command; its answer shows on the Home tab."""
        inbound = parse.home_command(body, team, command, await self.people.profile(team, user))
        outcome = await self.handle(inbound)
        await ack()
        if outcome.handled:
            self.background.spawn(self.home.publish(team, user, note="\n".join(outcome.notices)))

    # After the ack -----------------------------------------------------------------------------

    async def _tell(self, where: Address, notices: list[str]) -> None:
        await self.chat.tell(where, "\n".join(notices))

    @staticmethod
    async def _answer_click(respond: AsyncRespond, outcome: Outcome) -> None:
        if outcome.replace is not None:
            await respond(text=fallback_text(outcome.replace), blocks=to_blocks(outcome.replace), replace_original=True)
        if outcome.notices:
            await respond(text=escape("\n".join(outcome.notices)), response_type="ephemeral", replace_original=False)

    async def _answer_modal(self, team: str, user: str, where: ModalContext, outcome: Outcome) -> None:
        if outcome.replace is not None and where.channel and where.ts:
            await self.chat.update(MessageRef(team, where.channel, where.ts).sent_ref(), outcome.replace)
        if outcome.notices:
            if where.response_url:
                respond = AsyncRespond(response_url=where.response_url)
                await respond(text=escape("\n".join(outcome.notices)), response_type="ephemeral", replace_original=False)
            else:
                await self.chat.tell(Address(PLATFORM, team, user=user, conversation=where.channel or None),
                                     "\n".join(outcome.notices))
