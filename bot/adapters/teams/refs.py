"""Conversation references, kept in the database the moment they are seen, so a restart loses
nobody. Teams lets a bot message a person proactively only through a reference (the chat's id
and the ``serviceUrl`` to post to); a roster member we have never talked to gets a *cold*
reference (no chat id yet) that the chat port opens on first send."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol, TypeVar

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from bot.adapters.teams.inbound import PLATFORM, is_personal, team_of, tenant_of
from bot.core.model import Person, PersonStatus, Workspace
from bot.core.ports import Clock
from storage.teams_refs import TeamsRefStore

T = TypeVar("T")


class People(Protocol):
    """The part of the core's store references need (``SqlStore`` has it)."""

    def ensure_workspace(self, platform: str, external_id: str, name: str = "", *, at: object) -> Workspace: ...
    def ensure_person(self, workspace_id: int, external_id: str, *, at: object, display_name: str | None = None,
                      email: str | None = None, tz: str | None = None) -> Person: ...
    def set_person_status(self, person_id: int, status: PersonStatus) -> None: ...


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    reference: ConversationReference


@dataclass(frozen=True)
class Member:
    """One person on a team's roster."""

    user_id: str
    name: str
    email: str | None = None


class ConversationRefs:
    def __init__(self, people: People, store: TeamsRefStore, clock: Clock):
        self.people = people
        self.store = store
        self.clock = clock

    async def remember(self, activity: Activity) -> None:
        """Every activity in a 1:1 chat refreshes how to reach its person (and makes someone
        marked unreachable reachable again). An activity in a team records the team, and gives
        its sender a cold reference if they have none, so they can be answered privately."""
        sender = activity.from_property
        if sender is None or not sender.id or not activity.service_url:
            return
        tenant = tenant_of(activity)
        if is_personal(activity):
            reference = TurnContext.get_conversation_reference(activity)
            reference.activity_id = None
            reference.conversation.tenant_id = tenant
            await _off_loop(partial(self._save, tenant, Member(sender.id, sender.name or ""), encode(reference),
                                    replace=True, reactivate=True))
            return
        team = team_of(activity)
        if team is not None:
            known = await self.remember_team(activity, *team)
            await self.remember_members(tenant, known, [Member(sender.id, sender.name or "")])

    async def remember_team(self, activity: Activity, team_id: str, name: str) -> Team:
        reference = TurnContext.get_conversation_reference(activity)
        reference.activity_id = None
        tenant = tenant_of(activity)
        reference.conversation.tenant_id = tenant
        if not name:
            known = await self.team(tenant, team_id=team_id)
            name = known.name if known else ""
        data = json.dumps({"name": name, "reference": reference.serialize()})
        await _off_loop(partial(self.store.save_team, tenant, team_id, data, at=self.clock.now()))
        return Team(team_id, name, reference)

    async def forget_team(self, tenant: str, team_id: str) -> None:
        await _off_loop(partial(self.store.remove_team, tenant, team_id))

    async def team(self, tenant: str, *, name: str | None = None, team_id: str | None = None) -> Team | None:
        """A team the app is installed in, by id or by name (case and spacing aside); ``None``
        when there is none, or the name fits more than one."""
        installs = await _off_loop(partial(self.store.teams_of, tenant))
        teams = [_team(install.team_id, install.data) for install in installs]
        found = [t for t in teams if (team_id is not None and t.team_id == team_id)
                 or (name is not None and _same_name(t.name, name))]
        return found[0] if len(found) == 1 else None

    async def remember_members(self, tenant: str, team: Team, members: list[Member]) -> None:
        """Roster members become known people, each with a cold reference unless we can already
        reach them."""
        template = team.reference
        for member in members:
            cold = ConversationReference(
                channel_id=template.channel_id, service_url=template.service_url, bot=template.bot,
                user=ChannelAccount(id=member.user_id, name=member.name),
                conversation=ConversationAccount(conversation_type="personal", tenant_id=tenant),
            )
            await _off_loop(partial(self._save, tenant, member, encode(cold), replace=False))

    async def reference(self, workspace: str, user: str) -> ConversationReference | None:
        data = await _off_loop(partial(self.store.load_ref, workspace, user))
        return None if data is None else decode(data)

    async def opened(self, workspace: str, user: str, reference: ConversationReference) -> None:
        """A cold reference now has its chat."""
        await _off_loop(partial(self._save, workspace, Member(user, ""), encode(reference), replace=True))

    def _save(self, tenant: str, member: Member, data: str, *, replace: bool, reactivate: bool = False) -> None:
        now = self.clock.now()
        workspace = self.people.ensure_workspace(PLATFORM, tenant, at=now)
        person = self.people.ensure_person(workspace.id, member.user_id, at=now, display_name=member.name or None,
                                           email=member.email)
        self.store.save_ref(person.id, data, at=now, replace=replace)
        if reactivate and person.status == PersonStatus.UNREACHABLE:
            self.people.set_person_status(person.id, PersonStatus.ACTIVE)


def encode(reference: ConversationReference) -> str:
    return json.dumps(reference.serialize(), sort_keys=True)


def decode(data: str) -> ConversationReference:
    return ConversationReference().deserialize(json.loads(data))


def is_open(reference: ConversationReference) -> bool:
    return bool(reference.conversation and reference.conversation.id)


def _team(team_id: str, data: str) -> Team:
    fields = json.loads(data)
    return Team(team_id, str(fields.get("name") or ""), ConversationReference().deserialize(fields["reference"]))


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


async def _off_loop(call: Callable[[], T]) -> T:
    """Store calls are synchronous; run them in the default thread pool."""
    return await asyncio.get_running_loop().run_in_executor(None, call)
