"""Slack installations and OAuth states in our database, tokens sealed at rest.

One row per (enterprise, team, user) holds that user's latest installation; the row with no user
holds the workspace's (or, for an Enterprise Grid org-wide install, the org's) latest one, which
carries the bot token. Values are plain dicts here: the adapter turns them into slack_sdk types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from storage.base import StoreBase
from storage.crypto import Sealer
from storage.rows import InstallationRow, OAuthStateRow, WorkspaceRow

PLATFORM = "slack"


@dataclass(frozen=True)
class InstallKey:
    """Which installation: an org-wide install has an enterprise and no team."""

    enterprise_id: str | None
    team_id: str | None
    user_id: str | None = None


class SlackInstallations(StoreBase):
    def __init__(self, engine, sealer: Sealer):  # noqa: ANN001 — an SQLAlchemy Engine
        super().__init__(engine)
        self.sealer = sealer

    def save(self, key: InstallKey, data: dict[str, Any], *, enterprise_install: bool, at: datetime) -> None:
        """Record ``data`` as this user's latest installation and the workspace's latest one."""
        sealed = self.sealer.seal(json.dumps(data, default=str))
        with self.session() as session:
            for user in {key.user_id, None}:
                row = self._row(session, InstallKey(key.enterprise_id, key.team_id, user))
                if row is None:
                    row = InstallationRow(platform=PLATFORM, enterprise_id=key.enterprise_id, team_id=key.team_id,
                                          user_id=user)
                row.data, row.installed_at, row.active = sealed, at, True
                row.is_enterprise_install = enterprise_install
                session.add(row)

    def find(self, key: InstallKey) -> dict[str, Any] | None:
        with self.session() as session:
            row = self._row(session, key)
            return self._open(row)

    def merge_latest(self, key: InstallKey, values: dict[str, Any]) -> bool:
        """Update fields of the workspace's latest installation (a rotated bot token, say)."""
        with self.session() as session:
            row = self._row(session, InstallKey(key.enterprise_id, key.team_id))
            data = self._open(row)
            if row is None or data is None:
                return False
            row.data = self.sealer.seal(json.dumps({**data, **values}, default=str))
            session.add(row)
            return True

    def delete(self, key: InstallKey, *, all_users: bool) -> int:
        """Delete one user's installation, or with ``all_users`` every one of the workspace's."""
        with self.session() as session:
            query = delete(InstallationRow).where(
                InstallationRow.platform == PLATFORM,
                _matches(InstallationRow.enterprise_id, key.enterprise_id),
                _matches(InstallationRow.team_id, key.team_id),
            )
            if not all_users:
                query = query.where(_matches(InstallationRow.user_id, key.user_id))
            return session.exec(query).rowcount  # type: ignore[call-overload]

    def find_for_team(self, team_id: str) -> dict[str, Any] | None:
        """The latest installation that reaches ``team_id``: the team's own, else its org's."""
        with self.session() as session:
            row = self._row(session, InstallKey(None, team_id), any_enterprise=True)
            if row is None:
                enterprise = session.exec(select(WorkspaceRow.enterprise_id).where(
                    WorkspaceRow.platform == PLATFORM, WorkspaceRow.external_id == team_id)).first()
                if enterprise:
                    row = self._row(session, InstallKey(enterprise, None))
            return self._open(row)

    def issue_state(self, state: str, expires_at: datetime) -> None:
        with self.session() as session:
            session.add(OAuthStateRow(state=state, expires_at=expires_at))

    def consume_state(self, state: str, now: datetime) -> bool:
        """True once for a state issued and not yet expired; it cannot be used again."""
        with self.session() as session:
            row = session.get(OAuthStateRow, state)
            if row is None:
                return False
            session.delete(row)
            session.exec(delete(OAuthStateRow).where(col(OAuthStateRow.expires_at) < now))
            return row.expires_at > now

    def _row(self, session: Session, key: InstallKey, *, any_enterprise: bool = False) -> InstallationRow | None:
        query = select(InstallationRow).where(
            InstallationRow.platform == PLATFORM,
            _matches(InstallationRow.team_id, key.team_id),
            _matches(InstallationRow.user_id, key.user_id),
        )
        if not any_enterprise:
            query = query.where(_matches(InstallationRow.enterprise_id, key.enterprise_id))
        return session.exec(query.order_by(col(InstallationRow.installed_at).desc())).first()

    def _open(self, row: InstallationRow | None) -> dict[str, Any] | None:
        if row is None or not row.active:
            return None
        return json.loads(self.sealer.open(row.data))


def _matches(column: Any, value: str | None) -> Any:
    return col(column).is_(None) if value is None else column == value
