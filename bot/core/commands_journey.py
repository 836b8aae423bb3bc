"""Commands that shape what teachers receive: a coach's own prompts (``prompt add``), a chosen
prompt sent to a cohort next (``prompt next``), and a cohort's peer-share channel (``cohort
channel``). Permissions are checked and the audit row written by :mod:`bot.core.commands`."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import catalogue as say
from bot.core import grammar as g
from bot.core.directory import Actor, Directory
from bot.core.outcome import Outcome
from bot.core.ports import PromptLibrary
from bot.core.prompts import REPEAT_WINDOW, PromptItem
from bot.core.store import Store

_FIRST_LINK = re.compile(r"\bhttps?://\S+")


class JourneyCommands:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary):
        self.store = store
        self.directory = directory
        self.prompts = prompts

    def run(self, actor: Actor, command: g.Command, now: datetime) -> Outcome | None:
        """Handle one of these commands, or return ``None`` when it is not one."""
        match command:
            case g.PromptAdd():
                return self._add(actor, command, now)
            case g.PromptNext(cohort=ref, prompt_id=prompt_id):
                return self._next(actor, ref, prompt_id, now)
            case g.CohortChannel(cohort=ref, channel=channel):
                return self._channel(actor, ref, channel, now)
        return None

    def visible(self, actor: Actor, prompt_id: str) -> PromptItem | None:
        """A prompt this person's workspace may use: any pack item, or one of its own."""
        stored = self.store.own_prompt(prompt_id)
        if stored is not None:
            return stored[1] if stored[0] == actor.workspace.id else None
        return self.prompts.get(prompt_id)

    def _add(self, actor: Actor, command: g.PromptAdd, now: datetime) -> Outcome:
        """Checked by the rules a pack item passes (lengths, link syntax, allowed domains); a
        micro-lesson's first link becomes its link."""
        text, link = command.text, None
        if command.kind == "micro-lesson" and (found := _FIRST_LINK.search(text)):
            link = found.group(0).rstrip(".,;:!?)")
            text = " ".join((text[: found.start()] + text[found.start() + len(link):]).split())
        coach = self.directory.name(actor.person)
        item = PromptItem(id="own-0", kind=command.kind, focus=command.focus, level=command.level, text=text,
                          title=say.own_title(command.kind, coach), link=link, rationale=say.own_rationale(coach))
        problems = self.prompts.problems(item)
        if problems:
            return Outcome.refuse(say.own_refused(problems))
        own = self.store.own_prompts([actor.workspace.id]).get(actor.workspace.id, [])
        similar = self.prompts.resembles(item, own)
        saved = self.store.add_own_prompt(actor.workspace.id, actor.person.id, item, at=now)
        return Outcome.say(say.own_saved(saved.id, saved.kind, saved.focus, saved.level),
                           say.own_resembles(similar) if similar else "")

    def _next(self, actor: Actor, ref: g.CohortRef, prompt_id: str, now: datetime) -> Outcome:
        """Pin the prompt as each active teacher's next one and re-plan their unsent slots; a
        teacher who had it in the last 8 weeks keeps their usual journey."""
        cohort = self.store.find_cohort(actor.workspace.id, ref.key)
        if cohort is None:
            return Outcome.refuse(say.unknown_cohort(ref.name))
        item = self.visible(actor, prompt_id)
        if item is None:
            return Outcome.refuse(f"There's no prompt with id {prompt_id}.")
        if item.kind == "peer-share":
            return Outcome.refuse(say.pin_peer_share(prompt_id))
        today = now.astimezone(ZoneInfo(cohort.tz)).date()
        enrollments = self.store.enrollments_of_cohort(cohort.id)
        history = self.store.history_of(sorted({e.teacher_id for e in enrollments}))
        pinned, had = [], []
        for enrollment in enrollments:
            teacher = self.store.get_person(enrollment.teacher_id)
            if any(pid == prompt_id and today - REPEAT_WINDOW < day <= today for pid, day in history[enrollment.teacher_id]):
                had.append(self.directory.name(teacher))
                continue
            self.store.update_enrollment(enrollment.id, pinned_prompt_id=prompt_id, pinned_on=today)
            pinned.append(enrollment.id)
        self.store.replan(pinned, now)
        return Outcome.say(say.pinned(prompt_id, cohort.name, len(pinned), bool(cohort.days and cohort.send_time)),
                           say.pin_skipped(had) if had else "")

    def _channel(self, actor: Actor, ref: g.CohortRef, channel: g.ChannelRef | g.TeamRef | None,
                 now: datetime) -> Outcome:
        cohort = self.store.find_cohort(actor.workspace.id, ref.key)
        if cohort is None:
            return Outcome.refuse(say.unknown_cohort(ref.name))
        if channel is None:
            self.store.update_cohort(cohort.id, channel=None)
            self.store.drop_peer_posts(cohort.id, now)
            return Outcome.say(say.channel_off(cohort.name))
        key = f"team:{channel.name}" if isinstance(channel, g.TeamRef) else channel.id
        label = key if isinstance(channel, g.TeamRef) else f"#{channel.label or channel.id}"
        self.store.update_cohort(cohort.id, channel=key[:200])
        self.store.drop_peer_posts(cohort.id, now)
        return Outcome.say(say.channel_set(cohort.name, label, bool(cohort.days and cohort.send_time)))
