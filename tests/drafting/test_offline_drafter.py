"""The offline drafter over 30 varied teacher replies, plus the draft checks it shares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.ports import DraftRequest
from bot.core.prompts import PromptItem
from bot.drafting.offline import (
    GRADING_WORDS,
    MAX_WORDS,
    OfflineDrafter,
    check_draft,
    grading_words_in,
    next_steps,
)

FIXTURE = yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures" / "replies" / "drafter.yaml").read_text("utf-8")
)
PROMPTS = {
    item["id"]: PromptItem(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()})
    for item in FIXTURE["prompts"]
}
REQUESTS = [
    DraftRequest(
        prompt=PROMPTS[item["prompt"]] if item["prompt"] else None,
        reply=item["text"],
        teacher_name=item["teacher"],
        focus=item.get("focus"),
        goal=item.get("goal"),
    )
    for item in FIXTURE["replies"]
]
IDS = [request.reply[:40] for request in REQUESTS]
WAIT_TIME = PROMPTS["wait-time"]
_SWAPS = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
          "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "am": "are",
          "was": "were"}
_FILLER = {"this", "that", "with", "what", "your", "you're", "they", "them", "their", "were",
           "have", "about", "thank", "thanks", "from"}


def _draft(request: DraftRequest) -> str:
    return OfflineDrafter().draft(request).text


def _tokens(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.replace("’", "'").lower())
    return [_SWAPS.get(word, word) for word in words]


def _echoes(draft: str, reply: str) -> bool:
    """Whether the draft repeats a run of the reply's words (three, or all of a shorter reply)
    that holds a real content word, with "I/my" read as "you/your"."""
    said = _tokens(reply)
    size = min(3, len(said))
    runs = {tuple(said[i : i + size]) for i in range(len(said) - size + 1)}
    drafted = _tokens(draft)
    return any(
        tuple(drafted[i : i + size]) in runs
        and any(len(w) > 3 and w not in _FILLER for w in drafted[i : i + size])
        for i in range(len(drafted) - size + 1)
    )


def _asks_one_thing(draft: str) -> bool:
    questions, steps = draft.count("?"), next_steps(draft)
    return (questions == 1 and not steps) or (questions == 0 and len(steps) == 1)


def test_fixture_holds_thirty_replies() -> None:
    assert len(REQUESTS) == 30


def test_every_draft_is_different() -> None:
    drafts = [_draft(request) for request in REQUESTS]
    assert len(set(drafts)) == len(drafts)


@pytest.mark.parametrize("request_", REQUESTS, ids=IDS)
def test_draft_echoes_what_the_teacher_wrote(request_: DraftRequest) -> None:
    draft = _draft(request_)
    assert _echoes(draft, request_.reply), draft


@pytest.mark.parametrize("request_", REQUESTS, ids=IDS)
def test_draft_asks_one_question_or_offers_one_next_step(request_: DraftRequest) -> None:
    draft = _draft(request_)
    assert _asks_one_thing(draft), draft


@pytest.mark.parametrize("request_", REQUESTS, ids=IDS)
def test_draft_is_at_most_eighty_words(request_: DraftRequest) -> None:
    assert len(_draft(request_).split()) <= MAX_WORDS


@pytest.mark.parametrize("request_", REQUESTS, ids=IDS)
def test_draft_uses_no_grading_words(request_: DraftRequest) -> None:
    draft = _draft(request_)
    assert grading_words_in(draft) == [], draft


@pytest.mark.parametrize("request_", REQUESTS, ids=IDS)
def test_draft_passes_the_shared_checks(request_: DraftRequest) -> None:
    assert check_draft(_draft(request_)) == []


def test_fixture_includes_replies_with_grading_words_to_avoid() -> None:
    assert sum(1 for request in REQUESTS if grading_words_in(request.reply)) >= 4


def test_draft_is_marked_offline() -> None:
    assert OfflineDrafter().draft(REQUESTS[0]).source == "offline"


def test_same_request_gives_the_same_draft_every_time() -> None:
    first = [OfflineDrafter().draft(request) for request in REQUESTS]
    again = [OfflineDrafter().draft(request) for request in REQUESTS]
    assert first == again


def test_draft_greets_the_teacher_by_first_name() -> None:
    reply = "The pause felt long."
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply, teacher_name="Maria Lopez"))
    assert "Maria" in draft and "Lopez" not in draft


def test_draft_without_a_name_has_no_empty_greeting() -> None:
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply="The pause felt long."))
    assert not draft.startswith(("Hi !", "Hi  ", " "))


def test_draft_speaks_to_the_teachers_goal_when_there_is_one() -> None:
    goal = "more students answering without being called on"
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply="The pause felt long.", goal=goal))
    assert goal in draft


def test_drafts_draw_on_the_prompts_follow_up_questions_and_material() -> None:
    drafts = [(request, _draft(request)) for request in REQUESTS if request.prompt]
    asked = any(q in d for r, d in drafts for q in r.prompt.follow_up_questions)
    pointed = any(
        r.prompt.follow_up_material and r.prompt.follow_up_material.lower() in d.lower()
        for r, d in drafts
    )
    assert asked and pointed


@pytest.mark.parametrize("reply", ["", "   ", "ok", "Tried it", "Not yet", "👍", "?!"])
def test_short_or_empty_reply_still_gets_a_sound_draft(reply: str) -> None:
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply, teacher_name="Sam"))
    assert check_draft(draft) == [] and _asks_one_thing(draft)


def test_short_reply_is_echoed() -> None:
    assert "Tried it" in _draft(DraftRequest(prompt=WAIT_TIME, reply="Tried it"))


def test_reply_with_no_prompt_still_gets_a_sound_draft() -> None:
    reply = "My morning class is chattier than my afternoon one."
    draft = _draft(DraftRequest(prompt=None, reply=reply))
    assert check_draft(draft) == [] and "morning class" in draft


def test_very_long_reply_is_echoed_in_short() -> None:
    reply = " ".join(["The students worked in pairs on the map activity and talked a lot."] * 200)
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply, teacher_name="Zoe"))
    assert check_draft(draft) == [] and _echoes(draft, reply)
    assert len(draft.split()) < 60


def test_one_endless_sentence_is_cut_with_an_ellipsis() -> None:
    reply = "we " + " ".join(f"tried idea{n}" for n in range(300))
    draft = _draft(DraftRequest(prompt=None, reply=reply))
    assert "…" in draft and check_draft(draft) == []


def test_list_reply_echoes_one_item_without_its_bullet() -> None:
    reply = (
        "- most of them found the main idea\n"
        "- nobody could explain the author's purpose\n"
        "- 3 left it blank"
    )
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply))
    assert _echoes(draft, reply) and "- " not in draft and check_draft(draft) == []


@pytest.mark.parametrize(
    "reply",
    [
        "Saludé a tres estudiantes en la puerta y uno me contó de su partido. ¿Qué más hago?",
        "这周学生们在小组讨论里说得更多了。",
        "Die Schüler haben viel mehr gesprochen als sonst, sogar die Stillen!",
        "الطلاب شاركوا أكثر اليوم في النقاش",
    ],
)
def test_non_english_reply_is_echoed_and_sound(reply: str) -> None:
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply, teacher_name="Óscar"))
    assert _echoes(draft, reply) and check_draft(draft) == [] and _asks_one_thing(draft)


def test_questions_in_the_reply_do_not_add_questions_to_the_draft() -> None:
    reply = "Was it too long? Should I shorten it? What do the other teachers do?"
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply))
    assert _asks_one_thing(draft)


def test_reply_full_of_grading_words_gives_a_draft_without_them() -> None:
    reply = "I failed at it. Poor scores, wrong answers, a weak grade, a big mistake."
    draft = _draft(DraftRequest(prompt=WAIT_TIME, reply=reply))
    assert grading_words_in(draft) == [] and check_draft(draft) == []


def test_grading_words_include_the_evaluative_vocabulary() -> None:
    expected = {"good job", "great job", "excellent", "poor", "weak", "grade", "score", "rating",
                "fail", "failed", "satisfactory", "unsatisfactory", "outstanding", "proficient",
                "needs improvement", "should have", "wrong", "mistake", "A+"}
    assert expected <= set(GRADING_WORDS)


def test_check_accepts_one_question() -> None:
    assert check_draft("Hi Sam! It sounds like the pause felt long. What did you notice?") == []


def test_check_accepts_one_next_step_without_a_question() -> None:
    assert check_draft("It sounds like the pause felt long. This week, try it in one class.") == []


def test_check_flags_a_draft_with_neither_question_nor_step() -> None:
    problems = check_draft("It sounds like the pause felt long.")
    assert problems == ["has no question and no next step"]


def test_check_flags_several_questions() -> None:
    assert check_draft("How did it go? What did you notice?") == ["asks 2 questions (ask one)"]


def test_check_flags_a_long_draft() -> None:
    problems = check_draft("Try this. " + "word " * MAX_WORDS)
    assert problems == [f"too long: {MAX_WORDS + 2} words (at most {MAX_WORDS})"]


def test_check_names_the_grading_words_it_found() -> None:
    assert check_draft("Great job, an excellent lesson! What next?") == [
        "uses grading words: Great job, excellent"
    ]


@pytest.mark.parametrize(
    "text", ["Your 3rd grade class spoke up. What next?", "Your second-grade team?"]
)
def test_check_allows_a_grade_level(text: str) -> None:
    assert check_draft(text) == []


def test_check_flags_an_empty_draft() -> None:
    assert check_draft("  ") == ["is empty"]
