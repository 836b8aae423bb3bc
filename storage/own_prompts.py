"""Coaches' own prompts (``prompt add``): stored per workspace, read as library items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlmodel import col, select

from bot.core.prompts import OWN_PREFIX, PromptItem
from storage.base import StoreBase
from storage.rows import OwnPromptRow


def _item(row: OwnPromptRow) -> PromptItem:
    return PromptItem(id=f"{OWN_PREFIX}{row.id}", kind=row.kind, focus=row.focus, level=row.level, text=row.text,
                      title=row.title, link=row.link, rationale=row.rationale)


class OwnPromptStore(StoreBase):
    def add_own_prompt(self, workspace_id: int, author_id: int | None, item: PromptItem, *, at: datetime) -> PromptItem:
        """Store a coach's item (its ``id`` is ignored) and return it with its ``own-<n>`` id."""
        with self.session() as s:
            row = OwnPromptRow(workspace_id=workspace_id, author_id=author_id, kind=item.kind, focus=item.focus,
                               level=item.level, title=item.title, text=item.text, link=item.link,
                               rationale=item.rationale, created_at=at)
            s.add(row)
            s.flush()
            return replace(item, id=f"{OWN_PREFIX}{row.id}")

    def own_prompt(self, prompt_id: str) -> tuple[int, PromptItem] | None:
        """(workspace id, item) of an ``own-<n>`` prompt; None for any other id."""
        number = prompt_id.removeprefix(OWN_PREFIX)
        if not prompt_id.startswith(OWN_PREFIX) or not number.isdigit() or len(number) > 9:
            return None
        with self.session() as s:
            row = s.get(OwnPromptRow, int(number))
            return None if row is None else (row.workspace_id, _item(row))

    def own_prompts(self, workspace_ids: Sequence[int] | None = None) -> dict[int, list[PromptItem]]:
        """Each workspace's own prompts, oldest first; every workspace's when ``workspace_ids`` is None."""
        query = select(OwnPromptRow).order_by(col(OwnPromptRow.id))
        if workspace_ids is not None:
            query = query.where(col(OwnPromptRow.workspace_id).in_(workspace_ids))
        found: dict[int, list[PromptItem]] = {}
        with self.session() as s:
            for row in s.exec(query):
                found.setdefault(row.workspace_id, []).append(_item(row))
        return found
