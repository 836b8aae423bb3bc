"""Commands every person may run about themselves. A teacher's focus, time, pause and stop apply to
all of their enrolments."""

from __future__ import annotations

import json
from datetime import datetime

from bot.core import catalogue as say
from bot.core import grammar as g
from bot.core.config import CoreConfig
from bot.core.directory import Actor
from bot.core.outcome import Outcome
from bot.core.permissions import usage_for
from bot.core.store import Store


class SelfCommands:
    def __init__(self, store: Store, config: CoreConfig):
        self.store = store
        self.config = config

    def run(self, actor: Actor, command: g.Command, now: datetime) -> Outcome | None:
        """Handle a self-service command, or return ``None`` when it is not one."""
        person = actor.person
        match command:
            case g.Help():
                return Outcome.say(f"{say.HELP_PREFIX}\n{usage_for(actor.roles)}")
            case g.Focus(area=area):
                self._replan_after(person.id, now, focus=area)
                return Outcome.say(f"Your focus is now {area.replace('-', ' ')}. Prompts will follow it from the next one.")
            case g.Time(at=at) if at is not None and not self.config.in_quiet_window(at):
                return Outcome.refuse(say.quiet_refusal(at, self.config.quiet_start, self.config.quiet_end))
            case g.Time(at=at):
                self._replan_after(person.id, now, own_time=at)
                if at is None:
                    return Outcome.say("Back to your cohort's usual time.")
                return Outcome.say(f"Prompts will come at {at:%H:%M} your time from now on.")
            case g.Pause(target=g.Me(), until=until):
                self._replan_after(person.id, now, paused=until is None, paused_until=until)
                return Outcome.say(say.paused_until(until))
            case g.Resume(target=g.Me()):
                self._replan_after(person.id, now, paused=False, paused_until=None)
                return Outcome.say("Resumed — prompts pick up on your next cadence day.")
            case g.Stop():
                self.store.update_person(person.id, status="stopped")
                self._replan_after(person.id, now)
                return Outcome.say(say.STOPPED)
            case g.Start():
                self.store.update_person(person.id, status="active")
                self._replan_after(person.id, now)
                return Outcome.say(say.STARTED)
            case g.Ai(on=on):
                self.store.update_person(person.id, ai_opt_out=not on)
                return Outcome.say(say.AI_ON if on else say.AI_OFF)
            case g.MyData():
                exported = self.store.export_person(person.id) or {}
                return Outcome.say("Everything MicroCoach stores about you:\n" + json.dumps(exported, indent=1, default=str)[:35000])
            case g.ForgetMe(confirmed=False):
                return Outcome.say(say.FORGET_CONFIRM)
            case g.ForgetMe(confirmed=True):
                self._withdraw_cards(actor, now)
                self.store.delete_person(person.id)
                return Outcome.say(say.FORGOTTEN)
        return None

    def _replan_after(self, teacher_id: int, now: datetime, **values: object) -> None:
        if values:
            self.store.update_teacher_enrollments(teacher_id, **values)
        ids = [e.id for e in self.store.enrollments_of_teacher(teacher_id, active_only=False)]
        self.store.replan(ids, now)

    def _withdraw_cards(self, actor: Actor, now: datetime) -> None:
        """Before deleting a teacher, mark their pending drafts withdrawn and update the cards."""
        for reply in self.store.replies_of(actor.person.id):
            draft = self.store.open_draft_of(reply.id)
            if draft and self.store.decide_draft(draft.id, status="withdrawn", by=None, at=now, final_text=None):
                self.store.enqueue(key=f"card-withdrawn:{draft.id}", workspace_id=actor.workspace.id,
                                   person_id=draft.coach_id, kind="card_withdrawn",
                                   payload={"card_ref": draft.card_ref, "teacher": actor.person.display_name},
                                   not_before=now, at=now)
