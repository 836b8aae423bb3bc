"""The core's front door: every adapter hands it an :class:`Inbound` and gets an :class:`Outcome`.

Retried platform events (same dedupe key) change nothing. In Teams and the playground a message is
a command only if it parses completely; anything else a teacher writes is a reply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core import cards
from bot.core import catalogue as say
from bot.core import grammar as g
from bot.core.approvals import Approvals
from bot.core.commands import Commands
from bot.core.config import CoreConfig
from bot.core.directory import Actor, Directory
from bot.core.drafting import Drafting, UsageLedger
from bot.core.journey import Journey
from bot.core.messages import Inbound, inbound_from_data, inbound_to_data
from bot.core.outcome import Outcome
from bot.core.peer_shares import PeerShares
from bot.core.ports import Calendar, Clock, Drafter, PromptLibrary, Rosters, Selector
from bot.core.replies import Replies
from bot.core.store import Store

DECISIONS = (cards.APPROVE, cards.EDIT, cards.REJECT, cards.OWN)
COMMANDS_BY_SLASH_ONLY = ("slack",)
"""Platforms where commands come only through a slash command; every message there is a reply."""
RECEIVED_GRACE = timedelta(seconds=30)
"""How long a recorded event may wait for the process that received it before a tick takes it."""


def _event_key(inbound: Inbound) -> str:
    return f"{inbound.sender.platform}:{inbound.dedupe_key}"


class CoachingService:
    def __init__(self, *, store: Store, clock: Clock, config: CoreConfig, prompts: PromptLibrary,
                 selector: Selector, offline: Drafter, llm: Drafter | None = None, calendar: Calendar | None = None,
                 drafting_concurrency: int = 16, usage: UsageLedger | None = None,
                 drafting_lease: timedelta = timedelta(minutes=2), worker_id: str = "drafting",
                 rosters: Rosters | None = None):
        self.store = store
        self.clock = clock
        self.directory = Directory(store, config)
        self.replies = Replies(store, self.directory, prompts)
        self.approvals = Approvals(store, self.directory, prompts)
        self.commands = Commands(store, self.directory, prompts, selector, calendar, rosters)
        self.drafting = Drafting(store, self.directory, prompts, offline, llm, clock=clock,
                                 concurrency=drafting_concurrency, usage=usage, lease=drafting_lease,
                                 worker_id=worker_id)
        self.journey = Journey(store, self.directory)
        self.peer_shares = PeerShares(store, self.directory)

    def handle(self, inbound: Inbound) -> Outcome:
        """Everything one inbound event changes is recorded in one transaction: all or nothing."""
        return self.store.atomically(lambda: self._handle(inbound))

    def receive(self, inbounds: Sequence[Inbound]) -> list[int | None]:
        """Record events before their platform gets an answer (one insert for all), each to be
        handled right after with :meth:`handle_received`; None for an event already waiting."""
        keys = [_event_key(inbound) for inbound in inbounds]
        ids = self.store.receive([(key, inbound_to_data(i)) for key, i in zip(keys, inbounds)], self.clock.now())
        return [ids.pop(key, None) for key in keys]

    def handle_received(self, inbox_id: int) -> Outcome:
        """Handle a recorded event and forget the record, in one transaction; a failure leaves
        it waiting for :meth:`handle_waiting`."""
        return self._handle_recorded(inbox_id)[1]

    def handle_waiting(self, now: datetime, *, older_than: timedelta = RECEIVED_GRACE,
                       limit: int = 200) -> list[tuple[Inbound, Outcome]]:
        """Handle events recorded a while ago whose handling never finished (the process
        stopped, or the database failed mid-way); returns each one handled with its outcome, so
        the caller can tell the sender what the platform's own path would have told them."""
        waiting = self.store.inbound_waiting(now - older_than, limit)
        handled = [self._handle_recorded(inbox_id) for inbox_id in waiting]
        return [(inbound, outcome) for inbound, outcome in handled if inbound is not None and outcome.handled]

    def _handle_recorded(self, inbox_id: int) -> tuple[Inbound | None, Outcome]:
        def work() -> tuple[Inbound | None, Outcome]:
            data = self.store.take_inbound(inbox_id)
            if data is None:
                return None, Outcome(handled=False)
            inbound = inbound_from_data(data)
            return inbound, self._handle(inbound)

        return self.store.atomically(work)

    def _handle(self, inbound: Inbound) -> Outcome:
        now = self.clock.now()
        if not self.store.first_sighting(_event_key(inbound), now):
            return Outcome(handled=False)
        actor = self.directory.actor(inbound, now)
        if inbound.sender.conversation is not None and (shared := self.peer_shares.receive(actor, inbound, now)) is not None:
            return shared
        match inbound.kind:
            case "command":
                return self._command(actor, inbound, now, strict=True)
            case "message":
                return self._command(actor, inbound, now, strict=False)
            case "edit":
                return self.replies.edit(actor, inbound, now)
            case "delete":
                return self.replies.withdraw(actor, inbound, now)
            case "action":
                return self._action(actor, inbound, now)
        return Outcome.refuse(say.CLOSED)

    def _command(self, actor: Actor, inbound: Inbound, now: datetime, *, strict: bool) -> Outcome:
        if not strict and inbound.sender.platform in COMMANDS_BY_SLASH_ONLY:
            if self._is_teacher(actor):
                return self.replies.message(actor, inbound, now)
            return Outcome.refuse(say.SLASH_COMMAND_HINT)
        parsed = g.parse(inbound.text)
        if not isinstance(parsed, g.ParseError):
            return self.commands.run(actor, parsed, inbound, now)
        if strict or not self._is_teacher(actor):
            if not inbound.text.strip():
                return Outcome.refuse(say.NOT_A_COMMAND_HINT + " Type `help` to see what I can do.")
            usage = f"\nUsage: `{parsed.usage}`" if parsed.usage else "\nType `help` to see what I can do."
            message = parsed.message if parsed.is_command_like else say.NOT_A_COMMAND_HINT
            return Outcome.refuse(message + usage)
        outcome = self.replies.message(actor, inbound, now)
        if parsed.is_command_like and parsed.usage:
            outcome.notices.append(f"(If you meant a command: {parsed.message} Usage: `{parsed.usage}`)")
        return outcome

    def _is_teacher(self, actor: Actor) -> bool:
        return bool(self.store.enrollments_of_teacher(actor.person.id, active_only=False))

    def _action(self, actor: Actor, inbound: Inbound, now: datetime) -> Outcome:
        action = inbound.action
        if action is None:
            return Outcome.refuse(say.CLOSED)
        if action.action_id in DECISIONS:
            text = action.input(cards.EDIT_INPUT) or action.input(cards.OWN_INPUT)
            return self.approvals.decide(actor, action.action_id, action.value, text, now)
        if action.action_id == cards.CHOOSE_FOCUS:
            return self.journey.choose_focus(actor, action.value, self._welcome_text(actor), now)
        if action.action_id == cards.SAVE_GOAL:
            return self.journey.save_goal(actor, action.input(cards.GOAL_INPUT), now)
        if action.action_id in (cards.KEEP_FOCUS, cards.CHANGE_FOCUS):
            return self.journey.check_back(actor, action.action_id, action.value, now)
        if action.action_id == cards.USEFUL:
            return self.journey.useful(actor, action.value, now)
        if action.action_id in (cards.QUICK, cards.REFLECT):
            delivery_id, _, label = action.value.partition("|")
            delivery = self.store.get_delivery(int(delivery_id)) if delivery_id.isdigit() else None
            if delivery is None or delivery.person_id != actor.person.id or delivery.status != "sent":
                return Outcome.refuse(say.CLOSED)
            if action.action_id == cards.QUICK:
                return self.replies.quick_answer(actor, delivery, label, inbound.message_id, now)
            text = action.input(cards.REFLECTION_INPUT).strip()
            if not text:
                return Outcome.refuse("Add a few words first, then send.")
            as_message = dataclasses.replace(inbound, kind="message", text=text, message_id=None,
                                             in_thread_of=delivery.message_id)
            return self.replies.message(actor, as_message, now)
        return Outcome.refuse(say.CLOSED)

    def _welcome_text(self, actor: Actor) -> str:
        enrollments = self.store.enrollments_of_teacher(actor.person.id)
        cohort = self.store.get_cohort(enrollments[0].cohort_id) if enrollments else None
        coach = self.directory.coach_of_teacher(actor.person.id)
        return say.welcome(self.directory.name(coach) if coach else None, cohort.name if cohort else "",
                           self.directory.ai_on_for(actor.person, actor.workspace))

    def draft_pending(self) -> int:
        return self.drafting.run()

    def expire_drafts(self) -> int:
        return self.approvals.expire(self.clock.now())
