"""Running a parsed command: check who may, run it, and audit it (one row per coach or admin
command that changed or read something; nothing for refusals)."""

from __future__ import annotations

from datetime import datetime

from bot.core import grammar as g
from bot.core.commands_admin import AdminCommands
from bot.core.commands_journey import JourneyCommands
from bot.core.commands_roster import RosterCommands
from bot.core.commands_self import SelfCommands
from bot.core.directory import Actor, Directory
from bot.core.messages import Inbound
from bot.core.outcome import Outcome
from bot.core.permissions import Audience, refusal, rule_for
from bot.core.ports import Calendar, PromptLibrary, Rosters, Selector
from bot.core.resolve import resolve_person
from bot.core.store import Store

UNAUDITED = ("help", "my data")


class Commands:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, selector: Selector,
                 calendar: Calendar | None = None, rosters: Rosters | None = None):
        self.store = store
        self.directory = directory
        self.own = SelfCommands(store, directory.config)
        self.admin = AdminCommands(store, directory, prompts, selector, calendar)
        self.journey = JourneyCommands(store, directory, prompts)
        self.rosters = RosterCommands(store, rosters)

    def run(self, actor: Actor, command: g.Command, inbound: Inbound, now: datetime) -> Outcome:
        refused = refusal(command, actor.roles, is_own_cohort_coach=self._coaches_target(actor, command, inbound))
        if refused:
            return Outcome.refuse(refused)
        outcome = self.own.run(actor, command, now)
        if outcome is None:
            outcome = self.journey.run(actor, command, now)
        if outcome is None:
            outcome = self.rosters.run(actor, command, now)
        if outcome is None:
            outcome = self.admin.run(actor, command, inbound, now)
        if not outcome.refused and command.name not in UNAUDITED and rule_for(command).audience != Audience.EVERYONE:
            self.store.audit(workspace_id=actor.workspace.id, actor_id=actor.person.id, action=command.name,
                             target=_target(command), at=now, details=_details(command))
        return outcome

    def _coaches_target(self, actor: Actor, command: g.Command, inbound: Inbound) -> bool:
        """Whether the actor coaches the cohort or teacher this command names."""
        if not actor.is_coach:
            return False
        target = getattr(command, "cohort", None) or getattr(command, "target", None)
        if isinstance(target, g.CohortRef):
            cohort = self.store.find_cohort(actor.workspace.id, target.key)
            return cohort is not None and cohort.coach_id == actor.person.id
        if isinstance(target, g.PersonRef):
            teacher = resolve_person(self.store, actor.workspace.id, target, inbound)
            if teacher is None:
                return True  # let the command itself say the person is unknown
            return any(self.directory.coach_id(e) == actor.person.id for e in self.store.enrollments_of_teacher(teacher.id))
        return False


def _target(command: g.Command) -> str:
    for field in ("cohort", "target", "teacher", "person", "coach", "prompt_id"):
        value = getattr(command, field, None)
        if isinstance(value, g.CohortRef):
            return f"cohort:{value.key}"
        if isinstance(value, g.PersonRef):
            return f"person:{value.raw}"
        if isinstance(value, str):
            return value
    return ""


def _details(command: g.Command) -> dict:
    out: dict = {}
    for key, value in vars(command).items():
        if key in ("text",):
            continue
        out[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return out
