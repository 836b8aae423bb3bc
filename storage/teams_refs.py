"""Teams conversation references and team installs, sealed at rest.

A person's reference (how to reach them proactively) lives in ``conversation_ref``, one per
person; a team the app is installed in lives in ``installation`` (tenant as ``enterprise_id``,
the team's id as ``team_id``). Both hold JSON the Teams adapter alone reads, sealed with the
deployment's :class:`~storage.crypto.Sealer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from storage.base import StoreBase
from storage.crypto import Sealer
from storage.rows import ConversationRefRow, InstallationRow, PersonRow, WorkspaceRow

PLATFORM = "teams"


@dataclass(frozen=True)
class TeamInstall:
    team_id: str
    data: str
    """The adapter's JSON (the team's name and a reference to its channel), opened."""


class TeamsRefStore(StoreBase):
    def __init__(self, engine: Engine, sealer: Sealer):
        super().__init__(engine)
        self.sealer = sealer

    def save_ref(self, person_id: int, data: str, *, at: datetime, replace: bool = True) -> bool:
        """Store a person's reference; False when nothing changed (the same one, or one exists
        and ``replace`` is false)."""
        with self.session() as s:
            row = s.exec(select(ConversationRefRow).where(ConversationRefRow.person_id == person_id)).first()
            if row is None:
                s.add(ConversationRefRow(person_id=person_id, platform=PLATFORM, data=self.sealer.seal(data), updated_at=at))
                return True
            if not replace or self.sealer.open(row.data) == data:
                return False
            row.data = self.sealer.seal(data)
            row.updated_at = at
            return True

    def load_ref(self, workspace: str, user: str) -> str | None:
        """The reference of the person with platform id ``user`` in the tenant ``workspace``."""
        with self.session() as s:
            blob = s.exec(
                select(ConversationRefRow.data)
                .join(PersonRow, col(PersonRow.id) == col(ConversationRefRow.person_id))
                .join(WorkspaceRow, col(WorkspaceRow.id) == col(PersonRow.workspace_id))
                .where(WorkspaceRow.platform == PLATFORM, WorkspaceRow.external_id == workspace,
                       PersonRow.external_id == user)
            ).first()
        return None if blob is None else self.sealer.open(blob)

    def save_team(self, tenant: str, team_id: str, data: str, *, at: datetime) -> None:
        with self.session() as s:
            row = s.exec(self._team(tenant, team_id)).first()
            if row is None:
                s.add(InstallationRow(platform=PLATFORM, enterprise_id=tenant, team_id=team_id,
                                      data=self.sealer.seal(data), installed_at=at))
                return
            row.data = self.sealer.seal(data)
            row.active = True

    def remove_team(self, tenant: str, team_id: str) -> None:
        with self.session() as s:
            for row in s.exec(self._team(tenant, team_id)):
                row.active = False

    def teams_of(self, tenant: str) -> list[TeamInstall]:
        """The teams the app is installed in, in one tenant."""
        with self.session() as s:
            rows = s.exec(
                select(InstallationRow).where(InstallationRow.platform == PLATFORM, InstallationRow.enterprise_id == tenant,
                                              col(InstallationRow.team_id).is_not(None), col(InstallationRow.active))
                .order_by(col(InstallationRow.id))
            ).all()
        return [TeamInstall(row.team_id or "", self.sealer.open(row.data)) for row in rows]

    @staticmethod
    def _team(tenant: str, team_id: str):  # noqa: ANN205 — a SQLModel select
        return select(InstallationRow).where(InstallationRow.platform == PLATFORM, InstallationRow.enterprise_id == tenant,
                                             InstallationRow.team_id == team_id, col(InstallationRow.user_id).is_(None))
