"""The teacher's journey around the prompts: choosing a focus and a goal at onboarding, the goal
check-back every few weeks ("Is this still your focus?"), and the one-tap "Was this useful?"
after each follow-up."""

from __future__ import annotations

from datetime import datetime

from bot.core import cards
from bot.core import catalogue as say
from bot.core.directory import Actor, Directory
from bot.core.messages import Outbound
from bot.core.model import Delivery, ReplyKind
from bot.core.outcome import Outcome
from bot.core.prompts import FOCUS_AREAS
from bot.core.store import Store

MAX_GOAL = 500
CHECK_BACK_ORIGIN = "check-back:"


class Journey:
    def __init__(self, store: Store, directory: Directory):
        self.store = store
        self.directory = directory

    def choose_focus(self, actor: Actor, value: str, welcome_text: str, now: datetime) -> Outcome:
        """A focus button, on the welcome card or on the picker a check-back opened (its value then
        says which check-back); the teacher's unsent slots follow the new focus."""
        area, _, origin = value.partition("|")
        if area not in FOCUS_AREAS or not self.store.enrollments_of_teacher(actor.person.id):
            return Outcome.refuse(say.CLOSED)
        self._replan(actor, now, focus=area)
        check_back = self._check_back(actor, origin.removeprefix(CHECK_BACK_ORIGIN)) if origin else None
        if check_back is None:
            return Outcome(notices=[say.focus_chosen(area)], replace=cards.welcome_card(welcome_text, area))
        self._record(actor, check_back, f"changed to {area}", now)
        return Outcome(notices=[say.focus_changed(area)],
                       replace=self._picker(area, origin))

    def save_goal(self, actor: Actor, goal: str, now: datetime) -> Outcome:
        goal = " ".join(goal.split())[:MAX_GOAL]
        if not goal:
            return Outcome.refuse(say.EMPTY_GOAL)
        if not self.store.enrollments_of_teacher(actor.person.id):
            return Outcome.refuse(say.CLOSED)
        self._replan(actor, now, goal=goal)
        return Outcome.say(say.goal_saved(goal))

    def check_back(self, actor: Actor, action_id: str, value: str, now: datetime) -> Outcome:
        """"Is this still your focus?": keeping it is recorded at once; changing it opens the focus
        picker, as onboarding does, and the choice made there is recorded."""
        delivery = self._check_back(actor, value)
        enrollment = self.store.get_enrollment(delivery.enrollment_id) if delivery and delivery.enrollment_id else None
        if delivery is None or enrollment is None:
            return Outcome.refuse(say.CLOSED)
        if action_id == cards.KEEP_FOCUS:
            self._record(actor, delivery, f"kept {enrollment.focus or 'no focus'}", now)
            return Outcome(replace=cards.notice(say.check_back_kept(enrollment.focus)))
        return Outcome(replace=self._picker(enrollment.focus, f"{CHECK_BACK_ORIGIN}{delivery.id}"))

    @staticmethod
    def _picker(focus: str | None, origin: str) -> Outbound:
        return cards.focus_picker(say.CHECK_BACK_CHANGE, focus, say.CHECK_BACK_QUESTION, say.CHECK_BACK_HINT, origin)

    def _check_back(self, actor: Actor, delivery_id: str) -> Delivery | None:
        """The teacher's own check-back that went out, else None."""
        delivery = self.store.get_delivery(int(delivery_id)) if delivery_id.isdigit() else None
        if delivery is None or delivery.person_id != actor.person.id or delivery.kind != "check_back" \
                or delivery.status != "sent":
            return None
        return delivery

    def _record(self, actor: Actor, delivery: Delivery, answer: str, now: datetime) -> None:
        """One answer per check-back: a later tap replaces the earlier one."""
        earlier = self.store.reply_to_delivery(actor.person.id, delivery.id, (ReplyKind.CHECK_BACK.value,))
        if earlier is not None:
            self.store.update_reply(earlier.id, text=answer, updated_at=now)
            return
        self.store.add_reply(workspace_id=actor.workspace.id, person_id=actor.person.id, delivery_id=delivery.id,
                             kind=ReplyKind.CHECK_BACK.value, text=answer, message_id=None, at=now)

    def _replan(self, actor: Actor, now: datetime, **values: object) -> None:
        self.store.update_teacher_enrollments(actor.person.id, **values)
        self.store.replan([e.id for e in self.store.enrollments_of_teacher(actor.person.id)], now)

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
