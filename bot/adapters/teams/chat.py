"""The Chat port for Teams: proactive messages through stored conversation references.

Every call continues the person's conversation with ``CloudAdapter.continue_conversation`` and
posts to the reference's own ``serviceUrl``; a cold reference (a roster member we never talked
to) first gets its 1:1 chat with ``create_conversation`` in the person's tenant. A message to a
conversation ``team:<team name>`` (a cohort's peer-share channel) is a new post in that team's
General channel, reached through the reference kept when the app was installed in the team.
Calls are paced to Teams' limits (:mod:`pacing`). Teams cannot look a message up by our delivery
key, so ``can_find_sent`` is false.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationAccount, ConversationParameters, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.adapters.teams.failures import Unreachable, send_error
from bot.adapters.teams.inbound import PLATFORM
from bot.adapters.teams.pacing import Pacer
from bot.adapters.teams.refs import ConversationRefs, is_open
from bot.adapters.teams.render import text_activity, to_activity
from bot.core.messages import Address, Outbound, SentRef
from bot.core.ports import SendError

log = logging.getLogger("microcoach.teams")
TEAM_PREFIX = "team:"
"""How ``cohort channel <name> team:<team name>`` stores a team's channel."""

Call = Callable[[Any], Awaitable[Any]]
"""One Bot Connector call, given the connector client."""
OnUnreachable = Callable[[Address, str], Awaitable[None]]
TIMEOUT_SECONDS = 30.0


class TeamsChat:
    platform = PLATFORM
    can_find_sent = False

    def __init__(self, adapter: CloudAdapter, refs: ConversationRefs, app_id: str = "",
                 on_unreachable: OnUnreachable | None = None, timeout: float = TIMEOUT_SECONDS,
                 pacer: Pacer | None = None):
        self.adapter = adapter
        self.refs = refs
        self.app_id = app_id
        self.on_unreachable = on_unreachable
        self.timeout = timeout
        self.pacer = pacer or Pacer()

    async def send(self, to: Address, message: Outbound) -> SentRef:
        if to.conversation and to.conversation.startswith(TEAM_PREFIX) and not to.user:
            return await self._post_in_team(to, to_activity(message))
        return await self._post(to, to_activity(message), thread=to.thread)

    async def tell(self, to: Address, text: str) -> None:
        await self._post(to, text_activity(text), thread=None)

    async def update(self, ref: SentRef, message: Outbound) -> None:
        where = _where(ref.data)
        to = Address(PLATFORM, where["w"], user=where["u"])
        reference = await self._reference(to)
        activity = _addressed(to_activity(message, card=True), reference)
        activity.id = where["a"]
        await self._guarded(to, reference, lambda client: client.conversations.update_activity(where["c"], where["a"], activity))

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        return None

    async def _post(self, to: Address, body: dict[str, Any], *, thread: str | None) -> SentRef:
        reference = await self._reference(to)
        if not is_open(reference):
            reference = await self._open(to, reference)
        conversation = reference.conversation.id
        activity = _addressed(body, reference)

        async def call(client: Any) -> Any:
            if thread:
                return await client.conversations.reply_to_activity(conversation, thread, activity)
            return await client.conversations.send_to_conversation(conversation, activity)

        response = await self._guarded(to, reference, call)
        activity_id = getattr(response, "id", None) or ""
        data = json.dumps({"w": to.workspace, "u": to.user, "c": conversation, "a": activity_id})
        return SentRef(PLATFORM, data, message_id=activity_id)

    async def _post_in_team(self, to: Address, body: dict[str, Any]) -> SentRef:
        """A new post in a team's General channel (its id is the team's); answers in its thread
        arrive in a conversation ``<channel>;messageid=<this post's id>``."""
        team = await self.refs.team(to.workspace, name=(to.conversation or "").removeprefix(TEAM_PREFIX))
        if team is None:
            raise SendError("the app is not installed in that team (or two teams have its name)", permanent=True)
        reference = channel_reference(team.reference, team.team_id)
        activity = _addressed(body, reference)
        await self.pacer.wait(to.workspace, team.team_id)
        results: list[Any] = []

        async def logic(context: TurnContext) -> None:
            results.append(await direct(context, self.timeout).conversations.send_to_conversation(team.team_id, activity))

        await self._translated(to, self.adapter.continue_conversation(reference, logic, self.app_id))
        activity_id = getattr(results[0], "id", None) or ""
        data = json.dumps({"w": to.workspace, "u": "", "c": team.team_id, "a": activity_id})
        return SentRef(PLATFORM, data, message_id=activity_id)

    async def _reference(self, to: Address) -> ConversationReference:
        if not to.user:
            raise SendError("Teams messages go to a person; no user given", permanent=True)
        reference = await self.refs.reference(to.workspace, to.user)
        if reference is None:
            reason = "no conversation with this person yet (they need the app)"
            await self._mark(to, reason)
            raise Unreachable(reason)
        return reference

    async def _open(self, to: Address, reference: ConversationReference) -> ConversationReference:
        """Open the 1:1 chat of a cold reference, in the person's tenant, and remember it."""
        tenant = reference.conversation.tenant_id if reference.conversation else None
        parameters = ConversationParameters(is_group=False, bot=reference.bot, members=[reference.user],
                                            tenant_id=tenant, channel_data={"tenant": {"id": tenant}})
        created = await self._guarded(to, reference, lambda client: client.conversations.create_conversation(parameters))
        reference.conversation = ConversationAccount(id=created.id, conversation_type="personal", tenant_id=tenant)
        await self.refs.opened(to.workspace, to.user or "", reference)
        return reference

    async def _guarded(self, to: Address, reference: ConversationReference, call: Call) -> Any:
        """One paced connector call in the person's conversation."""
        await self.pacer.wait(to.workspace, reference.conversation.id if is_open(reference) else None)
        results: list[Any] = []

        async def logic(context: TurnContext) -> None:
            results.append(await call(direct(context, self.timeout)))

        await self._translated(to, self.adapter.continue_conversation(reference, logic, self.app_id))
        return results[0]

    async def _translated(self, to: Address, work: Awaitable[Any]) -> None:
        """Run a connector exchange; what Teams refuses becomes a :class:`SendError`."""
        try:
            await asyncio.wait_for(work, self.timeout)
        except HttpOperationError as exc:
            response = exc.response
            error = send_error(getattr(response, "status_code", 0) or 0, dict(getattr(response, "headers", {}) or {}),
                               _text(response))
            log.info("Teams refused a send: %s", error.reason)
            if error.retry_after and not error.permanent:
                self.pacer.hold(to.workspace, error.retry_after)
            if isinstance(error, Unreachable):
                await self._mark(to, error.reason)
            raise error from None
        except (ClientRequestError, asyncio.TimeoutError, OSError) as exc:
            raise SendError(f"could not reach the Bot Connector ({type(exc).__name__})") from None

    async def _mark(self, to: Address, reason: str) -> None:
        if self.on_unreachable is not None:
            await self.on_unreachable(to, reason)


