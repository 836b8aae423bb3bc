"""``microcoach prompts show``: one item as plain text, the way a coach reviews it."""

from __future__ import annotations

from bot.core.prompts import PromptItem


def show_text(item: PromptItem) -> str:
    """What the teacher reads first, then what guides the drafter and the coach."""
    facts = " · ".join(
        (
            item.kind,
            item.focus,
            item.level,
            f"about {item.minutes} min",
            "grades " + ", ".join(item.grade_bands),
            "subjects " + ", ".join(item.subjects),
        )
    )
    lines = [f"{item.id} — {item.title}" if item.title else item.id, facts, "", item.text]
    if item.link:
        lines.append(f"Link: {item.link}")
    lines += ["", "Buttons: " + " | ".join(f"[{label}]" for label in item.quick_replies)]
    if item.follow_up_questions:
        lines += ["", "Follow-up questions:"]
        lines += [f"  - {question}" for question in item.follow_up_questions]
    if item.follow_up_material:
        lines += ["", f"Follow-up material: {item.follow_up_material}"]
    if item.rationale:
        lines += ["", f"Why it matters: {item.rationale}"]
    if item.tags:
        lines += ["", "Tags: " + ", ".join(item.tags)]
    return "\n".join(lines)
