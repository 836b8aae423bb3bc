"""The role table (CONTRACT.md, "People and roles"): who may run which command, why not, and
the help listing each person sees."""

from __future__ import annotations

import pytest

from bot.core.grammar import (
    COMMAND_HELP,
    CohortRef,
    Command,
    Me,
    ParseError,
    Pause,
    PersonRef,
    parse,
)
from bot.core.model import Role
from bot.core.permissions import RULES, Audience, allowed, refusal, rule_for, usage_for, usage_text

TEACHER: frozenset[str] = frozenset()
COACH = frozenset({"coach"})
ADMIN = frozenset({"admin"})


def command(text: str) -> Command:
    parsed = parse(text)
    assert not isinstance(parsed, ParseError), parsed
    return parsed


EVERYONES = [
    "help", "focus feedback", "time 07:45", "stop", "start", "ai off", "pause me",
    "resume me", "pause me until 2025-12-01", "forget me", "forget me confirm", "my data",
]
COACHES = ["test-send questioning-001", "voice warm and brief", "triage"]
OWN_COHORT = ["pause math", "resume math", "pause <@U1>", "resume <@U1>", "send now math", "report math"]
ADMINS = [
    "cohort create math", "cohort list", "cohort term math 2025-08-25..2026-06-12",
    "cohort coach math <@U1>", "coach assign <@U1> <@U2>", "cohort add math <@U1>",
    "cohort remove math <@U1>", "cadence set math weekdays 07:45", "cadence show math",
    "skip math 2025-12-01", "skip import math cal.ics", "llm off", "admin add <@U1>",
]


def test_every_command_in_the_grammar_has_a_rule() -> None:
    assert {line.name for line in COMMAND_HELP} == set(RULES)


@pytest.mark.parametrize("text", EVERYONES)
@pytest.mark.parametrize("roles", [TEACHER, COACH, ADMIN])
def test_everyone_may_run_their_own_commands(text: str, roles: frozenset[str]) -> None:
    assert allowed(command(text), roles)


@pytest.mark.parametrize("text", COACHES)
def test_coach_commands_are_for_coaches_and_admins(text: str) -> None:
    assert allowed(command(text), COACH)
    assert allowed(command(text), ADMIN)
    assert not allowed(command(text), TEACHER)


@pytest.mark.parametrize("text", OWN_COHORT)
def test_a_coach_may_act_on_their_own_cohorts_and_teachers(text: str) -> None:
    assert allowed(command(text), COACH, is_own_cohort_coach=True)


@pytest.mark.parametrize("text", OWN_COHORT)
def test_a_coach_may_not_act_on_someone_elses_cohort(text: str) -> None:
    assert refusal(command(text), COACH) == (
        f"Only admins, or coaches for their own cohorts, can {rule_for(command(text)).doing}."
    )


@pytest.mark.parametrize("text", OWN_COHORT)
def test_an_admin_may_act_on_any_cohort(text: str) -> None:
    assert allowed(command(text), ADMIN)


def test_a_teacher_who_claims_ownership_still_cannot_pause_a_cohort() -> None:
    assert not allowed(Pause(CohortRef("math")), TEACHER, is_own_cohort_coach=True)


@pytest.mark.parametrize("text", ADMINS)
@pytest.mark.parametrize("roles", [TEACHER, COACH])
def test_admin_commands_are_refused_to_everyone_else(text: str, roles: frozenset[str]) -> None:
    assert not allowed(command(text), roles, is_own_cohort_coach=True)


@pytest.mark.parametrize("text", ADMINS)
def test_admins_may_run_admin_commands(text: str) -> None:
    assert allowed(command(text), ADMIN)


def test_pausing_yourself_and_pausing_a_teacher_follow_different_rules() -> None:
    assert rule_for(Pause(Me())).audience is Audience.EVERYONE
    assert rule_for(Pause(PersonRef("U1", "id"))).audience is Audience.OWN_COACH


def test_refusal_reads_as_a_sentence_for_the_person() -> None:
    assert refusal(command("cohort create math"), COACH) == "Only admins can create cohorts."
    assert refusal(command("triage"), TEACHER) == "Only coaches and admins can use the triage inbox."


def test_nothing_is_refused_when_allowed() -> None:
    assert refusal(command("cohort create math"), ADMIN) is None


def test_roles_may_be_given_as_model_role_values() -> None:
    assert allowed(command("llm on"), frozenset({Role.ADMIN}))


def test_a_teacher_sees_only_the_everyone_section_with_pause_me() -> None:
    listing = usage_for(TEACHER)
    assert "For everyone:" in listing and "For coaches:" not in listing
    assert "pause me [until <YYYY-MM-DD>]" in listing
    assert "cohort create" not in listing and "@teacher" not in listing


def test_a_coach_sees_the_coach_section_but_not_the_admin_one() -> None:
    listing = usage_for(COACH)
    assert "For coaches:" in listing and "triage" in listing and "send now <cohort>" in listing
    assert "For admins:" not in listing


def test_the_full_listing_has_every_command_grouped_by_audience() -> None:
    listing = usage_text()
    headings = [line for line in listing.splitlines() if line.endswith(":")]
    assert headings == ["For everyone:", "For coaches:", "For admins:"]
    assert all(line.usage in listing for line in COMMAND_HELP)
