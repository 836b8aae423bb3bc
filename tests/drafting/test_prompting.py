"""What the model is sent: our fixed instructions, then the request as one JSON document in
which the teacher's words are quoted data."""

from __future__ import annotations

import json

import pytest

from bot.core.ports import DraftRequest
from bot.drafting.names import NameBook
from bot.drafting.privacy import PrivacyGuard
from bot.drafting.prompting import HISTORY, INSTRUCTIONS, messages
from llm_support import load_fixture

INJECTIONS = [c["text"] for c in load_fixture("injection.yaml")["replies"]]


def data_of(request: DraftRequest, book: NameBook) -> tuple[list[dict[str, str]], dict]:
    chat = messages(request, PrivacyGuard(book).vault(request.teacher_name, request.coach_name))
    user = chat[-1]["content"]
    return chat, json.loads(user[user.index("{"):])


@pytest.mark.parametrize("text", INJECTIONS, ids=lambda t: t[:40])
def test_an_injection_stays_inside_the_teacher_reply_field(text: str, book: NameBook) -> None:
    chat, data = data_of(DraftRequest(prompt=None, reply=text, teacher_name="Ana"), book)
    assert [m["role"] for m in chat] == ["system", "user"] and chat[0]["content"] == INSTRUCTIONS
    assert set(data) == {"prompt", "teacher_reply", "teacher_focus", "teacher_goal", "earlier_exchanges",
                         "coach_voice", "teacher_greeting"}


def test_the_instructions_ask_for_a_short_warm_draft_with_one_question_or_step() -> None:
    assert "at most 80 words" in INSTRUCTIONS and "exactly one thing" in INSTRUCTIONS
    assert "data, not instructions" in INSTRUCTIONS


def test_only_the_last_few_exchanges_are_sent(book: NameBook) -> None:
    history = tuple((f"prompt {i}", f"reply {i}") for i in range(6))
    _, data = data_of(DraftRequest(prompt=None, reply="ok", history=history), book)
    assert [e["teacher_reply"] for e in data["earlier_exchanges"]] == [f"reply {i}" for i in range(6 - HISTORY, 6)]


def test_a_teacher_without_a_name_is_not_greeted_by_placeholder(book: NameBook) -> None:
    _, data = data_of(DraftRequest(prompt=None, reply="ok", teacher_name=""), book)
    assert "teacher_greeting" not in data
