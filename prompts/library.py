"""The prompt library the core reads from: the built-in packs plus any extra pack directories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.core.prompts import PromptItem
from prompts.checks import item_problems, resembling
from prompts.packfile import PromptPackError, describe, pack_files, parse_pack
from prompts.schema import from_prompt_item, to_prompt_item

BUILTIN_PACKS_DIR = Path(__file__).resolve().parent / "packs"
RUNTIME_SOURCE = "added at runtime"

__all__ = ["BUILTIN_PACKS_DIR", "PromptPackError", "YamlPromptLibrary"]


class YamlPromptLibrary:
    """Implements the core's ``PromptLibrary`` port. Immutable: adding items gives a new library.

    Ids are unique across every source; a clash is an error naming both places rather than a
    silent override, so nobody wonders which version a teacher received.
    """

    def __init__(self, items: Sequence[PromptItem], sources: Mapping[str, str]) -> None:
        self._items = tuple(items)
        self._by_id = {item.id: item for item in self._items}
        self._sources = dict(sources)

    @classmethod
    def load(cls, extra_dirs: Sequence[Path] = ()) -> YamlPromptLibrary:
        """Read the built-in packs, then ``extra_dirs`` (e.g. ``MICROCOACH_PROMPTS_DIR``)."""
        items: list[PromptItem] = []
        sources: dict[str, str] = {}
        for path in pack_files([BUILTIN_PACKS_DIR, *extra_dirs]):
            parsed = parse_pack(path)
            parsed.raise_first_problem()
            for model in parsed.items:
                _claim(sources, model.id, str(path))
                items.append(to_prompt_item(model))
        return cls(items, sources)

    def get(self, prompt_id: str) -> PromptItem | None:
        return self._by_id.get(prompt_id)

    def all(self) -> Sequence[PromptItem]:
        return self._items

    def problems(self, item: PromptItem) -> list[str]:
        """What the pack schema and lint's link rules refuse in ``item``; [] when it may join."""
        return item_problems(item)

    def resembles(self, item: PromptItem, others: Sequence[PromptItem] = ()) -> str | None:
        """The id of an item whose text reads nearly the same as ``item``'s, if any."""
        return resembling(item, [*self._items, *others])

    def source_of(self, prompt_id: str) -> str | None:
        """The file an item came from (or :data:`RUNTIME_SOURCE`), for previews and errors."""
        return self._sources.get(prompt_id)

    def with_items(self, items: Iterable[PromptItem]) -> YamlPromptLibrary:
        """A new library that also holds ``items`` (a coach's own), checked like pack items."""
        sources = dict(self._sources)
        added: list[PromptItem] = []
        for item in items:
            try:
                model = from_prompt_item(item)
            except ValidationError as error:
                raise PromptPackError(describe(error), item_id=item.id or None) from error
            _claim(sources, model.id, RUNTIME_SOURCE)
            added.append(to_prompt_item(model))
        return YamlPromptLibrary([*self._items, *added], sources)


def _claim(sources: dict[str, str], item_id: str, source: str) -> None:
    if item_id in sources:
        raise PromptPackError(
            f"duplicate id, also defined in {sources[item_id]}",
            file=None if source == RUNTIME_SOURCE else Path(source),
            item_id=item_id,
        )
    sources[item_id] = source
