"""``roster upload`` and ``roster clear``: a cohort's student names for the privacy guard, which
redacts every one of them before any text leaves for a model. Stored encrypted; never shown back
in chat or kept in the audit log (the audit row holds the cohort and the count)."""

from __future__ import annotations

from datetime import datetime

from bot.core import catalogue as say
from bot.core.command_values import Command, RosterClear, RosterUpload
from bot.core.directory import Actor
from bot.core.outcome import Outcome
from bot.core.ports import RosterError, Rosters
from bot.core.store import Store


class RosterCommands:
    def __init__(self, store: Store, rosters: Rosters | None):
        self.store = store
        self.rosters = rosters

    def run(self, actor: Actor, command: Command, now: datetime) -> Outcome | None:
        """The outcome of a roster command; None for any other command."""
        if not isinstance(command, RosterUpload | RosterClear):
            return None
        cohort = self.store.find_cohort(actor.workspace.id, command.cohort.key)
        if cohort is None:
            return Outcome.refuse(say.unknown_cohort(command.cohort.name))
        if isinstance(command, RosterClear):
            if not self.store.clear_roster(cohort.id):
                return Outcome.refuse(f"{cohort.name} has no stored roster, so there was nothing to clear.")
            return Outcome.say(f"Cleared {cohort.name}'s student roster. The privacy guard's own rules still hide "
                               "students' names from the AI model.")
        if self.rosters is None:
            return Outcome.refuse("Roster upload isn't available here.")
        try:
            names = self.rosters.read(command.source)
            sealed = self.rosters.seal(names)
        except RosterError as error:
            return Outcome.refuse(error.message)
        replaced = self.store.set_roster(cohort.id, cohort.workspace_id, sealed, len(names), by=actor.person.id, at=now)
        return Outcome.say(
            f"{'Replaced' if replaced else 'Stored'} {cohort.name}'s student roster: {len(names)} name(s), kept "
            "encrypted. The privacy guard now hides each of them (in any case, even everyday words like Will or "
            "Hope) before any text goes to the AI model. `roster clear " + cohort.name + "` deletes it.")
