"""Who may run which command: CONTRACT.md's role table as data, and the help each person sees.

Roles are the strings of :class:`bot.core.model.Role` (``admin``, ``coach``); a teacher has
none. Whether a coach coaches the cohort or teacher a command names is a store question, so
callers answer it and pass ``is_own_cohort_coach``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from bot.core.command_help import COMMAND_HELP, HelpLine
from bot.core.command_values import Command, Me, Pause, Resume
from bot.core.model import Role


class Audience(StrEnum):
    EVERYONE = "everyone"
    COACH = "coach"
    OWN_COACH = "own-coach"
    """A coach for their own cohorts and teachers; an admin for any."""
    ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    audience: Audience
    doing: str = ""
    """Finishes the refusal, e.g. "create cohorts" in "Only admins can create cohorts."; rules
    for everyone never refuse, so they need none."""


_E, _C, _O, _A = Audience.EVERYONE, Audience.COACH, Audience.OWN_COACH, Audience.ADMIN

RULES = MappingProxyType(
    {
        "help": Rule(_E),
        "focus": Rule(_E),
        "time": Rule(_E),
        "stop": Rule(_E),
        "start": Rule(_E),
        "ai": Rule(_E),
        "forget me": Rule(_E),
        "my data": Rule(_E),
        "test-send": Rule(_C, "test-send prompts"),
        "prompt add": Rule(_C, "add prompts"),
        "voice": Rule(_C, "set a coaching voice"),
        "triage": Rule(_C, "use the triage inbox"),
        "pause": Rule(_O, "pause a teacher or a cohort"),
        "resume": Rule(_O, "resume a teacher or a cohort"),
        "send now": Rule(_O, "send prompts now"),
        "report": Rule(_O, "see a cohort's report"),
        "prompt next": Rule(_O, "choose a cohort's next prompt"),
        "roster upload": Rule(_O, "upload a cohort's student roster"),
        "roster clear": Rule(_O, "clear a cohort's student roster"),
        "cohort create": Rule(_A, "create cohorts"),
        "cohort list": Rule(_A, "list cohorts"),
        "cohort term": Rule(_A, "set a cohort's term"),
        "cohort coach": Rule(_A, "choose a cohort's coach"),
        "cohort add": Rule(_A, "add people to cohorts"),
        "cohort remove": Rule(_A, "remove people from cohorts"),
        "cohort channel": Rule(_A, "set a cohort's channel"),
        "coach assign": Rule(_A, "assign coaches"),
        "cadence set": Rule(_A, "set cadences"),
        "cadence show": Rule(_A, "see cadences"),
        "skip": Rule(_A, "add skip days"),
        "skip import": Rule(_A, "import school calendars"),
        "llm": Rule(_A, "turn the AI model on or off"),
        "admin add": Rule(_A, "add admins"),
    }
)
"""Every command's audience, by command name."""

SELF_RULES = MappingProxyType({"pause": Rule(_E), "resume": Rule(_E)})
"""``pause me`` and ``resume me``: everyone's, unlike pausing someone else."""

SELF_HELP = MappingProxyType(
    {
        "pause": HelpLine("pause", "pause me [until <YYYY-MM-DD>]", "take a break from prompts"),
        "resume": HelpLine("resume", "resume me", "pick your prompts up again"),
    }
)
"""How ``pause``/``resume`` read in the listing for people who may only pause themselves."""

_REFUSALS = MappingProxyType(
    {
        _C: "Only coaches and admins can {doing}.",
        _O: "Only admins, or coaches for their own cohorts, can {doing}.",
        _A: "Only admins can {doing}.",
    }
)

_SECTIONS = (
    ("For everyone", (_E,)),
    ("For coaches", (_C, _O)),
    ("For admins", (_A,)),
)


def rule_for(command: Command) -> Rule:
    if isinstance(command, Pause | Resume) and isinstance(command.target, Me):
        return SELF_RULES[command.name]
    return RULES[command.name]


def may(audience: Audience, roles: Iterable[str], *, is_own_cohort_coach: bool = False) -> bool:
    held = frozenset(roles)
    if audience is Audience.EVERYONE or Role.ADMIN in held:
        return True
    if audience is Audience.COACH:
        return Role.COACH in held
    return audience is Audience.OWN_COACH and Role.COACH in held and is_own_cohort_coach


def refusal(
    command: Command, roles: Iterable[str], *, is_own_cohort_coach: bool = False
) -> str | None:
    """Why this person may not run ``command``, as a sentence for them; ``None`` if they may."""
    rule = rule_for(command)
    if may(rule.audience, roles, is_own_cohort_coach=is_own_cohort_coach):
        return None
    return _REFUSALS[rule.audience].format(doing=rule.doing)


def allowed(command: Command, roles: Iterable[str], *, is_own_cohort_coach: bool = False) -> bool:
    return refusal(command, roles, is_own_cohort_coach=is_own_cohort_coach) is None


def usage_for(roles: Iterable[str]) -> str:
    """The help listing, with only the sections this person can use."""
    held = frozenset(roles)
    return "\n\n".join(
        f"{heading}:\n" + "\n".join(f"  {line.usage} — {line.summary}" for line in _lines(group))
        for heading, group in _SECTIONS
        if may(group[0], held, is_own_cohort_coach=True)
    )


def usage_text() -> str:
    """The whole help listing, grouped for teachers, coaches and admins."""
    return usage_for({Role.ADMIN, Role.COACH})


def _lines(audiences: tuple[Audience, ...]) -> list[HelpLine]:
    """A section's lines in listing order; ``pause me``/``resume me`` are everyone's."""
    everyone = Audience.EVERYONE in audiences
    return [
        SELF_HELP[line.name] if everyone and line.name in SELF_HELP else line
        for line in COMMAND_HELP
        if (everyone and line.name in SELF_HELP) or _audience(line) in audiences
    ]


def _audience(line: HelpLine) -> Audience:
    return RULES[line.name].audience
