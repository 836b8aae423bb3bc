"""Which clicks open a modal, and with what text field.

In Slack a message cannot hold a text field the button submits, so Reflect…, Edit…, Write my
own… and Set a goal… open a modal instead. The modal opens only for the person the click is for and only
while the prompt or draft is still open; any other click goes straight to the core, which
answers it (an ephemeral refusal, "this has closed"), and nothing of the draft is shown.
"""

from __future__ import annotations

import asyncio

from bot.core import cards
from bot.core import catalogue as say
from bot.core.approvals import Approvals
from bot.core.messages import TextInput
from bot.core.store import Store

PLATFORM = "slack"
MODAL_INPUT = {cards.REFLECT: cards.REFLECTION_INPUT, cards.EDIT: cards.EDIT_INPUT, cards.OWN: cards.OWN_INPUT,
               cards.SAVE_GOAL: cards.GOAL_INPUT}


class ModalFields:
    def __init__(self, store: Store, approvals: Approvals):
        self.store = store
        self.approvals = approvals

    async def field_for(self, user: str, action_id: str, value: str) -> TextInput | None:
        if action_id not in MODAL_INPUT:
            return None
        return await asyncio.get_running_loop().run_in_executor(None, self._field, user, action_id, value)

    def _field(self, user: str, action_id: str, value: str) -> TextInput | None:
        person = self._person(user)
        if action_id == cards.SAVE_GOAL:
            return _goal_field() if person is not None and self.store.enrollments_of_teacher(person) else None
        target = value.partition("|")[0]
        if person is None or not target.isdigit():
            return None
        if action_id == cards.REFLECT:
            delivery = self.store.get_delivery(int(target))
            if delivery is None or delivery.person_id != person or delivery.status != "sent":
                return None
            return TextInput(cards.REFLECTION_INPUT, say.REFLECT_LABEL)
        draft = self.store.get_draft(int(target))
        if draft is None or draft.coach_id != person:
            return None
        open_now = draft.status == "pending" if action_id == cards.EDIT else (
            draft.status == "rejected" and not draft.final_text)
        if not open_now:
            return None
        wanted = MODAL_INPUT[action_id]
        return next((f for f in self.approvals.card(draft).inputs if f.input_id == wanted), None)

    def _person(self, user: str) -> int | None:
        person = self.store.find_person_on(PLATFORM, user)
        return person.id if person else None


def _goal_field() -> TextInput:
    """The welcome card's own goal field, so its label and limits stay the core's."""
    return next(f for f in cards.welcome_card("", None).inputs if f.input_id == cards.GOAL_INPUT)
