"""Which prompt a teacher gets next: pure rules over the library and the teacher's history.

Precedence for one slot: a coach's pinned item, then a due goal check-back, then the journey —
focus → a kind not yet sent this ISO week → nearest level → goal words → unseen items → rested
kinds → item id. Kind mix outranks level: two of the same kind in a week feel repetitive, while
a level one step off is barely noticed.

A check-back *replaces* the prompt on the day it falls due (``Choice.prompt`` is ``None``): one
slot, one message. A pinned item goes before it because a coach chose it deliberately; the
check-back stays due and takes the next slot.

A cohort's weekly peer-share prompt for its channel (:func:`choose_share`) follows the same
journey over the cohort's earlier posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.prompts import FOCUS_AREAS, KINDS, LEVELS, REPEAT_WINDOW, PromptItem

DM_KINDS = tuple(kind for kind in KINDS if kind != "peer-share")
"""Kinds sent by direct message; peer-shares go to cohort channels instead."""
LEVEL_STEPS = (4, 10)
"""Items of one focus had before moving up a level: the first 4 introductory, the next 6
developing, then deeper."""

_STOP_WORDS = frozenset(
    "a an and are as at be but by can do for from get help how i in into is it its me more my "
    "of on or our so that the their them they this to too want we what when with would you your "
    "student students teacher teachers".split()
)
_SUFFIXES = ("ing", "ed", "es", "s", "e")


@dataclass(frozen=True)
class SentItem:
    """One prompt a teacher received, dated in the teacher's local calendar."""

    prompt_id: str
    local_date: date
    kind: str
    level: str
    focus: str


@dataclass(frozen=True)
class Choice:
    """What one slot sends. ``check_back`` True: send the goal check-back ("Is this still your
    focus?") instead of a prompt. ``prompt`` None and ``check_back`` False: nothing is left to
    send. ``reason`` is for logs and coaches, never shown to the teacher."""

    prompt: PromptItem | None
    check_back: bool
    reason: str


def choose(
    items: Sequence[PromptItem],
    history: Sequence[SentItem],
    *,
    focus: str | None,
    goal: str | None,
    today: date,
    default_focus: str | None = None,
    pinned: str | None = None,
    check_back_every: timedelta = timedelta(weeks=3),
    last_check_back: date | None = None,
    enrolled_on: date | None = None,
) -> Choice:
    """Pick what a teacher gets today by DM; deterministic for the same inputs."""
    recent = {sent.prompt_id for sent in history if today - sent.local_date < REPEAT_WINDOW}
    available = [item for item in items if item.kind in DM_KINDS and item.id not in recent]
    notes: list[str] = []
    if pinned is not None:
        item = next((item for item in available if item.id == pinned), None)
        if item is not None:
            return Choice(item, False, f"pinned by coach: {pinned}")
        notes.append(f"pinned {pinned} skipped: {_pin_problem(items, recent, pinned)}")
    if _check_back_due(today, enrolled_on, last_check_back, check_back_every):
        return Choice(None, True, "; ".join([*notes, "goal check-back due"]))
    return _journey(items, available, history, focus or default_focus, goal, today, notes, "DM item")


def choose_share(
    items: Sequence[PromptItem], history: Sequence[SentItem], *, focus: str | None, today: date
) -> Choice:
    """Pick a cohort's weekly peer-share prompt for its channel, by the journey's rules over the
    cohort's earlier posts: its default focus first, nothing twice within 8 weeks, levels
    deepening as the cohort shares more."""
    recent = {sent.prompt_id for sent in history if today - sent.local_date < REPEAT_WINDOW}
    available = [item for item in items if item.kind == "peer-share" and item.id not in recent]
    return _journey(items, available, history, focus, None, today, [], "peer-share item")


def _journey(
    items: Sequence[PromptItem],
    available: Sequence[PromptItem],
    history: Sequence[SentItem],
    target: str | None,
    goal: str | None,
    today: date,
    notes: list[str],
    what: str,
) -> Choice:
    for area in _focus_order(target, items, history):
        in_area = [item for item in available if item.focus == area]
        if in_area:
            wanted = _level_for(sum(1 for sent in history if sent.focus == area))
            item = _best(in_area, history, goal, today, wanted)
            return Choice(item, False, _reason(notes, target, in_area, wanted, item, goal))
    notes.append(f"nothing left: every {what} was sent within the last 8 weeks")
    return Choice(None, False, "; ".join(notes))


