"""The App Home tab: a teacher's focus, next prompt, streak, pause/resume and change of focus;
for a coach, how many drafts wait. Published when the tab is opened and after each reply or
click. Its buttons run the person's own commands (``pause me``, ``focus …``), so the core's
rules apply unchanged."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.chat import TokenFor
from bot.adapters.slack.errors import TRANSPORT_ERRORS, describe
from bot.adapters.slack.render import escape
from bot.core import catalogue as say
from bot.core.ports import Clock
from bot.core.prompts import FOCUS_AREAS
from bot.core.store import Store

log = logging.getLogger("microcoach.slack.home")
PLATFORM = "slack"
HOME_COMMAND = "home.command"
"""A Home button whose value is a command the person runs for themselves."""
STREAK_KINDS = ("reply", "quick")


@dataclass(frozen=True)
class HomeFacts:
    enrolled: bool = False
    focus: str | None = None
    paused: bool = False
    next_prompt: datetime | None = None
    """Local time of the next planned prompt."""
    streak_weeks: int = 0
    drafts_waiting: int | None = None
    """For coaches only."""


def weeks_in_a_row(days: set[date], today: date) -> int:
    """Weeks in a row, up to this week (or last, if this week has none yet), with a reply."""
    weeks = {d.isocalendar()[:2] for d in days}
    week = today
    if week.isocalendar()[:2] not in weeks:
        week -= timedelta(days=7)
    count = 0
    while week.isocalendar()[:2] in weeks:
        count += 1
        week -= timedelta(days=7)
    return count


def home_facts(store: Store, user: str, now: datetime, default_tz: str) -> HomeFacts:
    person = store.find_person_on(PLATFORM, user)
    if person is None:
        return HomeFacts()
    zone = ZoneInfo(person.tz or default_tz)
    enrollments = store.enrollments_of_teacher(person.id)
    roles = store.roles_of(person.id)
    waiting = len(store.pending_drafts(coach_id=person.id))
    drafts = waiting if ("coach" in roles or waiting) else None
    if not enrollments:
        return HomeFacts(drafts_waiting=drafts)
    planned = [d.slot_utc for d in store.deliveries_of([e.id for e in enrollments], since=now.astimezone(zone).date())
               if d.status == "planned" and d.slot_utc > now]
    replied = {r.created_at.astimezone(zone).date() for r in store.replies_of(person.id)
               if r.created_at and r.kind in STREAK_KINDS and not r.withdrawn}
    return HomeFacts(enrolled=True, focus=enrollments[0].focus, paused=all(e.paused for e in enrollments),
                     next_prompt=min(planned).astimezone(zone) if planned else None,
                     streak_weeks=weeks_in_a_row(replied, now.astimezone(zone).date()), drafts_waiting=drafts)


def home_view(facts: HomeFacts, note: str = "") -> dict[str, Any]:
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text="MicroCoach"))]
    if facts.enrolled:
        blocks += _teacher(facts)
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text="You're not in a coaching cohort yet. When your coach adds you, your prompts will show up here.")))
    if facts.drafts_waiting is not None:
        waiting = facts.drafts_waiting
        line = f"*Drafts waiting for you:* {waiting}" + (" — they're in your messages with MicroCoach." if waiting else "")
        blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=line))]
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(note)[:2000])]))
    return View(type="home", blocks=blocks).to_dict()


def _teacher(facts: HomeFacts) -> list[Block]:
    focus = say.focus_label(facts.focus) if facts.focus else "not chosen yet"
    if facts.paused:
        upcoming = "paused — tap Resume whenever you're ready"
    elif facts.next_prompt:
        upcoming = facts.next_prompt.strftime("%a %b %-d at %H:%M")
    else:
        upcoming = "none planned yet"
    streak = (f"{facts.streak_weeks} week{'s' if facts.streak_weeks != 1 else ''} in a row with a reflection"
              if facts.streak_weeks else "your first reflection starts one")
    toggle = (ButtonElement(text="Resume my prompts", action_id=f"{HOME_COMMAND}#resume", value="resume me", style="primary")
              if facts.paused else ButtonElement(text="Pause my prompts", action_id=f"{HOME_COMMAND}#pause", value="pause me"))
    areas = [ButtonElement(text=say.focus_label(area), action_id=f"{HOME_COMMAND}#focus{i}", value=f"focus {area}")
             for i, area in enumerate(FOCUS_AREAS) if area != facts.focus]
    return [
        SectionBlock(fields=[MarkdownTextObject(text=f"*Your focus*\n{focus}"),
                             MarkdownTextObject(text=f"*Next prompt*\n{upcoming}"),
                             MarkdownTextObject(text=f"*Streak*\n{streak}")]),
        ActionsBlock(elements=[toggle]),
        SectionBlock(text=MarkdownTextObject(text="*Change your focus*")),
        ActionsBlock(elements=areas[:25]),
    ]


class HomeTab:
    """Publishes Home tabs. A refresh after a reply waits ``refresh_delay`` seconds and covers
    every reply of that person meanwhile, so a burst of messages costs one publish."""

    def __init__(self, client: AsyncWebClient, token_for: TokenFor, store: Store, clock: Clock, default_tz: str,
                 refresh_delay: float = 3.0):
        self.client = client
        self.token_for = token_for
        self.store = store
        self.clock = clock
        self.default_tz = default_tz
        self.refresh_delay = refresh_delay
        self._pending: set[tuple[str, str]] = set()

    async def refresh(self, team: str, user: str) -> None:
        if (team, user) in self._pending:
            return
        self._pending.add((team, user))
        try:
            await asyncio.sleep(self.refresh_delay)
        finally:
            self._pending.discard((team, user))
        await self.publish(team, user)

    async def publish(self, team: str, user: str, note: str = "") -> None:
        token = await self.token_for(team)
        if not token:
            return
        now = self.clock.now()
        facts = await asyncio.get_running_loop().run_in_executor(None, lambda: self.store.atomically(
            lambda: home_facts(self.store, user, now, self.default_tz), writes=False))
        try:
            await self.client.views_publish(token=token, user_id=user, view=home_view(facts, note))
        except TRANSPORT_ERRORS as exc:
            log.info("views.publish failed: %s", describe(exc))
