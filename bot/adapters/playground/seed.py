"""The demo workspace a newcomer meets in the playground: a school, an admin, a coach and three
teachers in different zones, so local-time scheduling shows on the first try."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.model import Role
from bot.core.store import PeopleRecords
from storage.playground import PlaygroundStore

DEMO_WORKSPACE = "demo"
DEMO_SCHOOL = "Maple Grove Demo School"


@dataclass(frozen=True)
class DemoPerson:
    user: str
    name: str
    tz: str
    role: Role | None = None


DEMO_PEOPLE = (
    DemoPerson("u-admin", "Dana Reyes", "America/New_York", Role.ADMIN),
    DemoPerson("u-coach", "Coach Kim", "America/New_York", Role.COACH),
    DemoPerson("u-ana", "Ana Lopez", "America/New_York"),
    DemoPerson("u-ben", "Ben Carter", "America/Chicago"),
    DemoPerson("u-chloe", "Chloé Martin", "America/Denver"),
)


def seed_demo(store: PeopleRecords, *, at: datetime) -> None:
    """Create the demo workspace and its people. Running it again adds only what is missing and
    leaves changes made since (a new zone, say) alone."""
    workspace = store.ensure_workspace("playground", DEMO_WORKSPACE, DEMO_SCHOOL, at=at)
    for demo in DEMO_PEOPLE:
        person = store.find_person(workspace.id, demo.user) or store.ensure_person(
            workspace.id, demo.user, at=at, display_name=demo.name, tz=demo.tz
        )
        if demo.role is not None:
            store.grant_role(person.id, demo.role.value, by=None, at=at)


def demo_people(store: PlaygroundStore, workspace: str = DEMO_WORKSPACE) -> list[dict[str, Any]]:
    """Who the page offers in "You are:": ``{id, name, role, tz}`` with one role label each."""
    return [
        {"id": p["id"], "name": p["name"], "role": role_label(p["roles"]), "tz": p["tz"]}
        for p in store.people_of(workspace)
    ]


def role_label(roles: list[str]) -> str:
    if Role.ADMIN.value in roles:
        return "admin"
    if Role.COACH.value in roles:
        return "coach"
    return "teacher"
