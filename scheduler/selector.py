"""The selector port over the library and a teacher's history in the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.model import Cohort, Enrollment
from bot.core.ports import PromptLibrary
from bot.core.prompts import PromptItem
from bot.core.store import Store
from prompts.selection import DM_KINDS, SentItem, choose


class LibrarySelector:
    def __init__(self, store: Store, library: PromptLibrary):
        self.store = store
        self.library = library
        self._items = [item for item in library.all() if item.kind in DM_KINDS]

    def next_prompt(self, enrollment_id: int, local_date: date) -> PromptItem | None:
        enrollment = self.store.get_enrollment(enrollment_id)
        if enrollment is None:
            return None
        cohort = self.store.get_cohort(enrollment.cohort_id)
        history = self.store.history_of([enrollment.teacher_id])[enrollment.teacher_id]
        return self.choose_for(enrollment, cohort, history, local_date)

    def choose_for(
        self, enrollment: Enrollment, cohort: Cohort | None, history: Sequence[tuple[str, date]], local_date: date
    ) -> PromptItem | None:
        """The prompt for one slot, given the teacher's prompts so far as (prompt id, local date):
        no I/O, so the planner can choose for a whole batch from one history query."""
        sent = [
            SentItem(item.id, day, item.kind, item.level, item.focus)
            for prompt_id, day in history
            if (item := self.library.get(prompt_id)) is not None
        ]
        choice = choose(
            self._items, sent, focus=enrollment.focus, goal=enrollment.goal, today=local_date,
            default_focus=cohort.default_focus if cohort else None,
        )
        return choice.prompt
