"""Reads one dispatch pass repeats for every delivery, done once per pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.core.model import Cohort, Person, Workspace
from bot.core.store import Store

K = TypeVar("K")
V = TypeVar("V")


def _memo(cache: dict[K, V | None], key: K, read: Callable[[K], V | None]) -> V | None:
    if key not in cache:
        cache[key] = read(key)
    return cache[key]


class PassReads:
    """A read-through view of the store for one pass: workspaces, cohorts and people (coaches,
    in practice) are read once each; every other call goes straight to the store. A pass lasts
    seconds, so a change made meanwhile is seen by the next one."""

    def __init__(self, store: Store):
        self._store = store
        self._workspaces: dict[int, Workspace | None] = {}
        self._cohorts: dict[int, Cohort | None] = {}
        self._people: dict[int, Person | None] = {}

    def get_workspace(self, workspace_id: int) -> Workspace | None:
        return _memo(self._workspaces, workspace_id, self._store.get_workspace)

    def get_cohort(self, cohort_id: int) -> Cohort | None:
        return _memo(self._cohorts, cohort_id, self._store.get_cohort)

    def get_person(self, person_id: int) -> Person | None:
        return _memo(self._people, person_id, self._store.get_person)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)