def direct(context: TurnContext, timeout: float = TIMEOUT_SECONDS) -> Any:
    """The turn's connector client, without msrest's own hidden retries (the dispatcher retries,
    with back-off and jitter, and keeps count) and with a timeout shorter than a claim's lease."""
    client = context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
    client.config.retry_policy.retries = 0
    client.config.connection.timeout = timeout
    return client


def channel_reference(team: ConversationReference, channel_id: str) -> ConversationReference:
    """How to post in one channel of a team, from the reference kept for the team."""
    tenant = team.conversation.tenant_id if team.conversation else None
    return ConversationReference(channel_id=team.channel_id, service_url=team.service_url, bot=team.bot,
                                 conversation=ConversationAccount(id=channel_id, is_group=True, conversation_type="channel",
                                                                  tenant_id=tenant))


def _addressed(body: dict[str, Any], reference: ConversationReference) -> Activity:
    activity = Activity().deserialize(body)
    return TurnContext.apply_conversation_reference(activity, _without_activity(reference))


def _without_activity(reference: ConversationReference) -> ConversationReference:
    """Addressing only: no ``replyToId`` (threading is explicit)."""
    return ConversationReference(channel_id=reference.channel_id, service_url=reference.service_url,
                                 conversation=reference.conversation, bot=reference.bot, user=reference.user,
                                 locale=reference.locale)


def _where(data: str) -> dict[str, str]:
    try:
        where = json.loads(data)
    except ValueError:
        where = None
    if not isinstance(where, dict) or not all(isinstance(where.get(k), str) and where[k] for k in "wuca"):
        raise SendError("not a Teams message reference", permanent=True)
    return where


def _text(response: Any) -> str:
    text = getattr(response, "text", "")
    return text() if callable(text) else str(text or "")
