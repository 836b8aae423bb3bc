"""Triage labels a coach sees beside each reply."""

from __future__ import annotations

import pytest

from bot.core.classify import LABELS, triage_label


def test_a_reply_already_known_to_be_urgent_is_urgent() -> None:
    assert triage_label("Loved it, it worked!", urgent=True) == "urgent"


def test_a_reply_matching_the_safeguarding_rules_is_urgent_even_if_not_marked() -> None:
    assert triage_label("It worked, but honestly I want to die.", urgent=False) == "urgent"


EXAMPLES = [
    ("The kids loved it and even the back row spoke up!", "celebrate"),
    ("Tried it but it fell flat, I'm stuck on how to start.", "stuck"),
    ("I don't know how to get them talking in pairs.", "stuck"),
    ("Do you have an example of a good hinge question?", "resource"),
    ("Loved it. Any ideas for a follow-up activity?", "resource"),
    ("We had an assembly so I'll try on Thursday.", "other"),
    ("", "other"),
]


@pytest.mark.parametrize(("text", "label"), EXAMPLES)
def test_label_follows_what_the_teacher_wrote(text: str, label: str) -> None:
    assert triage_label(text, urgent=False) == label


def test_every_label_is_reachable() -> None:
    reached = {triage_label(text, urgent=False) for text, _ in EXAMPLES} | {
        triage_label("", urgent=True)
    }
    assert reached == set(LABELS)
