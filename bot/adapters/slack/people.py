"""Who people are in Slack: profiles from users.info (cached, refreshed by ``user_change``),
people named in commands made known to the core, and channels or user groups expanded into
their members before a ``cohort add`` reaches the core."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.chat import PLATFORM, BoundedCache, TokenFor
from bot.adapters.slack.errors import TRANSPORT_ERRORS, describe
from bot.adapters.slack.inbound import Profile
from bot.core.ports import Clock
from bot.core.store import Store

log = logging.getLogger("microcoach.slack.people")
T = TypeVar("T")
Members = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
LOOKUP_CONCURRENCY = 8
MEMBER_PAGES = 20
INLINE_BUDGET_SECONDS = 1.5
"""How long a ``cohort add #channel`` waits for members' profiles before it answers (Slack wants
its ack within 3 s); lookups still running finish afterwards and fill in names and zones."""


def profile_of(user: dict[str, Any]) -> Profile:
    """A users.info ``user`` object → :class:`Profile`."""
    details = user.get("profile") or {}
    name = details.get("display_name") or details.get("real_name") or user.get("real_name") or user.get("name") or ""
    return Profile(name=str(name), tz=_zone(user.get("tz")), email=details.get("email") or None,
                   admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
                   bot=bool(user.get("is_bot") or user.get("is_app_user")), deleted=bool(user.get("deleted")))


def _zone(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


async def off_loop(call: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, call)


class SlackPeople:
    def __init__(self, client: AsyncWebClient, token_for: TokenFor, store: Store, clock: Clock,
                 cache: BoundedCache[tuple[str, str], Profile] | None = None):
        self.client = client
        self.token_for = token_for
        self.store = store
        self.clock = clock
        self.profiles: BoundedCache[tuple[str, str], Profile] = cache or BoundedCache()
        self.inline_budget = INLINE_BUDGET_SECONDS
        self._lookups = asyncio.Semaphore(LOOKUP_CONCURRENCY)
        self._in_flight: dict[tuple[str, str], asyncio.Task[Profile | None]] = {}

    def cached(self, team: str, user: str) -> Profile | None:
        return self.profiles.get((team, user))

    async def profile(self, team: str, user: str) -> Profile | None:
        """The person's profile, from the cache or users.info; ``None`` if Slack won't say.
        Concurrent asks for the same person share one users.info call."""
        cached = self.profiles.get((team, user))
        if cached is not None:
            return cached
        return await asyncio.shield(self._lookup_task(team, user))

    def _lookup_task(self, team: str, user: str) -> asyncio.Task[Profile | None]:
        task = self._in_flight.get((team, user))
        if task is None:
            task = asyncio.get_running_loop().create_task(self._lookup(team, user))
            self._in_flight[(team, user)] = task
            task.add_done_callback(lambda _: self._in_flight.pop((team, user), None))
        return task

    async def _lookup(self, team: str, user: str) -> Profile | None:
        token = await self.token_for(team)
        if not token:
            return None
        try:
            async with self._lookups:
                response = await self.client.users_info(token=token, user=user)
        except TRANSPORT_ERRORS as exc:
            log.info("users.info failed: %s", describe(exc))
            return None
        found = profile_of(response.get("user") or {})
        self.profiles.put((team, user), found)
        return found

    async def changed(self, team: str, user: dict[str, Any]) -> None:
        """``user_change``: refresh the cache; a known person's new zone re-plans their slots."""
        user_id = str(user.get("id") or "")
        if not user_id:
            return
        profile = profile_of(user)
        self.profiles.put((team, user_id), profile)
        await off_loop(lambda: self._apply(team, user_id, profile, create=False))

    async def register(self, team: str, users: tuple[str, ...]) -> None:
        """Make people named in a command known to the core, with their names and zones."""
        profiles = await self._profiles(team, users)
        for user, profile in profiles.items():
            if profile is not None and not profile.bot and not profile.deleted:
                await off_loop(lambda u=user, p=profile: self._apply(team, u, p, create=True))

    async def update_known(self, team: str, users: tuple[str, ...]) -> None:
        """After a bulk enrolment: give the people the core just created their zones and e-mails
        (a zone they did not have re-plans their slots)."""
        for user, profile in (await self._profiles(team, users)).items():
            if profile is not None:
                await off_loop(lambda u=user, p=profile: self._apply(team, u, p, create=False))

    async def members(self, team: str, groups: tuple[tuple[str, str], ...], bot_user: str | None) -> Members:
        """Each named channel or user group → its people (bots and the bot itself left out)."""
        token = await self.token_for(team)
        expanded = []
        for kind, group in groups:
            users = await self._group(token or "", kind, group)
            if users is None:
                continue
            profiles = await self._profiles(team, tuple(u for u in users if u != bot_user), budget=self.inline_budget)
            people = tuple((u, p.name if p else "") for u, p in profiles.items() if not (p and (p.bot or p.deleted)))
            expanded.append((group, people))
        return tuple(expanded)

    async def _group(self, token: str, kind: str, group: str) -> list[str] | None:
        try:
            if kind == "usergroup":
                response = await self.client.usergroups_users_list(token=token, usergroup=group)
                return [str(u) for u in response.get("users") or []]
            users: list[str] = []
            cursor = None
            for _ in range(MEMBER_PAGES):
                response = await self.client.conversations_members(token=token, channel=group, limit=1000, cursor=cursor)
                users += [str(u) for u in response.get("members") or []]
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
            return users
        except TRANSPORT_ERRORS as exc:
            log.info("could not list %s members: %s", kind, describe(exc))
            return None

    async def _profiles(self, team: str, users: tuple[str, ...], budget: float | None = None) -> dict[str, Profile | None]:
        """Profiles of many people; with a ``budget``, those not known in time are ``None``."""
        known = {user: self.profiles.get((team, user)) for user in users}
        tasks = {user: self._lookup_task(team, user) for user, profile in known.items() if profile is None}
        if tasks:
            await asyncio.wait(tasks.values(), timeout=budget)
        return {**known, **{user: task.result() if task.done() else None for user, task in tasks.items()}}

    def _apply(self, team: str, user: str, profile: Profile, *, create: bool) -> None:
        now: datetime = self.clock.now()
        workspace = self.store.ensure_workspace(PLATFORM, team, at=now)
        before = self.store.find_person(workspace.id, user)
        if before is None and not create:
            return
        person = self.store.ensure_person(workspace.id, user, at=now, display_name=profile.name or None,
                                          email=profile.email, tz=profile.tz)
        if before is not None and profile.tz and before.tz != profile.tz:
            enrollments = self.store.enrollments_of_teacher(person.id)
            if enrollments:
                self.store.replan([e.id for e in enrollments], now)
