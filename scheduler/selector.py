"""The selector port over the library and a teacher's history in the store."""

from __future__ import annotations

from datetime import date

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
        enrollments = [e.id for e in self.store.enrollments_of_teacher(enrollment.teacher_id, active_only=False)]
        history = []
        for delivery in self.store.deliveries_of(enrollments):
            item = self.library.get(delivery.prompt_id)
            if item is not None and delivery.status in ("planned", "claimed", "sent"):
                history.append(SentItem(item.id, delivery.local_date, item.kind, item.level, item.focus))
        choice = choose(
            self._items, history, focus=enrollment.focus, goal=enrollment.goal, today=local_date,
            default_focus=cohort.default_focus if cohort else None,
        )
        return choice.prompt
