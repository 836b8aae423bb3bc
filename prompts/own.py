"""The library every process reads: the packs, plus coaches' own prompts (``own-<n>``), found in
the database when first asked for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.prompts import OWN_PREFIX, PromptItem
from prompts.checks import item_problems, resembling
from prompts.library import YamlPromptLibrary

CACHE_SIZE = 5_000
"""Own items are never edited, so a process may keep those it has read."""


class OwnPromptRecords(Protocol):
    """The part of the store the library reads (``SqlStore`` has it)."""

    def own_prompt(self, prompt_id: str) -> tuple[int, PromptItem] | None: ...


class LiveLibrary:
    """The ``PromptLibrary`` of a deployment: the packs (built-in and ``MICROCOACH_PROMPTS_DIR``)
    plus the own items coaches added in chat, read from the database when first asked for."""

    def __init__(self, packs: YamlPromptLibrary, store: OwnPromptRecords):
        self.packs = packs
        self.store = store
        self._own: dict[str, PromptItem] = {}

    def get(self, prompt_id: str) -> PromptItem | None:
        found = self.packs.get(prompt_id)
        if found is not None or not prompt_id.startswith(OWN_PREFIX):
            return found
        if prompt_id not in self._own:
            stored = self.store.own_prompt(prompt_id)
            if stored is None:
                return None
            if len(self._own) >= CACHE_SIZE:
                self._own.pop(next(iter(self._own)))
            self._own[prompt_id] = stored[1]
        return self._own[prompt_id]

    def all(self) -> Sequence[PromptItem]:
        """The packs' items; own items belong to one workspace each (the store lists them)."""
        return self.packs.all()

    def problems(self, item: PromptItem) -> list[str]:
        return item_problems(item)

    def resembles(self, item: PromptItem, others: Sequence[PromptItem] = ()) -> str | None:
        return resembling(item, [*self.packs.all(), *others])