def _pin_problem(items: Sequence[PromptItem], recent: set[str], pinned: str) -> str:
    item = next((item for item in items if item.id == pinned), None)
    if item is None:
        return "not in the library"
    if item.kind not in DM_KINDS:
        return f"{item.kind} is not sent by DM"
    return "sent within the last 8 weeks"


def _check_back_due(
    today: date, enrolled_on: date | None, last_check_back: date | None, every: timedelta
) -> bool:
    if enrolled_on is None or today - enrolled_on < every:
        return False
    return last_check_back is None or today - last_check_back >= every


def _focus_order(
    target: str | None, items: Sequence[PromptItem], history: Sequence[SentItem]
) -> list[str]:
    """The target focus first, then the others, least recently covered first."""
    areas = dict.fromkeys([*FOCUS_AREAS, *sorted({item.focus for item in items})])
    last = _latest((sent.focus, sent.local_date) for sent in history)
    others = sorted((a for a in areas if a != target), key=lambda a: last.get(a, date.min))
    return [target, *others] if target else others


def _level_for(count_in_focus: int) -> str:
    return LEVELS[sum(1 for step in LEVEL_STEPS if count_in_focus >= step)]


def _level_ranks(wanted: str) -> dict[str, int]:
    """Nearest level first; between two equally near, the deeper one keeps the journey moving."""
    index = LEVELS.index(wanted)
    order = sorted(range(len(LEVELS)), key=lambda rank: (abs(rank - index), -rank))
    return {LEVELS[rank]: position for position, rank in enumerate(order)}


def _best(
    in_area: Sequence[PromptItem],
    history: Sequence[SentItem],
    goal: str | None,
    today: date,
    wanted: str,
) -> PromptItem:
    """A kind not yet sent this ISO week when one is left, then the nearest level, then goal
    words, unseen items, rested kinds and the id."""
    fresh = [item for item in in_area if item.kind not in _kinds_this_week(history, today)]
    level_rank = _level_ranks(wanted)
    goal_words = _words(goal or "")
    item_last = _latest((sent.prompt_id, sent.local_date) for sent in history)
    kind_last = _latest((sent.kind, sent.local_date) for sent in history)
    return min(
        fresh or in_area,
        key=lambda item: (
            level_rank.get(item.level, len(LEVELS)),
            -len(goal_words & _item_words(item)),
            item_last.get(item.id, date.min),
            kind_last.get(item.kind, date.min),
            item.id,
        ),
    )


def _kinds_this_week(history: Sequence[SentItem], today: date) -> set[str]:
    week = today.isocalendar()[:2]
    return {sent.kind for sent in history if sent.local_date.isocalendar()[:2] == week}


def _reason(
    notes: list[str],
    target: str | None,
    in_area: Sequence[PromptItem],
    wanted: str,
    item: PromptItem,
    goal: str | None,
) -> str:
    area = item.focus
    parts = [f"{area} / {item.level} / {item.kind}", *notes]
    if target is None:
        parts.append(f"no focus set: rotating to {area}, least recently covered")
    elif area != target:
        parts.append(f"widened: nothing left in {target} within 8 weeks, chose {area}")
    if item.level != wanted:
        parts.append(f"widened: {_level_cause(in_area, wanted)}, chose {item.level}")
    shared = sorted(_words(goal or "") & _item_words(item))
    if shared:
        parts.append(f"shares goal words: {', '.join(shared)}")
    return "; ".join(parts)


def _level_cause(in_area: Sequence[PromptItem], wanted: str) -> str:
    if any(item.level == wanted for item in in_area):
        return f"the {wanted} items left repeat a kind sent this week"
    return f"no {wanted} item left in {in_area[0].focus}"


def _latest(pairs: Iterable[tuple[str, date]]) -> dict[str, date]:
    latest: dict[str, date] = {}
    for key, day in pairs:
        latest[key] = max(day, latest.get(key, day))
    return latest


def _item_words(item: PromptItem) -> set[str]:
    return _words(" ".join([item.title, item.text, *item.tags]))


def _words(text: str) -> set[str]:
    """Meaningful words, lower-cased and lightly stemmed so "questioning" meets "questions"."""
    tokens = re.findall(r"[a-z]+", text.lower())
    return {_stem(token) for token in tokens if len(token) > 2 and token not in _STOP_WORDS}


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
