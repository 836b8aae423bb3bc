"""The triage rules over 40 replies labelled by a reader: accuracy is printed, and an urgent
reply is never labelled anything else."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.core.classify import LABELS, triage_label
from llm_support import load_fixture

REPLIES = load_fixture("triage.yaml")["replies"]


def test_the_set_holds_forty_replies_with_every_label() -> None:
    assert len(REPLIES) == 40 and {r["label"] for r in REPLIES} == set(LABELS)


@pytest.mark.parametrize("reply", [r for r in REPLIES if r["label"] == "urgent"], ids=lambda r: r["text"][:40])
def test_an_urgent_reply_is_never_missed(reply: dict) -> None:
    assert triage_label(reply["text"], urgent=False) == "urgent"


def test_accuracy_on_the_labelled_set_is_printed_and_at_least_four_in_five() -> None:
    confusion = Counter((r["label"], triage_label(r["text"], urgent=False)) for r in REPLIES)
    right = sum(n for (truth, said), n in confusion.items() if truth == said)
    wrong = sorted(f"{truth}→{said} ×{n}" for (truth, said), n in confusion.items() if truth != said)
    print(f"\ntriage accuracy: {right}/{len(REPLIES)} ({right / len(REPLIES):.0%}); misses: {', '.join(wrong) or 'none'}")
    assert right / len(REPLIES) >= 0.8
