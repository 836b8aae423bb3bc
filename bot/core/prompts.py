"""What the core knows of a coaching prompt: a value, read from whatever library is plugged in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

CHECK_BACK_ID = "check-back"
"""The ``prompt_id`` of a goal check-back delivery ("Is this still your focus?"): not a library
item, so selection never picks it and history shows when the last one went."""
REPEAT_WINDOW = timedelta(days=56)
"""No item reaches the same teacher twice within 8 weeks."""
OWN_PREFIX = "own-"
"""Ids of prompts coaches write in chat (``prompt add``): ``own-<n>``."""
KINDS = ("reflection", "tip", "try-this", "celebration", "peer-share", "micro-lesson")
LEVELS = ("introductory", "developing", "deeper")
FOCUS_AREAS = (
    "classroom-management",
    "student-engagement",
    "questioning",
    "feedback",
    "formative-assessment",
    "technology",
    "relationships",
    "differentiation",
    "wellbeing",
    "collaboration",
)


@dataclass(frozen=True)
class PromptItem:
    """One item of a content pack. ``text`` is what the teacher reads; the rest guides drafters
    and coaches."""

    id: str
    kind: str
    focus: str
    level: str
    text: str
    title: str = ""
    quick_replies: tuple[str, ...] = ("Tried it", "Not yet")
    follow_up_questions: tuple[str, ...] = ()
    follow_up_material: str = ""
    rationale: str = ""
    minutes: int = 2
    grade_bands: tuple[str, ...] = ("K-12",)
    subjects: tuple[str, ...] = ("any",)
    link: str | None = None
    tags: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class NextUp:
    """What one slot sends: a library prompt (``kind`` ``prompt``) or the goal check-back."""

    prompt_id: str
    kind: str = "prompt"
