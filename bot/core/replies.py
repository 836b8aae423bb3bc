"""What happens when a teacher writes: the contract's reply rules.

A message goes to the prompt whose thread it is in, else to the teacher's open prompt (the most
recent one in the last 7 days); with none open it is kept as a note for the coach. Further
messages the same day join that reply. Every reply is stored before it is acknowledged; a reply
matching the safeguarding rules reaches the coach at once, with no draft.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import catalogue as say
from bot.core.directory import Actor, Directory
from bot.core.messages import Inbound
from bot.core.model import Delivery, Reply
from bot.core.outcome import Outcome
from bot.core.ports import PromptLibrary
from bot.core.safeguarding import assess
from bot.core.store import Store

LIVE_KINDS = ("reply", "part")


class Replies:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary):
        self.store = store
        self.directory = directory
        self.prompts = prompts

    def message(self, actor: Actor, inbound: Inbound, now: datetime) -> Outcome:
        person, workspace = actor.person, actor.workspace
        delivery = self._target(actor, inbound, now)
        coach = self.directory.coach_of_teacher(person.id, delivery.enrollment_id if delivery else None)
        coach_name = self.directory.name(coach) if coach else None
        concern = assess(inbound.text)
        if delivery is None:
            reply, created = self.store.add_reply(
                workspace_id=workspace.id, person_id=person.id, delivery_id=None, kind="note",
                text=inbound.text, message_id=inbound.message_id, at=now,
                urgent=concern is not None, concern=concern.category if concern else None,
            )
            if created and coach is not None:
                self._to_coach(reply, coach.id, now, "urgent_card" if concern else "note_card")
            return Outcome.say(say.URGENT_ACK if concern else say.note_ack(coach_name))

        head = self.store.reply_to_delivery(person.id, delivery.id, ("reply",))
        joins = head is not None and not head.urgent and _same_local_day(head, now, self._tz(actor))
        reply, created = self.store.add_reply(
            workspace_id=workspace.id, person_id=person.id, delivery_id=delivery.id,
            kind="part" if joins else "reply", text=inbound.text, message_id=inbound.message_id, at=now,
            urgent=concern is not None, concern=concern.category if concern else None,
            needs_draft=concern is None and not joins,
        )
        if not created:
            return Outcome()
        if concern is not None:
            if coach is not None:
                self._to_coach(reply, coach.id, now, "urgent_card")
            return Outcome.say(say.URGENT_ACK)
        if joins and head is not None:
            self.store.update_reply(head.id, needs_draft=True, updated_at=now)
            return Outcome.say(say.reply_added_ack(coach_name))
        return Outcome.say(say.reply_ack(coach_name, self.directory.ai_on_for(person, workspace)))

    def quick_answer(self, actor: Actor, delivery: Delivery, label: str, message_id: str | None, now: datetime) -> Outcome:
        """A one-tap answer is a response; it makes no draft."""
        self.store.add_reply(
            workspace_id=actor.workspace.id, person_id=actor.person.id, delivery_id=delivery.id, kind="quick",
            text=label, message_id=None, at=now,
        )
        coach = self.directory.coach_of_teacher(actor.person.id, delivery.enrollment_id)
        return Outcome.say(say.quick_ack(label, self.directory.name(coach) if coach else None))

    def edit(self, actor: Actor, inbound: Inbound, now: datetime) -> Outcome:
        """New wording refreshes the pending draft; wording that now matches the safeguarding
        rules flags the reply to the coach at once, as if it had been written so: no AI draft,
        and a pending one is withdrawn."""
        reply = self._own(actor, inbound)
        if reply is None or reply.withdrawn:
            return Outcome()
        self.store.update_reply(reply.id, text=inbound.text, updated_at=now)
        head = self._head(reply) or reply
        if not head.urgent:
            edited = self.store.get_reply(head.id) or head
            concern = assess(full_text(self.store, edited))
            if concern is not None:
                self._flag(edited, concern.category, now)
                return Outcome.say(say.URGENT_ACK)
        self._redraft(reply, now)
        return Outcome.say(say.EDIT_ACK)

    def withdraw(self, actor: Actor, inbound: Inbound, now: datetime) -> Outcome:
        """A deleted message takes its stored text with it, and the pending draft if nothing of
        that reply is left."""
        reply = self._own(actor, inbound)
        if reply is None or reply.withdrawn:
            return Outcome()
        self.store.update_reply(reply.id, text="", withdrawn=True, needs_draft=False, updated_at=now)
        head = self._head(reply)
        if head is None:
            return Outcome.say(say.WITHDRAWN_ACK)
        if full_text(self.store, head).strip():
            self._redraft(head, now)
            return Outcome.say(say.WITHDRAWN_ACK)
        self.store.update_reply(head.id, needs_draft=False)
        draft = self.store.open_draft_of(head.id)
        if draft is not None and self.store.decide_draft(draft.id, status="withdrawn", by=None, at=now, final_text=None):
            self.store.enqueue(
                key=f"card-update:{draft.id}:withdrawn", workspace_id=actor.workspace.id, person_id=draft.coach_id,
                kind="card_update", payload={"draft_id": draft.id}, not_before=now, at=now,
            )
        return Outcome.say(say.WITHDRAWN_ACK)

    # Helpers -------------------------------------------------------------------------------

    def _target(self, actor: Actor, inbound: Inbound, now: datetime) -> Delivery | None:
        if inbound.in_thread_of:
            threaded = self.store.delivery_by_message(actor.workspace.id, inbound.in_thread_of)
            if threaded is not None and threaded.person_id == actor.person.id and threaded.status == "sent":
                return threaded
        return self.store.open_prompt(actor.person.id, now, self.directory.config.open_prompt_window)

    def _own(self, actor: Actor, inbound: Inbound) -> Reply | None:
        if not inbound.message_id:
            return None
        reply = self.store.reply_by_message(actor.workspace.id, inbound.message_id)
        return reply if reply is not None and reply.person_id == actor.person.id else None

    def _head(self, reply: Reply) -> Reply | None:
        if reply.kind == "reply":
            return reply
        if reply.kind == "part" and reply.delivery_id is not None:
            return self.store.reply_to_delivery(reply.person_id, reply.delivery_id, ("reply",))
        return None

    def _redraft(self, reply: Reply, now: datetime) -> None:
        """Refresh the draft of a reply that changed, unless its coach has already decided."""
        head = self._head(reply)
        if head is None or head.urgent:
            return
        if self.store.open_draft_of(head.id) is not None or not self.store.drafts_of_reply(head.id):
            self.store.update_reply(head.id, needs_draft=True, updated_at=now)

    def _flag(self, head: Reply, category: str, now: datetime) -> None:
        """Make a reply urgent after the fact: it is never drafted on (a claim in progress is
        voided), its pending draft is withdrawn, and its coach gets the urgent card."""
        self.store.update_reply(head.id, urgent=True, concern=category, needs_draft=False, updated_at=now)
        draft = self.store.open_draft_of(head.id)
        if draft is not None and self.store.decide_draft(draft.id, status="urgent", by=None, at=now, final_text=None):
            self.store.enqueue(key=f"card-update:{draft.id}:urgent", workspace_id=reply_workspace(self.store, head),
                               person_id=draft.coach_id, kind="card_update", payload={"draft_id": draft.id},
                               not_before=now, at=now)
        delivery = self.store.get_delivery(head.delivery_id) if head.delivery_id else None
        coach = self.directory.coach_of_teacher(head.person_id, delivery.enrollment_id if delivery else None)
        if coach is not None:
            self._to_coach(head, coach.id, now, "urgent_card")

    def _tz(self, actor: Actor) -> str:
        return actor.person.tz or self.directory.config.default_tz

    def _to_coach(self, reply: Reply, coach_id: int, now: datetime, kind: str) -> None:
        self.store.enqueue(
            key=f"{kind}:{reply.id}", workspace_id=reply_workspace(self.store, reply), person_id=coach_id,
            kind=kind, payload={"reply_id": reply.id}, not_before=now, at=now,
        )


def full_text(store: Store, head: Reply) -> str:
    """A reply's text with every live message of the same day that joined it."""
    if head.delivery_id is None:
        return "" if head.withdrawn else head.text
    return joined_text(head, store.replies_of(head.person_id))


def joined_text(head: Reply, replies: list[Reply]) -> str:
    """:func:`full_text` of ``head`` from the teacher's replies already at hand (oldest first)."""
    if head.delivery_id is None:
        return "" if head.withdrawn else head.text
    parts = [r for r in replies
             if r.delivery_id == head.delivery_id and r.kind in LIVE_KINDS and not r.withdrawn and r.id >= head.id]
    return "\n".join(r.text for r in parts if r.text)


def reply_workspace(store: Store, reply: Reply) -> int:
    person = store.get_person(reply.person_id)
    assert person is not None
    return person.workspace_id


def _same_local_day(head: Reply, now: datetime, tz: str) -> bool:
    """Messages join a reply on the teacher's same local day."""
    if head.created_at is None:
        return False
    zone = ZoneInfo(tz)
    return head.created_at.astimezone(zone).date() == now.astimezone(zone).date()
