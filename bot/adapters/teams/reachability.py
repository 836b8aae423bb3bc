"""People Teams will not let the bot reach (no app, blocked it, left the tenant) are marked
unreachable, so nothing more is tried for them, and the workspace's admins get a message naming
them, once. A message from the person makes them reachable again (see :mod:`refs`)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from functools import partial
from typing import Protocol

from bot.core.directory import Directory
from bot.core.messages import Address
from bot.core.model import Person, PersonStatus, Workspace
from bot.core.ports import Clock

PLATFORM = "teams"
log = logging.getLogger("microcoach.teams")


class Records(Protocol):
    """The part of the core's store this needs (``SqlStore`` has it)."""

    def ensure_workspace(self, platform: str, external_id: str, name: str = "", *, at: datetime) -> Workspace: ...
    def find_person(self, workspace_id: int, external_id: str) -> Person | None: ...
    def set_person_status(self, person_id: int, status: PersonStatus) -> None: ...
    def people_with_role(self, workspace_id: int, role: str) -> list[Person]: ...
    def enqueue(self, *, key: str, workspace_id: int, person_id: int | None, kind: str, payload: dict,
                not_before: datetime, at: datetime) -> object: ...


def unreachable_notice(name: str) -> str:
    return (f"I couldn't reach {name} in Teams, so I've stopped trying for now. They may not have the "
            "MicroCoach app yet, or may have blocked it — could you check it's installed for them? "
            "I'll pick up again as soon as they message me.")


class Reachability:
    def __init__(self, store: Records, directory: Directory, clock: Clock):
        self.store = store
        self.directory = directory
        self.clock = clock

    async def mark(self, to: Address, reason: str) -> None:
        log.info("Teams cannot reach %s: %s", to.user, reason)
        await asyncio.get_running_loop().run_in_executor(None, partial(self._mark, to))

    def _mark(self, to: Address) -> None:
        now = self.clock.now()
        workspace = self.store.ensure_workspace(PLATFORM, to.workspace, at=now)
        person = self.store.find_person(workspace.id, to.user or "")
        if person is None or person.status != PersonStatus.ACTIVE:
            return
        self.store.set_person_status(person.id, PersonStatus.UNREACHABLE)
        text = unreachable_notice(self.directory.name(person))
        for admin in self._admins(workspace):
            if admin.id == person.id:
                continue
            self.store.enqueue(key=f"unreachable:{person.id}:{admin.id}:{now.isoformat()}", workspace_id=workspace.id,
                               person_id=admin.id, kind="notice", payload={"text": text, "quiet": False},
                               not_before=now, at=now)

    def _admins(self, workspace: Workspace) -> list[Person]:
        admins = {p.id: p for p in self.store.people_with_role(workspace.id, "admin")}
        for platform, user in self.directory.config.admins:
            found = self.store.find_person(workspace.id, user) if platform == PLATFORM else None
            if found is not None:
                admins.setdefault(found.id, found)
        return list(admins.values())
