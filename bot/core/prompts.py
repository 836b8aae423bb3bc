"""What the core knows of a coaching prompt: a value, read from whatever library is plugged in."""

from __future__ import annotations

from dataclasses import dataclass, field

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
