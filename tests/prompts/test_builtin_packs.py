"""The content that ships: enough of it, of every kind, for every focus, and lint-clean."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from bot.core.prompts import FOCUS_AREAS, KINDS, LEVELS, PromptItem
from prompts.checks import MIN_ITEMS_PER_FOCUS
from prompts.library import BUILTIN_PACKS_DIR, YamlPromptLibrary
from prompts.lint import lint


@pytest.fixture(scope="module")
def items() -> tuple[PromptItem, ...]:
    return tuple(YamlPromptLibrary.load().all())


def test_built_in_library_has_at_least_150_items(items: tuple[PromptItem, ...]) -> None:
    assert len(items) >= 150


@pytest.mark.parametrize("focus", FOCUS_AREAS)
def test_every_focus_area_has_at_least_12_items(
    items: tuple[PromptItem, ...], focus: str
) -> None:
    assert sum(item.focus == focus for item in items) >= MIN_ITEMS_PER_FOCUS


@pytest.mark.parametrize("focus", FOCUS_AREAS)
def test_every_kind_appears_in_every_focus_area(
    items: tuple[PromptItem, ...], focus: str
) -> None:
    assert {item.kind for item in items if item.focus == focus} == set(KINDS)


def test_levels_spread_from_introductory_to_deeper(items: tuple[PromptItem, ...]) -> None:
    share = {level: count / len(items) for level, count in Counter(i.level for i in items).items()}

    assert set(share) == set(LEVELS)
    assert share["introductory"] >= share["developing"] >= share["deeper"] >= 0.2


def test_ids_are_unique(items: tuple[PromptItem, ...]) -> None:
    repeated = [item_id for item_id, n in Counter(i.id for i in items).items() if n > 1]
    assert repeated == []


def test_there_is_one_pack_file_per_focus_area_holding_only_that_focus() -> None:
    library = YamlPromptLibrary.load()

    for item in library.all():
        assert library.source_of(item.id) == str(BUILTIN_PACKS_DIR / f"{item.focus}.yaml")
    assert {path.stem for path in BUILTIN_PACKS_DIR.glob("*.yaml")} == set(FOCUS_AREAS)


def test_every_micro_lesson_carries_a_link(items: tuple[PromptItem, ...]) -> None:
    assert all(item.link for item in items if item.kind == "micro-lesson")


def test_lint_finds_nothing_in_the_built_in_packs() -> None:
    assert lint([BUILTIN_PACKS_DIR]) == []


def test_packs_are_reachable_as_package_resources() -> None:
    shipped = {entry.name for entry in resources.files("prompts.packs").iterdir()}

    assert {f"{focus}.yaml" for focus in FOCUS_AREAS} <= shipped
