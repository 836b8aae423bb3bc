"""Who is who: the sender of an inbound event, their roles, and each teacher's coach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.config import CoreConfig
from bot.core.messages import Address, Inbound
from bot.core.model import Cohort, Enrollment, Person, Workspace
from bot.core.store import Store


@dataclass(frozen=True)
class Actor:
    """The person behind an inbound event, with what they may do."""

    person: Person
    workspace: Workspace
    roles: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_coach(self) -> bool:
        return "coach" in self.roles or self.is_admin


class Directory:
    def __init__(self, store: Store, config: CoreConfig):
        self.store = store
        self.config = config

    def actor(self, inbound: Inbound, at: datetime) -> Actor:
        """The sender, found in one read when the store knows them and the event tells nothing
        new about them (as nearly every event does); else recorded, and learned from."""
        sender = inbound.sender
        known = self.store.sender(sender.platform, sender.workspace, sender.user or "")
        if known is not None and not _news(known.person, inbound):
            workspace, person, roles = known.workspace, known.person, known.roles
        else:
            workspace = self.store.ensure_workspace(sender.platform, sender.workspace, at=at)
            person = self.learn(workspace.id, sender.user or "", at=at, display_name=inbound.display_name,
                                email=inbound.email, tz=inbound.timezone)
            roles = self.store.roles_of(person.id)
        return Actor(person, workspace, self._with_admin(roles, person, workspace, inbound.platform_admin))

    def learn(self, workspace_id: int, external_id: str, *, at: datetime, display_name: str | None = None,
              email: str | None = None, tz: str | None = None) -> Person:
        """Find or create a person with what the platform just told us; a zone that differs from
        the one we planned with re-plans their unsent slots."""
        before = self.store.find_person(workspace_id, external_id) if tz else None
        person = self.store.ensure_person(workspace_id, external_id, at=at, display_name=display_name,
                                          email=email, tz=tz)
        if before is not None and before.tz != person.tz:
            enrollments = self.store.enrollments_of_teacher(person.id)
            if enrollments:
                self.store.replan([e.id for e in enrollments], at)
        return person

    def _with_admin(self, roles: frozenset[str], person: Person, workspace: Workspace,
                    platform_admin: bool) -> frozenset[str]:
        """Admins are also those the platform or the configuration names, whatever was granted."""
        if platform_admin or (workspace.platform, person.external_id) in self.config.admins:
            return roles | {"admin"}
        return roles

    def address(self, person: Person, *, thread: str | None = None) -> Address:
        workspace = self.store.get_workspace(person.workspace_id)
        assert workspace is not None
        return Address(workspace.platform, workspace.external_id, user=person.external_id, thread=thread)

    def coach_id(self, enrollment: Enrollment, cohort: Cohort | None = None) -> int | None:
        if enrollment.coach_id is not None:
            return enrollment.coach_id
        cohort = cohort or self.store.get_cohort(enrollment.cohort_id)
        return cohort.coach_id if cohort else None

    def coach_of_teacher(self, teacher_id: int, enrollment_id: int | None = None) -> Person | None:
        """The coach of one enrolment, or of the teacher's oldest active one."""
        return self.store.coach_of(teacher_id, enrollment_id)

    def ai_on_for(self, person: Person, workspace: Workspace | None = None) -> bool:
        """Whether the LLM drafter writes this teacher's drafts."""
        if not self.config.llm_available or person.ai_opt_out:
            return False
        workspace = workspace or self.store.get_workspace(person.workspace_id)
        enabled = workspace.llm_enabled if workspace else None
        return self.config.llm_default_on if enabled is None else enabled

    @staticmethod
    def name(person: Person | None) -> str:
        if person is None:
            return "someone"
        return person.display_name or person.external_id


def _news(person: Person, inbound: Inbound) -> bool:
    """Whether an event tells something about its sender that the store does not have."""
    return bool((inbound.display_name and inbound.display_name != person.display_name)
                or (inbound.email and inbound.email.lower() != person.email)
                or (inbound.timezone and inbound.timezone != person.tz))
