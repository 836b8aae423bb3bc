"""A coach decides each drafted follow-up: approve, edit, reject (then perhaps write their own).
Nothing reaches a teacher without that decision, only that teacher's coach may make it, and a
double click decides once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import cards
from bot.core import catalogue as say
from bot.core.directory import Actor, Directory
from bot.core.model import Draft, Person
from bot.core.outcome import Outcome
from bot.core.ports import PromptLibrary
from bot.core.replies import full_text
from bot.core.store import Store

OUTCOME_OF = {cards.APPROVE: "approved", cards.EDIT: "edited", cards.REJECT: "rejected"}


class Approvals:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary):
        self.store = store
        self.directory = directory
        self.prompts = prompts

    def decide(self, actor: Actor, action_id: str, draft_id: str, text: str, now: datetime) -> Outcome:
        draft = self.store.get_draft(int(draft_id)) if draft_id.isdigit() else None
        if draft is None:
            return Outcome.say(say.CLOSED)
        teacher = self._teacher(draft)
        if draft.coach_id != actor.person.id:
            return Outcome.say(say.not_your_teacher(self.directory.name(teacher)))
        if action_id == cards.OWN:
            return self._own(actor, draft, text, now)
        status = OUTCOME_OF[action_id]
        final = {"approved": draft.text, "edited": text.strip(), "rejected": None}[status]
        if status == "edited" and not final:
            return Outcome.say(say.EMPTY_EDIT)
        if status == "edited" and final == draft.text.strip():
            status = "approved"
        if not self.store.decide_draft(draft.id, status=status, by=actor.person.id, at=now, final_text=final):
            return Outcome.say(say.CLOSED)
        self._audit(actor, f"draft {status}", draft, now)
        facts = self.facts(draft)
        when = self._when(actor.person, now)
        if status == "rejected":
            return Outcome(replace=cards.rejected_card(facts, self.directory.name(actor.person), when))
        self._send_followup(actor, draft, final or "", now)
        return Outcome(replace=cards.decided_card(facts, status, self.directory.name(actor.person), when, final))

    def _own(self, actor: Actor, draft: Draft, text: str, now: datetime) -> Outcome:
        own = text.strip()
        if draft.status != "rejected" or draft.final_text:
            return Outcome.say(say.CLOSED)
        if not own:
            return Outcome.say(say.EMPTY_EDIT)
        self.store.update_draft(draft.id, final_text=own, updated_at=now)
        self._audit(actor, "draft own", draft, now)
        self._send_followup(actor, draft, own, now)
        when = self._when(actor.person, now)
        return Outcome(replace=cards.decided_card(self.facts(draft), "own", self.directory.name(actor.person), when, own))

    def expire(self, now: datetime) -> int:
        """Expire drafts nobody decided in time; their coaches are told."""
        count = 0
        for draft in self.store.pending_drafts(expiring_before=now):
            if not self.store.decide_draft(draft.id, status="expired", by=None, at=now, final_text=None):
                continue
            count += 1
            teacher = self._teacher(draft)
            workspace_id = teacher.workspace_id if teacher else None
            if workspace_id is None or draft.coach_id is None:
                continue
            self.store.enqueue(key=f"card-update:{draft.id}:expired", workspace_id=workspace_id, person_id=draft.coach_id,
                               kind="card_update", payload={"draft_id": draft.id}, not_before=now, at=now)
            self.store.enqueue(key=f"expired:{draft.id}", workspace_id=workspace_id, person_id=draft.coach_id,
                               kind="notice", payload={"text": say.expired_notice(self.directory.name(teacher))},
                               not_before=now, at=now)
        return count

    def facts(self, draft: Draft) -> cards.CardFacts:
        reply = self.store.get_reply(draft.reply_id)
        teacher = self.store.get_person(reply.person_id) if reply else None
        delivery = self.store.get_delivery(reply.delivery_id) if reply and reply.delivery_id else None
        prompt = self.prompts.get(delivery.prompt_id) if delivery else None
        text = full_text(self.store, reply) if reply else ""
        return cards.CardFacts(
            draft_id=draft.id, teacher=self.directory.name(teacher), prompt_title=(prompt.title or prompt.text[:60]) if prompt else "",
            reply=text, draft=draft.text, source=draft.source,
        )

    def card(self, draft: Draft) -> cards.Outbound:
        """The card as it should look now, whatever happened to the draft."""
        facts = self.facts(draft)
        if draft.status == "pending":
            return cards.pending_card(facts)
        decider = self.store.get_person(draft.decided_by) if draft.decided_by else None
        when = self._when(decider, draft.decided_at) if draft.decided_at else ""
        name = self.directory.name(decider) if decider else "MicroCoach"
        if draft.status == "rejected" and not draft.final_text:
            return cards.rejected_card(facts, name, when)
        outcome = "own" if draft.status == "rejected" else draft.status
        return cards.decided_card(facts, outcome, name, when, draft.final_text)

    # Helpers -------------------------------------------------------------------------------

    def _teacher(self, draft: Draft) -> Person | None:
        reply = self.store.get_reply(draft.reply_id)
        return self.store.get_person(reply.person_id) if reply else None

    def _send_followup(self, actor: Actor, draft: Draft, text: str, now: datetime) -> None:
        reply = self.store.get_reply(draft.reply_id)
        if reply is None:
            return
        self.store.enqueue(
            key=f"followup:{draft.id}", workspace_id=actor.workspace.id, person_id=reply.person_id, kind="followup",
            payload={"draft_id": draft.id, "text": text, "coach": self.directory.name(actor.person), "quiet": True},
            not_before=now, at=now,
        )

    def _audit(self, actor: Actor, action: str, draft: Draft, now: datetime) -> None:
        self.store.audit(workspace_id=actor.workspace.id, actor_id=actor.person.id, action=action,
                         target=f"draft:{draft.id}", at=now)

    def _when(self, person: Person | None, at: datetime | None) -> str:
        if at is None:
            return ""
        tz = (person.tz if person else None) or self.directory.config.default_tz
        return at.astimezone(ZoneInfo(tz)).strftime("%a %b %-d, %H:%M")
