"""The command grammar (CONTRACT.md, "Command grammar"): every command reads from a typical
line, every rule refuses what it should with a friendly message, and ordinary sentences that
happen to start with a command word stay replies."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.core.grammar import (
    COMMAND_HELP,
    Ai,
    AdminAdd,
    CadenceSet,
    CadenceShow,
    ChannelRef,
    CoachAssign,
    CohortAdd,
    CohortChannel,
    CohortCoach,
    CohortCreate,
    CohortList,
    CohortRef,
    CohortRemove,
    CohortTerm,
    Focus,
    ForgetMe,
    Help,
    Llm,
    Me,
    MyData,
    ParseError,
    Pause,
    PersonRef,
    PromptAdd,
    PromptNext,
    Report,
    Resume,
    RosterClear,
    RosterUpload,
    SendNow,
    Skip,
    SkipImport,
    Start,
    Stop,
    TeamRef,
    TestSend,
    Time,
    Triage,
    UserGroupRef,
    Voice,
    parse,
    usage_of,
)
from bot.core.prompts import FOCUS_AREAS

MATH = CohortRef("math")
JANE = PersonRef("U1", "id", "jane")


def error_of(text: str) -> ParseError:
    result = parse(text)
    assert isinstance(result, ParseError), f"{text!r} parsed as {result!r}"
    return result


TYPICAL_LINES = [
    ("help", Help()),
    ("cohort create math", CohortCreate(MATH)),
    ("cohort create math America/Chicago", CohortCreate(MATH, "America/Chicago")),
    ("cohort list", CohortList()),
    (
        "cohort term math 2025-08-25..2026-06-12",
        CohortTerm(MATH, date(2025, 8, 25), date(2026, 6, 12)),
    ),
    ("cohort coach math <@U1|jane>", CohortCoach(MATH, JANE)),
    ("coach assign <@U2> <@U1|jane>", CoachAssign(PersonRef("U2", "id"), JANE)),
    ("cohort add math <@U1|jane>", CohortAdd(MATH, (JANE,))),
    ("cohort remove math <@U1|jane>", CohortRemove(MATH, (JANE,))),
    ("cadence set math mon,wed,fri 07:45", CadenceSet(MATH, (1, 3, 5), time(7, 45))),
    ("cadence show math", CadenceShow(MATH)),
    ("skip math 2025-11-27", Skip(MATH, date(2025, 11, 27), date(2025, 11, 27))),
    (
        "skip math 2025-12-22..2026-01-02 Winter break",
        Skip(MATH, date(2025, 12, 22), date(2026, 1, 2), "Winter break"),
    ),
    ("skip import math calendar.ics", SkipImport(MATH, "calendar.ics")),
    ("pause me", Pause(Me())),
    ("pause me until 2025-12-01", Pause(Me(), date(2025, 12, 1))),
    ("pause math", Pause(MATH)),
    ("pause <@U1|jane> until 2025-12-01", Pause(JANE, date(2025, 12, 1))),
    ("resume me", Resume(Me())),
    ("resume math", Resume(MATH)),
    ("send now math", SendNow(MATH)),
    ("test-send questioning-001", TestSend("questioning-001")),
    ("report math", Report(MATH)),
    ("focus questioning", Focus("questioning")),
    ("time 07:45", Time(time(7, 45))),
    ("time default", Time(None)),
    ("stop", Stop()),
    ("start", Start()),
    ("ai on", Ai(True)),
    ("ai off", Ai(False)),
    ("forget me", ForgetMe(confirmed=False)),
    ("forget me confirm", ForgetMe(confirmed=True)),
    ("my data", MyData()),
    ("voice Warm, brief, first names.", Voice("Warm, brief, first names.")),
    ("triage", Triage()),
    ("llm on", Llm(True)),
    ("llm off", Llm(False)),
    ("admin add <@U1|jane>", AdminAdd(JANE)),
    ("cohort channel math <#C9|staffroom>", CohortChannel(MATH, ChannelRef("C9", "staffroom"))),
    ("cohort channel math #staffroom", CohortChannel(MATH, ChannelRef("staffroom", "staffroom"))),
    ("cohort channel math team:Grade 5", CohortChannel(MATH, TeamRef("Grade 5"))),
    ("cohort channel math off", CohortChannel(MATH, None)),
    ("prompt add questioning tip Count to five.", PromptAdd("questioning", "tip", "developing", "Count to five.")),
    (
        "prompt add feed micro deeper Watch <https://www.edutopia.org/v|this> &amp; try it",
        PromptAdd("feedback", "micro-lesson", "deeper", "Watch https://www.edutopia.org/v & try it"),
    ),
    ("prompt next math own-3", PromptNext(MATH, "own-3")),
    ("roster upload math <https://district.org/roster.csv>", RosterUpload(MATH, "https://district.org/roster.csv")),
    ("roster upload math roster.csv", RosterUpload(MATH, "roster.csv")),
    ("roster clear math", RosterClear(MATH)),
]


@pytest.mark.parametrize(("text", "expected"), TYPICAL_LINES)
def test_every_command_parses_from_a_typical_line(text: str, expected: object) -> None:
    assert parse(text) == expected


def test_every_command_name_has_a_usage_line_starting_with_it() -> None:
    names = {type(expected).name for _, expected in TYPICAL_LINES}
    assert names == {line.name for line in COMMAND_HELP}
    assert all(usage_of(name).startswith(name) for name in names)


@pytest.mark.parametrize(
    "text",
    ["HELP", "  help  ", "/coach help", "<at>MicroCoach</at> help", "<at>MicroCoach</at>\xa0help"],
)
def test_case_spacing_slash_coach_and_bot_mention_are_tolerated(text: str) -> None:
    assert parse(text) == Help()


def test_command_words_are_case_insensitive_and_cohort_names_keep_their_form() -> None:
    command = parse("Cohort Create Grade5-Math")
    assert command == CohortCreate(CohortRef("Grade5-Math"))
    assert command.cohort.key == "grade5-math"


def test_voice_keeps_its_text_as_written() -> None:
    assert parse("voice   Warm;  curious.  Use first names") == Voice("Warm;  curious.  Use first names")


# People, channels and groups


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("<@U123>", PersonRef("U123", "id")),
        ("<@U123|jane>", PersonRef("U123", "id", "jane")),
        ("<mailto:a.b@school.org|a.b@school.org>", PersonRef("a.b@school.org", "email")),
        ("<at>Jane Doe</at>", PersonRef("Jane Doe", "mention")),
        ("@Jane", PersonRef("Jane", "name")),
        ("a.b@school.org", PersonRef("a.b@school.org", "email")),
        ("29:1abcDEF-xyz_123", PersonRef("29:1abcDEF-xyz_123", "id")),
        ("u-coach", PersonRef("u-coach", "id")),
    ],
)
def test_person_forms_are_classified(token: str, expected: PersonRef) -> None:
    assert parse(f"admin add {token}") == AdminAdd(expected)


def test_cohort_add_takes_every_kind_of_target_with_commas_between() -> None:
    command = parse(
        "cohort add math <@U1|jane>, <#C9|grade-5> <#C8> <!subteam^S7|science> "
        "<at>Sam Lee</at> sam@school.org team: Grade 5 Team"
    )
    assert command == CohortAdd(
        MATH,
        (
            JANE,
            ChannelRef("C9", "grade-5"),
            ChannelRef("C8"),
            UserGroupRef("S7", "science"),
            PersonRef("Sam Lee", "mention"),
            PersonRef("sam@school.org", "email"),
            TeamRef("Grade 5 Team"),
        ),
    )


def test_user_group_without_label_is_read() -> None:
    assert parse("cohort add math <!subteam^S7>") == CohortAdd(MATH, (UserGroupRef("S7"),))


def test_cohort_remove_takes_several_teachers() -> None:
    command = parse("cohort remove math <@U1|jane> <@U2>")
    assert command == CohortRemove(MATH, (JANE, PersonRef("U2", "id")))


def test_a_channel_is_refused_where_a_person_is_needed() -> None:
    error = error_of("cohort coach math <#C9|grade-5>")
    assert "channel" in error.message
    assert error.usage == usage_of("cohort coach")


def test_a_team_is_refused_when_removing_teachers() -> None:
    assert "not a team" in error_of("cohort remove math team:Grade 5").message


def test_pause_reads_a_teams_id_as_a_person() -> None:
    assert parse("pause 29:1abc") == Pause(PersonRef("29:1abc", "id"))


def test_pause_reads_an_at_handle_as_a_person_and_a_bare_word_as_a_cohort() -> None:
    assert parse("pause @u-coach") == Pause(PersonRef("u-coach", "name"))
    assert parse("pause u-coach") == Pause(CohortRef("u-coach"))


# Days, times, dates, zones, focus areas


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("weekdays", (1, 2, 3, 4, 5)),
        ("daily", (1, 2, 3, 4, 5, 6, 7)),
        ("FRI,mon", (1, 5)),
        ("mon, wed, fri", (1, 3, 5)),
        ("sat,sun", (6, 7)),
    ],
)
def test_cadence_days_are_iso_weekdays_in_order(days: str, expected: tuple[int, ...]) -> None:
    assert parse(f"cadence set math {days} 07:45") == CadenceSet(MATH, expected, time(7, 45))


@pytest.mark.parametrize("days", ["monday", "mon,moon", "weekend", "mon;wed"])
def test_unknown_day_names_are_refused(days: str) -> None:
    error = error_of(f"cadence set math {days} 07:45")
    assert "as a day" in error.message
    assert error.usage == usage_of("cadence set")


def test_a_day_named_twice_is_refused() -> None:
    assert "twice" in error_of("cadence set math mon,wed,mon 07:45").message


@pytest.mark.parametrize("text", ["time 7:45", "time 07:45"])
def test_times_with_or_without_a_leading_zero_are_read(text: str) -> None:
    assert parse(text) == Time(time(7, 45))


def test_the_last_minute_of_the_day_is_a_time() -> None:
    assert parse("time 23:59") == Time(time(23, 59))


@pytest.mark.parametrize("bad", ["24:00", "7.45", "7:5", "07:60", "7am", "007:45"])
def test_malformed_times_are_refused_with_an_example(bad: str) -> None:
    error = error_of(f"time {bad}")
    assert error.message == f"I couldn't read '{bad}' as a time. Use HH:MM, like 07:45."


def test_a_cadence_without_a_time_is_refused() -> None:
    assert "time" in error_of("cadence set math mon,wed").message


@pytest.mark.parametrize("bad", ["2025-13-01", "2025-02-30", "25-12-01", "2025/12/01", "tomorrow"])
def test_malformed_dates_are_refused(bad: str) -> None:
    error = error_of(f"pause me until {bad}")
    assert bad in error.message
    assert error.usage == usage_of("pause")


def test_a_reversed_range_is_refused() -> None:
    assert "earlier date first" in error_of("skip math 2025-12-05..2025-12-01").message


def test_a_one_day_range_is_accepted() -> None:
    assert parse("skip math 2025-12-01..2025-12-01") == Skip(MATH, date(2025, 12, 1), date(2025, 12, 1))


def test_a_half_open_range_is_refused() -> None:
    assert "each side" in error_of("skip math 2025-12-01..").message


def test_a_range_written_with_spaces_is_refused_not_read_as_a_reason() -> None:
    assert "without spaces" in error_of("skip math 2025-12-01 .. 2025-12-05").message


def test_a_term_needs_a_range_not_a_single_date() -> None:
    assert "range" in error_of("cohort term math 2025-08-25").message


def test_a_zone_is_matched_whatever_its_case() -> None:
    assert parse("cohort create math america/new_york") == CohortCreate(MATH, "America/New_York")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "America", "EST-ish", "../etc"])
def test_an_unknown_zone_is_refused_clearly(zone: str) -> None:
    error = error_of(f"cohort create math {zone}")
    assert error.message == (
        f"I don't know the time zone '{zone}'. Use an IANA name, like America/Chicago."
    )


@pytest.mark.parametrize(
    ("words", "area"),
    [
        ("classroom-management", "classroom-management"),
        ("Classroom Management", "classroom-management"),
        ("formative", "formative-assessment"),
        ("well", "wellbeing"),
    ],
)
def test_focus_takes_a_slug_readable_form_or_unique_prefix(words: str, area: str) -> None:
    assert parse(f"focus {words}") == Focus(area)


def test_an_unknown_focus_area_lists_every_area() -> None:
    error = error_of("focus knitting")
    assert all(area in error.message for area in FOCUS_AREAS)


def test_an_ambiguous_focus_prefix_lists_only_the_candidates() -> None:
    error = error_of("focus f")
    assert "feedback" in error.message and "formative-assessment" in error.message
    assert "wellbeing" not in error.message


def test_skip_import_unwraps_a_slack_link() -> None:
    command = parse("skip import math <https://district.org/cal.ics|calendar>")
    assert command == SkipImport(MATH, "https://district.org/cal.ics")


def test_skip_import_refuses_a_plain_http_url() -> None:
    assert "https" in error_of("skip import math http://district.org/cal.ics").message


# Names


@pytest.mark.parametrize("word", ["me", "all", "now", "import", "team", "ME"])
def test_grammar_words_are_refused_as_cohort_names(word: str) -> None:
    error = error_of(f"cohort create {word}")
    assert "can't name a cohort" in error.message


@pytest.mark.parametrize("bad", ["math!", "grade.5", "ma/th"])
def test_cohort_names_with_other_characters_are_refused(bad: str) -> None:
    assert "one word of letters" in error_of(f"cohort create {bad}").message


def test_a_word_after_a_new_cohort_name_is_read_as_its_zone() -> None:
    assert "time zone '5'" in error_of("cohort create grade 5").message


# Missing and extra arguments


@pytest.mark.parametrize(
    "text",
    [
        "cohort create",
        "cohort term math",
        "cohort coach math",
        "coach assign <@U1>",
        "cohort add math",
        "cohort remove math",
        "cadence set math",
        "cadence show",
        "skip math",
        "skip import math",
        "pause",
        "resume",
        "send now",
        "test-send",
        "report",
        "focus",
        "time",
        "ai",
        "voice",
        "llm",
        "admin add",
    ],
)
def test_missing_arguments_say_what_is_needed_and_show_usage(text: str) -> None:
    error = error_of(text)
    assert "needs" in error.message
    assert error.is_command_like
    assert error.usage is not None and error.usage.split()[0] == text.split()[0]


@pytest.mark.parametrize("text", ["ai maybe", "llm yes"])
def test_switches_take_only_on_or_off(text: str) -> None:
    assert "on' or '" in error_of(text).message


def test_forget_me_accepts_only_confirm_after_it() -> None:
    assert "forget me confirm" in error_of("forget me please").message


def test_pause_refuses_words_other_than_until() -> None:
    assert error_of("pause me for a week").usage == usage_of("pause")


def test_resume_takes_no_date() -> None:
    assert error_of("resume me until 2025-12-01").is_command_like


# Commands, almost-commands and ordinary sentences


@pytest.mark.parametrize(
    "text",
    [
        "focus on questions was hard",
        "time flies when the kids are engaged",
        "stop talking was the first thing I said",
        "report cards are due",
        "start of the lesson went well",
        "pause me for a bit, I need a breather",
    ],
)
def test_sentences_starting_with_a_command_word_are_not_commands(text: str) -> None:
    error = error_of(text)
    assert error.is_command_like


@pytest.mark.parametrize(
    "text",
    [
        "help! they would not settle",
        "Today the group work went well",
        "I tried wait time and it helped",
        "",
        "   ",
        "/coach",
    ],
)
def test_text_without_a_command_word_is_not_command_like(text: str) -> None:
    error = error_of(text)
    assert not error.is_command_like
    assert error.usage is None


def test_an_unknown_command_suggests_help() -> None:
    assert "help" in error_of("frobnicate math").message


def test_an_unknown_subcommand_shows_its_family() -> None:
    error = error_of("cohort rename math algebra")
    assert error.usage is not None
    assert usage_of("cohort create") in error.usage and usage_of("cohort list") in error.usage


def test_an_almost_command_gives_the_usage_of_that_command() -> None:
    error = error_of("/coach focus on questions")
    assert error.usage == "focus <area>"
    assert "on questions" in error.message


def test_extra_words_after_a_bare_command_are_named() -> None:
    error = error_of("stop talking please")
    assert error.message == "I wasn't expecting 'talking please' after 'stop'."
