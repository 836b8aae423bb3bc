"""``cohort add <name> team:<team name>``: the team's roster, read page by page from Teams before
the core sees the command, so the core enrols people it can then reach.

Only an admin's command reads a roster (it creates people and references). Each member becomes
a known person (name, e-mail) with a cold reference; their 1:1 chat opens on the first send.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter

from bot.adapters.teams.chat import direct
from bot.adapters.teams.refs import ConversationRefs, Member, Team
from bot.core import grammar
from bot.core.command_values import TeamRef
from bot.core.messages import Inbound

PAGE_SIZE = 500
IsAdmin = Callable[[Inbound], Awaitable[bool]]


def team_names(text: str) -> tuple[str, ...]:
    """The team names a ``cohort add`` command names, as the grammar reads them."""
    parsed = grammar.parse(text)
    if not isinstance(parsed, grammar.CohortAdd):
        return ()
    return tuple(target.name for target in parsed.targets if isinstance(target, TeamRef))


class Roster:
    def __init__(self, adapter: CloudAdapter, refs: ConversationRefs, is_admin: IsAdmin, app_id: str = ""):
        self.adapter = adapter
        self.refs = refs
        self.is_admin = is_admin
        self.app_id = app_id

    async def expand(self, inbound: Inbound) -> Inbound:
        """The inbound with each named team's members attached under ``team:<name>``; teams
        the app is not installed in are left for the core to list back."""
        names = team_names(inbound.text) if inbound.kind in ("message", "command") else ()
        if not names or not await self.is_admin(inbound):
            return inbound
        groups = []
        for name in names:
            team = await self.refs.team(inbound.sender.workspace, name=name)
            if team is None:
                continue
            members = await self.members(team)
            await self.refs.remember_members(inbound.sender.workspace, team, members)
            groups.append((f"team:{name}", tuple((m.user_id, m.name) for m in members)))
        return dataclasses.replace(inbound, members=tuple(groups)) if groups else inbound

    async def members(self, team: Team) -> list[Member]:
        """Everyone on the team, following continuation tokens to the last page."""
        members: list[Member] = []

        async def read(context: TurnContext) -> None:
            direct(context)
            token: str | None = None
            while True:
                page = await TeamsInfo.get_paged_team_members(context, team.team_id, token, PAGE_SIZE)
                members.extend(_member(account) for account in page.members or ())
                token = page.continuation_token
                if not token:
                    return

        await self.adapter.continue_conversation(team.reference, read, self.app_id)
        return members


def _member(account: Any) -> Member:
    email = getattr(account, "email", None) or getattr(account, "user_principal_name", None)
    return Member(account.id, account.name or "", email or None)
