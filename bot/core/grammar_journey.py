"""Readers of the journey commands: ``prompt add``, ``prompt next`` and ``cohort channel``.
:mod:`bot.core.grammar` lists them with the other commands; each raises :class:`BadArgs` with
the words to say to the person."""

from __future__ import annotations

import re

from bot.core.command_values import ChannelRef, CohortChannel, Command, PromptAdd, PromptNext, TeamRef
from bot.core.grammar_tokens import ID_PATTERN, NAME_PATTERN, Args, BadArgs, read_cohort, read_focus
from bot.core.prompts import KINDS, LEVELS

DEFAULT_LEVEL = "developing"
"""A coach's item without a level sits in the middle, never more than one step from what a
teacher's journey asks for."""
_NAME_HINT = "a cohort name, like grade5-math"
_SLACK_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_LINK = re.compile(r"<((?:https?://|mailto:)[^<>|\s]+)(?:\|[^<>]*)?>", re.IGNORECASE)
_EXAMPLE = "prompt add questioning tip Count to five in your head after each question today."


def prompt_add(args: Args) -> Command:
    """``prompt add <focus> <kind> [<level>] <text…>``."""
    focus = read_focus(args.take(f"a focus area, a kind and the text, like: {_EXAMPLE}"))
    kind = read_kind(args.take(f"a kind after the focus, like: {_EXAMPLE}"))
    level = DEFAULT_LEVEL
    if (word := args.peek()) is not None and word.lower() in LEVELS:
        level = args.take("a level").lower()
    text = plain_text(args.rest())
    if not text:
        raise BadArgs(f"'prompt add' needs the text teachers will read, like: {_EXAMPLE}")
    return PromptAdd(focus, kind, level, text)


def prompt_next(args: Args) -> Command:
    """``prompt next <cohort> <prompt-id>``."""
    cohort = read_cohort(args.take(_NAME_HINT))
    prompt_id = args.take("the prompt id after the cohort, like qt-wait-time-01")
    if not ID_PATTERN.fullmatch(prompt_id):
        raise BadArgs(f"'{prompt_id}' doesn't look like a prompt id.")
    args.end()
    return PromptNext(cohort, prompt_id)


def cohort_channel(args: Args) -> Command:
    """``cohort channel <name> <#channel>|team:<team name>|off``."""
    cohort = read_cohort(args.take(_NAME_HINT))
    token = args.take("a #channel, team:<team name>, or off")
    if token.lower() in ("off", "none"):
        args.end()
        return CohortChannel(cohort, None)
    if token.lower().startswith("team:"):
        team = (token[len("team:"):] + " " + args.rest()).strip().strip('"')
        if not team:
            raise BadArgs("After team: I need the team's name, like team:Grade 5.")
        return CohortChannel(cohort, TeamRef(team))
    args.end()
    return CohortChannel(cohort, read_channel(token))


def read_kind(token: str) -> str:
    """A kind by its name or the start of it (``micro`` is ``micro-lesson``)."""
    wanted = token.lower()
    matches = [kind for kind in KINDS if kind == wanted] or [kind for kind in KINDS if kind.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    raise BadArgs(f"I don't know the kind '{token}'. You can choose: {', '.join(KINDS)}.")


def read_channel(token: str) -> ChannelRef:
    if match := _SLACK_CHANNEL.fullmatch(token):
        return ChannelRef(match[1], match[2] or "")
    name = token.removeprefix("#")
    if token.startswith("#") and NAME_PATTERN.fullmatch(name):
        return ChannelRef(name.lower(), name)
    raise BadArgs(f"I couldn't read '{token}' as a channel. Name it like #staffroom, or team:<team name> in Teams.")


def plain_text(text: str) -> str:
    """Text as the coach meant it: Slack's ``<https://…|label>`` links unwrapped to the link, and
    the three characters Slack escapes put back."""
    unwrapped = _SLACK_LINK.sub(lambda match: match[1].removeprefix("mailto:"), text)
    return unwrapped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
