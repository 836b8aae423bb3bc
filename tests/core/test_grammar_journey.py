"""The journey commands' grammar: ``prompt add``, ``prompt next`` and ``cohort channel`` read
what coaches and admins type, and refuse the rest with a message that says how."""

from __future__ import annotations

import pytest

from bot.core.grammar import ChannelRef, CohortChannel, ParseError, PromptAdd, TeamRef, parse
from bot.core.permissions import refusal


def error_of(text: str) -> ParseError:
    result = parse(text)
    assert isinstance(result, ParseError), f"{text!r} parsed as {result!r}"
    return result


def test_a_level_may_follow_the_kind_and_the_middle_one_is_the_default() -> None:
    assert parse("prompt add wellbeing celebration deeper Name one win.").level == "deeper"
    assert parse("prompt add wellbeing celebration Name one win.").level == "developing"


def test_the_text_keeps_its_words_and_loses_slacks_markup() -> None:
    parsed = parse("prompt add tech tip Try <https://www.commonsense.org/x> &lt;5 min&gt; &amp; share")
    assert parsed == PromptAdd("technology", "tip", "developing", "Try https://www.commonsense.org/x <5 min> & share")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("prompt add", "a focus area, a kind and the text"),
        ("prompt add gardening tip Water the plants.", "I don't know the focus area 'gardening'"),
        ("prompt add questioning quiz Ask five.", "I don't know the kind 'quiz'"),
        ("prompt add questioning tip", "needs the text teachers will read"),
        ("prompt add questioning tip deeper", "needs the text teachers will read"),
        ("prompt next fall7", "the prompt id after the cohort"),
        ("prompt next fall7 qt-1 extra", "I wasn't expecting 'extra'"),
        ("prompt next me qt-1", "can't name a cohort"),
        ("cohort channel fall7", "a #channel, team:<team name>, or off"),
        ("cohort channel fall7 staffroom", "I couldn't read 'staffroom' as a channel"),
        ("cohort channel fall7 #staff room", "I wasn't expecting 'room'"),
        ("cohort channel fall7 team:", "the team's name"),
    ],
)
def test_bad_input_is_refused_with_a_message_that_says_how(text: str, says: str) -> None:
    assert says in error_of(text).message


def test_the_kind_may_be_shortened_when_it_stays_unambiguous() -> None:
    assert parse("prompt add feedback micro Watch https://www.edutopia.org/x").kind == "micro-lesson"
    assert parse("prompt add feedback peer Share one.").kind == "peer-share"


def test_a_channel_reads_from_slack_the_playground_and_teams() -> None:
    assert parse("cohort channel fall7 <#C1>") == CohortChannel(parse("cohort channel fall7 off").cohort, ChannelRef("C1", ""))
    assert parse("cohort channel fall7 team:\"Grade 5 Team\"").channel == TeamRef("Grade 5 Team")


@pytest.mark.parametrize(
    ("text", "roles", "refused"),
    [("prompt add questioning tip Wait.", set(), "Only coaches and admins can add prompts."),
     ("prompt add questioning tip Wait.", {"coach"}, None),
     ("prompt next fall7 qt-1", {"coach"}, "Only admins, or coaches for their own cohorts, can choose a cohort's next prompt."),
     ("cohort channel fall7 #staff", {"coach"}, "Only admins can set a cohort's channel."),
     ("cohort channel fall7 #staff", {"admin"}, None)],
)
def test_who_may_run_them(text: str, roles: set[str], refused: str | None) -> None:
    assert refusal(parse(text), roles) == refused
