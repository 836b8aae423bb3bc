"""The command grammar of CONTRACT.md as one pure function: text in, a command value or a
:class:`ParseError` out.

In Teams and the playground a message is a command only if it parses completely, so anything
that does not fit is a :class:`ParseError` the caller may treat as a reply; ``is_command_like``
tells a Slack caller whether to answer with a usage line or with the help listing.

Inside ``pause``/``resume`` a bare one-word token is a cohort, so a playground id there needs
its ``@`` (``@u-coach``).

The command values live in :mod:`bot.core.command_values` and the help table in
:mod:`bot.core.command_help`; both are re-exported here, so callers may keep importing them
from this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.command_help import COMMAND_HELP, HelpLine, usage_of
from bot.core.command_values import (
    AdminAdd, Ai, CadenceSet, CadenceShow, ChannelRef, CoachAssign, CohortAdd, CohortChannel,
    CohortCoach, CohortCreate, CohortList, CohortRef, CohortRemove, CohortTerm, Command, Focus,
    ForgetMe, Help, Llm, Me, MyData, ParseError, Pause, PersonKind, PersonRef, PromptAdd,
    PromptNext, Report, Resume, SendNow, Skip, SkipImport, Start, Stop, Target, TeamRef, TestSend,
    Time, Triage, UserGroupRef, Voice,
)
from bot.core.command_values import RosterClear, RosterUpload
from bot.core.grammar_journey import cohort_channel, prompt_add, prompt_next
from bot.core.grammar_tokens import (
    DAY_NAMES, GRAMMAR_WORDS, ID_PATTERN, NAME_PATTERN, PERSON_HINT, TEAMS_AT_PATTERN, TIME_PATTERN,
    Args, BadArgs, read_cohort, read_date, read_days, read_focus, read_person, read_range,
    read_source, read_target, read_time, read_zone,
)
from bot.core.prompts import FOCUS_AREAS

__all__ = [
    "COMMAND_HELP", "DAY_NAMES", "GRAMMAR_WORDS", "AdminAdd", "Ai", "CadenceSet", "CadenceShow",
    "ChannelRef", "CoachAssign", "CohortAdd", "CohortChannel", "CohortCoach", "CohortCreate", "CohortList",
    "CohortRef", "CohortRemove", "CohortTerm", "Command", "Focus", "ForgetMe", "Help", "HelpLine",
    "Llm", "Me", "MyData", "ParseError", "Pause", "PersonKind", "PersonRef", "PromptAdd", "PromptNext",
    "Report", "Resume",
    "SendNow", "Skip", "SkipImport", "Start", "Stop", "Target", "TeamRef", "TestSend", "Time",
    "Triage", "UserGroupRef", "Voice", "parse", "usage_of", "RosterUpload", "RosterClear",
]

_TOKEN = re.compile(r"<at>.*?</at>|<[^<>]*>|[^\s<]+|<", re.IGNORECASE)
_NAME_HINT = "a cohort name, like grade5-math"
_SLACK_URL = re.compile(r"<(https?://[^<>|\s]+)(?:\|[^<>]*)?>", re.IGNORECASE)


def _no_args(command: Callable[[], Command]) -> Callable[[Args], Command]:
    def handle(args: Args) -> Command:
        args.end()
        return command()

    return handle


def _switch(command: Callable[[bool], Command]) -> Callable[[Args], Command]:
    def handle(args: Args) -> Command:
        word = args.take("on or off").lower()
        if word not in ("on", "off"):
            raise BadArgs(f"Say '{args.command} on' or '{args.command} off'.")
        args.end()
        return command(word == "on")

    return handle


def _one_cohort(command: Callable[[CohortRef], Command]) -> Callable[[Args], Command]:
    def handle(args: Args) -> Command:
        cohort = read_cohort(args.take(_NAME_HINT))
        args.end()
        return command(cohort)

    return handle


def _people(args: Args, what: str, *, groups: bool) -> tuple[Target, ...]:
    """People (and with ``groups``, channels, user groups and a team); commas are fine."""
    found: list[Target] = []
    while (token := args.peek()) is not None:
        if token.lower().startswith("team:"):
            if not groups:
                raise BadArgs(f"'{args.command}' takes people, not a team.")
            team = args.rest()[len("team:") :].strip().strip('"')
            if not team:
                raise BadArgs("After team: I need the team's name, like team:Grade 5.")
            found.append(TeamRef(team))
        elif cleaned := args.take(what).strip(","):
            found.append(read_target(cleaned) if groups else read_person(cleaned))
    if not found:
        raise BadArgs(f"'{args.command}' needs {what}.")
    return tuple(found)


def _cohort_create(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    zone = args.optional()
    args.end()
    return CohortCreate(cohort, read_zone(zone) if zone else None)


def _cohort_term(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    dates = args.take("the term dates, like 2025-08-25..2026-06-12")
    start, end = read_range(dates, single_ok=False)
    args.end()
    return CohortTerm(cohort, start, end)


def _cohort_coach(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    coach = read_person(args.take("the coach, like @jane"))
    args.end()
    return CohortCoach(cohort, coach)


def _coach_assign(args: Args) -> Command:
    teacher = read_person(args.take("the teacher and then the coach, like @sam @jane"))
    coach = read_person(args.take("the coach after the teacher, like @sam @jane"))
    args.end()
    return CoachAssign(teacher, coach)


def _cohort_add(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    targets = _people(args, "teachers, a #channel, a user group or team:<team name>", groups=True)
    return CohortAdd(cohort, targets)


def _cohort_remove(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    teachers = _people(args, "the teachers to remove, like @jane", groups=False)
    return CohortRemove(cohort, tuple(t for t in teachers if isinstance(t, PersonRef)))


def _cadence_set(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    words = args.rest().split()
    if len(words) < 2:
        only_time = bool(words) and TIME_PATTERN.fullmatch(words[0]) is not None
        missing = "the days" if only_time else "the days and a time"
        raise BadArgs(f"'cadence set' needs {missing}, like mon,wed,fri 07:45.")
    return CadenceSet(cohort, read_days(words[:-1]), read_time(words[-1]))


def _skip(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    dates = args.take("a date or range, like 2025-11-27..2025-11-28")
    start, end = read_range(dates, single_ok=True)
    reason = args.rest()
    if reason.startswith(".."):
        raise BadArgs("Write the range without spaces, like 2025-11-27..2025-11-28.")
    return Skip(cohort, start, end, reason)


def _skip_import(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    source = read_source(args.take("a calendar file or an https link"))
    args.end()
    return SkipImport(cohort, source)


def _roster_upload(args: Args) -> Command:
    cohort = read_cohort(args.take(_NAME_HINT))
    token = args.take("a roster file (CSV, or one name a line) or an https link")
    link = _SLACK_URL.fullmatch(token)
    source = link[1] if link else token
    if "://" in source and not source.lower().startswith("https://"):
        raise BadArgs("I can only fetch rosters over https, like https://district.org/roster.csv.")
    args.end()
    return RosterUpload(cohort, source)


def _pause_target(args: Args) -> CohortRef | PersonRef | Me:
    token = args.take("a cohort, a @teacher or me")
    if token.lower() == "me":
        return Me()
    return read_cohort(token) if NAME_PATTERN.fullmatch(token) else read_person(token)


def _pause(args: Args) -> Command:
    target = _pause_target(args)
    until = None
    if (word := args.optional()) is not None:
        if word.lower() != "until":
            raise BadArgs(
                f"I wasn't expecting '{word}' there. To pause up to a day, add until 2025-12-01."
            )
        until = read_date(args.take("a date after until, like 2025-12-01"))
    args.end()
    return Pause(target, until)


def _resume(args: Args) -> Command:
    target = _pause_target(args)
    args.end()
    return Resume(target)


def _test_send(args: Args) -> Command:
    prompt_id = args.take("a prompt id")
    if not ID_PATTERN.fullmatch(prompt_id):
        raise BadArgs(f"'{prompt_id}' doesn't look like a prompt id.")
    args.end()
    return TestSend(prompt_id)


def _focus_area(args: Args) -> Command:
    words = args.rest()
    if not words:
        raise BadArgs(f"'focus' needs an area. You can choose: {', '.join(FOCUS_AREAS)}.")
    return Focus(read_focus(words))


def _time_of_day(args: Args) -> Command:
    word = args.take("a time like 07:45, or default")
    at = None if word.lower() == "default" else read_time(word)
    args.end()
    return Time(at)


def _forget_me(args: Args) -> Command:
    word = args.optional()
    if word is not None and word.lower() != "confirm":
        raise BadArgs("To delete what I keep about you, say 'forget me confirm'.")
    args.end()
    return ForgetMe(confirmed=word is not None)


def _voice(args: Args) -> Command:
    text = args.rest()
    if not text:
        raise BadArgs("'voice' needs a few words on how your follow-ups should sound.")
    return Voice(text)


def _admin_add(args: Args) -> Command:
    person = read_person(args.take(PERSON_HINT))
    args.end()
    return AdminAdd(person)


_HANDLERS: tuple[tuple[str, Callable[[Args], Command]], ...] = (
    ("help", _no_args(Help)),
    ("cohort create", _cohort_create),
    ("cohort list", _no_args(CohortList)),
    ("cohort term", _cohort_term),
    ("cohort coach", _cohort_coach),
    ("coach assign", _coach_assign),
    ("cohort add", _cohort_add),
    ("cohort remove", _cohort_remove),
    ("cadence set", _cadence_set),
    ("cadence show", _one_cohort(CadenceShow)),
    ("skip", _skip),
    ("skip import", _skip_import),
    ("pause", _pause),
    ("resume", _resume),
    ("send now", _one_cohort(SendNow)),
    ("test-send", _test_send),
    ("report", _one_cohort(Report)),
    ("focus", _focus_area),
    ("time", _time_of_day),
    ("stop", _no_args(Stop)),
    ("start", _no_args(Start)),
    ("ai", _switch(Ai)),
    ("forget me", _forget_me),
    ("my data", _no_args(MyData)),
    ("voice", _voice),
    ("triage", _no_args(Triage)),
    ("llm", _switch(Llm)),
    ("admin add", _admin_add),
    ("cohort channel", cohort_channel),
    ("prompt add", prompt_add),
    ("prompt next", prompt_next),
    ("roster upload", _roster_upload),
    ("roster clear", _one_cohort(RosterClear)),
)


def _is_lead(token: str) -> bool:
    """``/coach`` typed into a message, or the bot's @mention in a Teams channel."""
    return token.lower() == "/coach" or bool(TEAMS_AT_PATTERN.fullmatch(token))


def parse(text: str) -> Command | ParseError:
    """Read one command; anything that does not parse completely is a :class:`ParseError`."""
    tokens = list(_TOKEN.finditer(text))
    while tokens and _is_lead(tokens[0].group()):
        tokens.pop(0)
    if not tokens:
        return ParseError("There's no command here. Say 'help' to see the ones I know.")
    words = [token.group().lower() for token in tokens]
    phrases = [(p, h) for p, h in _HANDLERS if words[: len(p.split())] == p.split()]
    if phrases:
        phrase, handle = max(phrases, key=lambda found: len(found[0]))
        try:
            return handle(Args(phrase, text, tokens[len(phrase.split()) :]))
        except BadArgs as bad:
            return ParseError(str(bad), usage_of(phrase))
    family = [line.usage for line in COMMAND_HELP if line.name.split()[0] == words[0]]
    if family:
        said = " ".join(token.group() for token in tokens[:2])
        message = f"I didn't quite follow '{said}'. Did you mean one of these?"
        return ParseError(message, "\n".join(family))
    first = tokens[0].group()
    return ParseError(f"I don't know '{first}' as a command. Say 'help' to see the ones I know.")
