"""The selector port over the library and a teacher's history in the store: the pure rules of
:mod:`prompts.selection` fed with what each slot needs, coaches' own prompts and pins included."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.core.model import Cohort, Enrollment, PeerPost
from bot.core.ports import PromptLibrary
from bot.core.prompts import CHECK_BACK_ID, NextUp, PromptItem
from bot.core.store import Store
from prompts.selection import DM_KINDS, REPEAT_WINDOW, Choice, SentItem, choose, choose_share

PEER_SHARE = "peer-share"


class LibrarySelector:
    def __init__(self, store: Store, library: PromptLibrary):
        self.store = store
        self.library = library
        self._items = [item for item in library.all() if item.kind in DM_KINDS]
        self._shares = [item for item in library.all() if item.kind == PEER_SHARE]
        self._own: dict[int, list[PromptItem]] = {}

    def refresh(self) -> None:
        """Read coaches' own prompts again; the planner does this once a pass, so an item added in
        chat can be chosen from the next pass on."""
        self._own = self.store.own_prompts()

    def next_up(self, enrollment_id: int, local_date: date) -> NextUp | None:
        enrollment = self.store.get_enrollment(enrollment_id)
        if enrollment is None:
            return None
        cohort = self.store.get_cohort(enrollment.cohort_id)
        history = self.store.history_of([enrollment.teacher_id])[enrollment.teacher_id]
        self.refresh()
        return next_up(self.choose_for(enrollment, cohort, history, local_date))

    def choose_for(
        self, enrollment: Enrollment, cohort: Cohort | None, history: Sequence[tuple[str, date]], local_date: date
    ) -> Choice:
        """What one slot sends, given the teacher's slots so far as (prompt id, local date): no
        I/O beyond an own item not yet seen, so the planner can choose for a whole batch from one
        history query. The check-back clock starts at the teacher's first prompt."""
        own = self._own.get(cohort.workspace_id, []) if cohort else []
        items = [*self._items, *(item for item in own if item.kind in DM_KINDS)]
        known = {item.id: item for item in items}
        pinned = live_pin(enrollment, history, local_date)
        if pinned is not None and pinned not in known and (found := self.library.get(pinned)) is not None:
            items.append(found)
            known[pinned] = found
        sent = [
            SentItem(item.id, day, item.kind, item.level, item.focus)
            for prompt_id, day in history
            if (item := known.get(prompt_id) or self.library.get(prompt_id)) is not None
        ]
        return choose(
            items, sent, focus=enrollment.focus, goal=enrollment.goal, today=local_date,
            default_focus=cohort.default_focus if cohort else None, pinned=pinned,
            last_check_back=max((day for prompt_id, day in history if prompt_id == CHECK_BACK_ID), default=None),
            enrolled_on=min((day for prompt_id, day in history if prompt_id != CHECK_BACK_ID), default=None),
        )

    def choose_share(self, cohort: Cohort, posts: Sequence[PeerPost], local_date: date) -> Choice:
        """The cohort's peer-share prompt for one week, given its earlier posts."""
        items = [*self._shares, *(item for item in self._own.get(cohort.workspace_id, []) if item.kind == PEER_SHARE)]
        by_id = {item.id: item for item in items}
        history = [
            SentItem(item.id, post.local_date, item.kind, item.level, item.focus)
            for post in posts
            if post.status != "cancelled" and (item := by_id.get(post.prompt_id)) is not None
        ]
        return choose_share(items, history, focus=cohort.default_focus, today=local_date)


def live_pin(enrollment: Enrollment, history: Sequence[tuple[str, date]], local_date: date) -> str | None:
    """The coach's pinned prompt while it still waits: not yet in a slot on or after the day it was
    pinned, and pinned within the last 8 weeks (a teacher back from a long pause starts afresh)."""
    pinned, since = enrollment.pinned_prompt_id, enrollment.pinned_on
    if not pinned or since is None or not timedelta(0) <= local_date - since < REPEAT_WINDOW:
        return None
    if any(prompt_id == pinned and day >= since for prompt_id, day in history):
        return None
    return pinned


def next_up(choice: Choice) -> NextUp | None:
    if choice.check_back:
        return NextUp(CHECK_BACK_ID, "check_back")
    return None if choice.prompt is None else NextUp(choice.prompt.id)
