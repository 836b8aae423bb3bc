"""A workspace's life with the app: installed (the installer becomes an admin), uninstalled or
its bot token revoked (every send to it stops, due deliveries fail with the reason, and its
history stays)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.core.ports import Clock
from bot.core.store import Store

PLATFORM = "slack"
UNINSTALLED = "the Slack app was uninstalled"
REVOKED = "the Slack bot token was revoked"


@dataclass
class Lifecycle:
    store: Store
    clock: Clock
    _linked: set[str] = field(default_factory=set)
    _confirmed: set[str] = field(default_factory=set)

    async def installed(self, workspace: str, *, name: str = "", enterprise_id: str | None = None,
                        installer: str | None = None) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._installed, workspace, name, enterprise_id, installer)

    async def linked(self, team: str, enterprise_id: str) -> None:
        """Remember that a workspace belongs to an Enterprise Grid org whose org-wide install
        reaches it, so sends to that workspace find the org's token."""
        if team in self._linked:
            return
        await asyncio.get_running_loop().run_in_executor(None, self._link, team, enterprise_id)
        self._linked.add(team)

    async def confirmed(self, workspace: str) -> None:
        """Single-workspace mode has no install callback: a request Slack sends from a workspace
        after a reinstall shows the app is back, so an uninstalled workspace becomes active
        again (checked once per process)."""
        if workspace in self._confirmed:
            return
        await asyncio.get_running_loop().run_in_executor(None, self._confirm, workspace)
        self._confirmed.add(workspace)

    async def deactivated(self, workspace: str, reason: str) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._deactivated, workspace, reason)

    def _installed(self, workspace: str, name: str, enterprise_id: str | None, installer: str | None) -> None:
        now = self.clock.now()
        row = self.store.ensure_workspace(PLATFORM, workspace, name, at=now)
        self.store.update_workspace(row.id, active=True, inactive_reason=None, enterprise_id=enterprise_id)
        if installer:
            person = self.store.ensure_person(row.id, installer, at=now)
            if self.store.grant_role(person.id, "admin", by=None, at=now):
                self.store.audit(workspace_id=row.id, actor_id=person.id, action="slack installed",
                                 target=f"workspace:{workspace}", at=now)

    def _link(self, team: str, enterprise_id: str) -> None:
        row = self.store.ensure_workspace(PLATFORM, team, at=self.clock.now())
        self.store.update_workspace(row.id, enterprise_id=enterprise_id)

    def _confirm(self, workspace: str) -> None:
        row = self.store.ensure_workspace(PLATFORM, workspace, at=self.clock.now())
        if not row.active:
            self.store.update_workspace(row.id, active=True, inactive_reason=None)

    def _deactivated(self, workspace: str, reason: str) -> None:
        self._confirmed.discard(workspace)
        now = self.clock.now()
        row = self.store.ensure_workspace(PLATFORM, workspace, at=now)
        self.store.update_workspace(row.id, active=False, inactive_reason=reason)
        self.store.audit(workspace_id=row.id, actor_id=None, action="slack deactivated", target=reason, at=now)
