"""The teacher's journey around the prompts: choosing a focus and a goal at onboarding, and the
one-tap "Was this useful?" after each follow-up."""

from __future__ import annotations

from datetime import datetime

from bot.core import cards
from bot.core import catalogue as say
from bot.core.directory import Actor, Directory
from bot.core.outcome import Outcome
from bot.core.prompts import FOCUS_AREAS
from bot.core.store import Store

MAX_GOAL = 500


class Journey:
    def __init__(self, store: Store, directory: Directory):
        self.store = store
        self.directory = directory

    def choose_focus(self, actor: Actor, area: str, welcome_text: str) -> Outcome:
        if area not in FOCUS_AREAS or not self.store.enrollments_of_teacher(actor.person.id):
            return Outcome.refuse(say.CLOSED)
        self.store.update_teacher_enrollments(actor.person.id, focus=area)
        return Outcome(notices=[say.focus_chosen(area)], replace=cards.welcome_card(welcome_text, area))

    def save_goal(self, actor: Actor, goal: str) -> Outcome:
        goal = " ".join(goal.split())[:MAX_GOAL]
        if not goal:
            return Outcome.refuse(say.EMPTY_GOAL)
        if not self.store.enrollments_of_teacher(actor.person.id):
            return Outcome.refuse(say.CLOSED)
        self.store.update_teacher_enrollments(actor.person.id, goal=goal)
        return Outcome.say(say.goal_saved(goal))

    def useful(self, actor: Actor, value: str, now: datetime) -> Outcome:
        draft_id, _, answer = value.partition("|")
        draft = self.store.get_draft(int(draft_id)) if draft_id.isdigit() else None
        reply = self.store.get_reply(draft.reply_id) if draft else None
        if draft is None or reply is None or reply.person_id != actor.person.id or answer not in ("yes", "no") \
                or not draft.final_text:
            return Outcome.refuse(say.CLOSED)
        useful = answer == "yes"
        self.store.update_draft(draft.id, useful=useful, updated_at=now)
        coach = self.store.get_person(draft.decided_by) if draft.decided_by else None
        return Outcome(replace=cards.useful_thanks(draft.final_text, self.directory.name(coach), useful))
