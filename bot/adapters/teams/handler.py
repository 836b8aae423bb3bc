"""The bot's turn logic: remember references, hand people's messages and clicks to the core, and
answer them. Card clicks (``Action.Execute``) are answered with an invoke response we build
ourselves: the updated card, or a short note, never an exception (see PLATFORM-NOTES)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.adapters.teams.chat import TeamsChat, direct
from bot.adapters.teams.inbound import (
    ACTION_INVOKE,
    BadActivity,
    is_personal,
    sender_of,
    team_of,
    tenant_of,
    to_action,
    to_inbound,
)
from bot.adapters.teams.refs import ConversationRefs
from bot.adapters.teams.render import card_response, error_response, message_response, text_activity
from bot.adapters.teams.roster import Roster
from bot.core import cards
from bot.core import catalogue as say
from bot.core.messages import Inbound
from bot.core.outcome import Outcome
from bot.core.ports import SendError

log = logging.getLogger("microcoach.teams")

Handle = Callable[[Inbound], Awaitable[Outcome]]
OPEN_A_CHAT = "I couldn't message you privately — open a chat with MicroCoach and try again there."


class TeamsBot(TeamsActivityHandler):
    def __init__(self, refs: ConversationRefs, handle: Handle, chat: TeamsChat, roster: Roster):
        self.refs = refs
        self.handle = handle
        self.chat = chat
        self.roster = roster

    async def on_turn(self, turn_context: TurnContext) -> None:
        direct(turn_context)
        await self.refs.remember(turn_context.activity)
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._inbound(turn_context)

    async def on_message_update_activity(self, turn_context: TurnContext) -> None:
        await self._inbound(turn_context)

    async def on_message_delete_activity(self, turn_context: TurnContext) -> None:
        await self._inbound(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """References are already remembered; a bot removed from a team forgets the team."""
        activity = turn_context.activity
        bot = activity.recipient.id if activity.recipient else None
        team = team_of(activity)
        if team is not None and any(member.id == bot for member in activity.members_removed or ()):
            await self.refs.forget_team(tenant_of(activity), team[0])

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        team = team_of(activity)
        if team is not None and activity.action in ("remove", "remove-upgrade"):
            await self.refs.forget_team(tenant_of(activity), team[0])

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != ACTION_INVOKE:
            return _error(HTTPStatus.BAD_REQUEST, "NotSupported", f"MicroCoach doesn't handle '{activity.name}'.")
        try:
            inbound = to_action(activity)
        except BadActivity as exc:
            return _error(HTTPStatus.BAD_REQUEST, "BadRequest", str(exc))
        outcome = await self.handle(inbound)
        if outcome.replace is not None:
            await self._notices(turn_context, outcome.notices)
            return InvokeResponse(status=HTTPStatus.OK, body=card_response(outcome.replace))
        note = "\n".join(outcome.notices) or say.CLOSED
        if outcome.refused or not outcome.handled:
            return InvokeResponse(status=HTTPStatus.OK, body=message_response(note))
        return InvokeResponse(status=HTTPStatus.OK, body=card_response(cards.notice(note)))

    async def _inbound(self, turn_context: TurnContext) -> None:
        inbound = to_inbound(turn_context.activity)
        if inbound is None:
            return
        outcome = await self.handle(await self.roster.expand(inbound))
        await self._notices(turn_context, outcome.notices)

    async def _notices(self, turn_context: TurnContext, notices: list[str]) -> None:
        """What only the sender should see goes to their 1:1 chat (a reply right there when the
        activity came from it). A notice that cannot be delivered is logged, not raised: the
        core has already recorded everything."""
        activity: Activity = turn_context.activity
        try:
            for notice in notices:
                if is_personal(activity):
                    await turn_context.send_activity(Activity().deserialize(text_activity(notice)))
                else:
                    await self.chat.tell(sender_of(activity), notice)
        except SendError as exc:
            log.warning("could not tell the sender a notice privately: %s", exc.reason)
            await _reply_quietly(turn_context, OPEN_A_CHAT)
        except (HttpOperationError, ClientRequestError, OSError) as exc:
            log.warning("could not deliver a notice in Teams (%s)", type(exc).__name__)


async def _reply_quietly(turn_context: TurnContext, text: str) -> None:
    try:
        await turn_context.send_activity(Activity().deserialize(text_activity(text)))
    except (HttpOperationError, ClientRequestError, OSError) as exc:
        log.warning("could not reply in Teams (%s)", type(exc).__name__)


def _error(status: HTTPStatus, code: str, text: str) -> InvokeResponse:
    return InvokeResponse(status=int(status), body=error_response(int(status), code, text))
