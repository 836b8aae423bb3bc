"""The shape of a content pack, checked strictly so a typo in YAML fails loudly, not silently."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from bot.core.prompts import FOCUS_AREAS, KINDS, LEVELS, PromptItem

TEXT_MAX = 600
"""Well under Slack's 3,000-character section limit: a prompt is read between classes."""
QUICK_REPLY_MAX = 30
"""Button labels longer than this are cut off in Slack and Teams."""

Kind = Literal[KINDS]  # type: ignore[valid-type]  (a tuple subscript lists every value)
Focus = Literal[FOCUS_AREAS]  # type: ignore[valid-type]
Level = Literal[LEVELS]  # type: ignore[valid-type]
GradeBand = Literal["K-2", "3-5", "6-8", "9-12", "K-12"]

Slug = Annotated[
    str, StringConstraints(strict=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)
]


def _bounded(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(
        strict=True, strip_whitespace=True, min_length=min_length, max_length=max_length
    )


Title = Annotated[str, _bounded(80)]
Text = Annotated[str, _bounded(TEXT_MAX)]
Label = Annotated[str, _bounded(QUICK_REPLY_MAX)]
Question = Annotated[str, _bounded(200)]
Note = Annotated[str, _bounded(500, min_length=0)]
Subject = Annotated[str, _bounded(40)]
Link = Annotated[str, _bounded(500)]


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a well-formed https link, or None when it is."""
    if any(ch.isspace() for ch in url):
        return f"link {url!r} contains whitespace"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"link {url!r} must use https"
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        return f"link {url!r} has no valid host"
    return None


class PromptItemModel(BaseModel):
    """One item as written in a pack file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    kind: Kind
    focus: Focus
    level: Level
    title: Title
    text: Text
    quick_replies: list[Label] = Field(
        default_factory=lambda: ["Tried it", "Not yet"], min_length=1, max_length=3
    )
    follow_up_questions: list[Question] = Field(default_factory=list, max_length=3)
    follow_up_material: Note = ""
    rationale: Note = ""
    minutes: StrictInt = Field(default=2, ge=1, le=10)
    grade_bands: list[GradeBand] = Field(default_factory=lambda: ["K-12"], min_length=1)
    subjects: list[Subject] = Field(default_factory=lambda: ["any"], min_length=1, max_length=8)
    link: Link | None = None
    tags: list[Slug] = Field(default_factory=list, max_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> PromptItemModel:
        for name in ("quick_replies", "grade_bands", "subjects", "tags"):
            values = getattr(self, name)
            if len(set(values)) != len(values):
                raise ValueError(f"{name} has repeated entries")
        if "K-12" in self.grade_bands and len(self.grade_bands) > 1:
            raise ValueError("grade_bands: 'K-12' stands alone; list specific bands instead")
        if "any" in self.subjects and len(self.subjects) > 1:
            raise ValueError("subjects: 'any' stands alone; list specific subjects instead")
        if self.link is not None and (problem := url_problem(self.link)):
            raise ValueError(problem)
        if self.kind == "micro-lesson" and self.link is None:
            raise ValueError("a micro-lesson needs a link to the page or video it is built on")
        return self


class PackInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Title
    description: Note


class PackHeader(BaseModel):
    """A pack file's top level. Items are validated one by one so each error names its item."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: PackInfo
    items: list[object]


def to_prompt_item(model: PromptItemModel) -> PromptItem:
    return PromptItem(
        id=model.id,
        kind=model.kind,
        focus=model.focus,
        level=model.level,
        text=model.text,
        title=model.title,
        quick_replies=tuple(model.quick_replies),
        follow_up_questions=tuple(model.follow_up_questions),
        follow_up_material=model.follow_up_material,
        rationale=model.rationale,
        minutes=model.minutes,
        grade_bands=tuple(model.grade_bands),
        subjects=tuple(model.subjects),
        link=model.link,
        tags=tuple(model.tags),
    )


def from_prompt_item(item: PromptItem) -> PromptItemModel:
    """Check an item built in code (a coach's own) against the same rules as a pack's."""
    return PromptItemModel.model_validate(asdict(item))
