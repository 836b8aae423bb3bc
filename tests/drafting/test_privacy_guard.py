"""The privacy guard over the redaction corpus (tests/fixtures/replies/redaction.yaml, written
before the guard): nothing planted reaches the model, everything planted comes back."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.core.ports import DraftRequest
from bot.drafting.names import NameBook
from bot.drafting.openai_drafter import OpenAIDrafter
from bot.drafting.privacy import PrivacyGuard, PrivateNames
from fake_openai import FakeOpenAI, echo_placeholders
from llm_support import load_fixture

CORPUS = load_fixture("redaction.yaml")
DEFAULTS = CORPUS["defaults"]
REPLIES = CORPUS["replies"]
KEYS = ("names", "emails", "phones", "ids", "addresses", "schools", "staff", "teacher", "coach")
PRIVATE = PrivateNames(schools=(DEFAULTS["school"],))
IDS = [r["text"][:40] for r in REPLIES]


def planted(reply: dict) -> list[str]:
    return [value for key in KEYS for value in reply.get(key, [])]


def teacher_of(reply: dict) -> str:
    return reply.get("teacher_name", DEFAULTS["teacher_name"])


def occurs(value: str, text: str, book: NameBook) -> bool:
    """Whether ``value`` appears in ``text`` as a whole word: as written when it is also an
    English word ("Will", "Hope"), else in any case."""
    flags = 0 if book.is_common(value) else re.I
    return re.search(rf"(?<![\w@.]){re.escape(value)}(?![\w@])", text, flags) is not None


def request_for(reply: dict) -> DraftRequest:
    return DraftRequest(prompt=None, reply=reply["text"], teacher_name=teacher_of(reply),
                        coach_name=DEFAULTS["coach_name"])


def test_the_corpus_has_at_least_sixty_replies_of_every_kind() -> None:
    assert len(REPLIES) >= 60
    assert all(any(r.get(key) for r in REPLIES) for key in KEYS)
    assert sum(v[0].islower() for r in REPLIES for v in r.get("names", [])) >= 10
    assert sum(f"{v}'s" in r["text"] or f"{v}’s" in r["text"] for r in REPLIES for v in r.get("names", [])) >= 10


@pytest.mark.parametrize("reply", REPLIES, ids=IDS)
def test_no_planted_value_survives_redaction(reply: dict, book: NameBook) -> None:
    vault = PrivacyGuard(book, lambda: PRIVATE).vault(teacher_of(reply), DEFAULTS["coach_name"])
    redacted = vault.redact(reply["text"])
    assert [v for v in planted(reply) if occurs(v, redacted, book)] == []
    assert vault.restore(redacted) == reply["text"]


def test_over_redaction_rate_on_the_corpus_is_reported_and_small(book: NameBook) -> None:
    guard = PrivacyGuard(book, lambda: PRIVATE)
    spans = needless = words = 0
    for reply in REPLIES:
        vault = guard.vault(teacher_of(reply), DEFAULTS["coach_name"])
        vault.redact(reply["text"])
        values = planted(reply)
        for span in vault.redacted:
            spans += 1
            needless += reply["text"][span.start:span.end] not in values
        words += len(reply["text"].split())
    rate = needless / spans
    print(f"\nprivacy guard: {spans} values redacted in {len(REPLIES)} replies ({words} words); "
          f"over-redaction {needless} ({rate:.1%})")
    assert rate <= 0.05


def test_everyday_replies_lose_few_words(book: NameBook) -> None:
    texts = [r["text"] for r in load_fixture("drafter.yaml")["replies"]]
    texts += load_fixture("safeguarding.yaml")["ordinary"] + [r["text"] for r in load_fixture("triage.yaml")["replies"]]
    guard = PrivacyGuard(book)
    redacted = 0
    for text in texts:
        vault = guard.vault("Ana Rivera", "Kim Park")
        vault.redact(text)
        redacted += len(vault.redacted)
    words = sum(len(t.split()) for t in texts)
    print(f"\nprivacy guard on {len(texts)} everyday replies: {redacted} of {words} words redacted")
    assert redacted / words < 0.01


@pytest.mark.parametrize("reply", REPLIES, ids=IDS)
def test_the_model_never_sees_a_planted_value_and_the_draft_gets_them_all_back(
        reply: dict, make_drafter: Callable[..., OpenAIDrafter], fake: FakeOpenAI, book: NameBook) -> None:
    fake.default = echo_placeholders()
    result = make_drafter(PRIVATE).draft(request_for(reply))
    sent = "\n".join(fake.contents())
    names = (teacher_of(reply), DEFAULTS["coach_name"], DEFAULTS["school"])
    secrets = planted(reply) + [part for name in names for part in name.split() if part != "Unified"]
    assert [v for v in secrets if occurs(v, sent, book)] == []
    assert [v for v in planted(reply) if v not in result.text] == []


def test_a_value_keeps_one_placeholder_across_the_request(book: NameBook) -> None:
    vault = PrivacyGuard(book).vault("Ana", "Kim")
    first, second = vault.redact("Jayden spoke up."), vault.redact("Jayden's partner helped.")
    assert first.split()[0] == second.split("'")[0] == "[NAME_1]"


def test_placeholders_typed_by_the_teacher_are_defused(book: NameBook) -> None:
    vault = PrivacyGuard(book).vault("Ana", "Kim")
    redacted = vault.redact("Jayden wrote [NAME_1] on his paper.")
    assert redacted == "[NAME_1] wrote (NAME_1) on his paper."
    assert vault.restore("How did [NAME_1] do?") == "How did Jayden do?"


def test_restore_accepts_the_model_changing_a_placeholders_case_or_spacing(book: NameBook) -> None:
    vault = PrivacyGuard(book).vault("Ana", "Kim")
    vault.redact("Priya and Mateo tried it.")
    assert vault.restore("[name_1] and [NAME 2] and [TEACHER]") == "Priya and Mateo and Ana"


def test_a_placeholder_the_model_invented_is_left_for_the_checks(book: NameBook) -> None:
    vault = PrivacyGuard(book).vault("Ana", "Kim")
    vault.redact("Priya tried it.")
    assert vault.restore("How did [NAME_9] do?") == "How did [NAME_9] do?"


def test_a_rostered_name_is_redacted_even_when_it_reads_as_a_word(book: NameBook) -> None:
    vault = PrivacyGuard(book, lambda: PrivateNames(students=("Sunny Okoro",))).vault("Ana", "Kim")
    assert vault.redact("Today Sunny and I practised.") == "Today [NAME_1] and I practised."


@pytest.mark.parametrize("text", [
    "Will you send the slides? May I try it on Monday?",
    "Hope this is okay. We read it in English and in Spanish.",
    "I will try it again in May with my 3rd period.",
    "The kids loved the turn-and-talk and the exit ticket.",
])
def test_ordinary_words_are_left_alone(text: str, book: NameBook) -> None:
    assert PrivacyGuard(book).vault("Ana", "Kim").redact(text) == text
