"""Builders for small pack files written to a temporary directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import yaml

DISTINCT_TEXTS = (
    "Tomorrow, hum a short tune while the class lines up, and notice who joins in first.",
    "Before lunch, ask three students which example from the morning helped them most.",
    "Write tonight's homework on a sticky note by the door and check who copies it down.",
    "During reading time, sit beside a different table each day and simply listen.",
    "Open Friday's lesson with a photograph from the local park and ask what changed.",
    "Keep a jar of spare pencils on your desk so nobody waits to borrow one mid-task.",
)
"""Texts that share few words with each other or with the built-in packs, so a planted item
trips only the rule a test is about."""

ItemFactory = Callable[..., dict[str, Any]]
PackWriter = Callable[..., Path]


@pytest.fixture
def pack_item() -> ItemFactory:
    """A valid item as a pack file holds it; keyword arguments override or add fields."""
    serial = count(1)
    texts: Iterator[str] = iter(DISTINCT_TEXTS)

    def build(**overrides: Any) -> dict[str, Any]:
        n = next(serial)
        item: dict[str, Any] = {
            "id": f"zz-planted-{n:02d}",
            "kind": "tip",
            "focus": "feedback",
            "level": "introductory",
            "title": f"Planted item {n}",
            "text": next(texts),
            "follow_up_questions": ["How did it go?", "What would you change?"],
            "follow_up_material": "Start small and notice one thing.",
            "rationale": "A planted item for tests.",
        }
        item.update(overrides)
        return item

    return build


@pytest.fixture
def write_pack(tmp_path: Path) -> PackWriter:
    """Writes ``items`` as a pack file (default ``<tmp_path>/extra/extra.yaml``)."""

    def write(
        items: Sequence[dict[str, Any]],
        *,
        directory: Path | None = None,
        name: str = "extra.yaml",
    ) -> Path:
        folder = directory or tmp_path / "extra"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        document = {"pack": {"name": "Extra", "description": "Planted for a test."}}
        path.write_text(
            yaml.safe_dump({**document, "items": list(items)}, sort_keys=False), encoding="utf-8"
        )
        return path

    return write
