"""The demo workspace: seeded once, listed with role labels."""

from __future__ import annotations

from datetime import datetime

from bot.adapters.playground.seed import demo_people, role_label, seed_demo
from storage.playground import PlaygroundStore
from storage.sql_store import SqlStore


def test_demo_people_are_listed_with_one_role_label_each(
    sqlite_playground: tuple[PlaygroundStore, SqlStore],
) -> None:
    playground, _ = sqlite_playground

    assert [(p["id"], p["name"], p["role"]) for p in demo_people(playground)] == [
        ("u-admin", "Dana Reyes", "admin"),
        ("u-coach", "Coach Kim", "coach"),
        ("u-ana", "Ana Lopez", "teacher"),
        ("u-ben", "Ben Carter", "teacher"),
        ("u-chloe", "Chloé Martin", "teacher"),
    ]


def test_demo_teachers_live_in_different_zones(sqlite_playground: tuple[PlaygroundStore, SqlStore]) -> None:
    playground, _ = sqlite_playground

    zones = {p["id"]: p["tz"] for p in demo_people(playground)}

    assert [zones["u-ana"], zones["u-ben"], zones["u-chloe"]] == [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
    ]


def test_demo_school_is_named(sqlite_playground: tuple[PlaygroundStore, SqlStore], now: datetime) -> None:
    _, store = sqlite_playground

    assert store.ensure_workspace("playground", "demo", at=now).name == "Maple Grove Demo School"


def test_seeding_again_adds_no_one_and_grants_nothing_twice(
    sqlite_playground: tuple[PlaygroundStore, SqlStore], now: datetime
) -> None:
    playground, store = sqlite_playground

    seed_demo(store, at=now)

    assert [(p["id"], p["roles"]) for p in playground.people_of("demo")][:2] == [
        ("u-admin", ["admin"]),
        ("u-coach", ["coach"]),
    ]
    assert len(playground.people_of("demo")) == 5


def test_seeding_again_keeps_a_zone_changed_since(
    sqlite_playground: tuple[PlaygroundStore, SqlStore], now: datetime
) -> None:
    playground, store = sqlite_playground
    workspace = store.ensure_workspace("playground", "demo", at=now)
    store.update_person(store.find_person(workspace.id, "u-ben").id, tz="America/Los_Angeles")

    seed_demo(store, at=now)

    assert {p["id"]: p["tz"] for p in demo_people(playground)}["u-ben"] == "America/Los_Angeles"


def test_admin_who_also_coaches_is_labelled_admin() -> None:
    assert role_label(["admin", "coach"]) == "admin"
