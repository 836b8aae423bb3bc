"""The help table: each command's name, usage line and one-line summary, as CONTRACT.md lists
them; the parser quotes a usage line when a command's arguments do not fit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HelpLine:
    name: str
    usage: str
    summary: str


COMMAND_HELP: tuple[HelpLine, ...] = (
    HelpLine("help", "help", "list the commands you can use"),
    HelpLine("focus", "focus <area>", "choose what your prompts are about"),
    HelpLine("time", "time <HH:MM>|default", "get your prompts at your own time, or the cohort's"),
    HelpLine(
        "pause",
        "pause <cohort|@teacher|me> [until <YYYY-MM-DD>]",
        "pause prompts for a cohort or a teacher",
    ),
    HelpLine("resume", "resume <cohort|@teacher|me>", "start paused prompts again"),
    HelpLine("stop", "stop", "stop all prompts"),
    HelpLine("start", "start", "start prompts again"),
    HelpLine("ai", "ai on|off", "allow or turn off AI-drafted follow-ups on your replies"),
    HelpLine("my data", "my data", "see everything I keep about you"),
    HelpLine("forget me", "forget me [confirm]", "delete what I keep about you (I ask first)"),
    HelpLine("test-send", "test-send <prompt-id>", "send a prompt to yourself to preview it"),
    HelpLine(
        "prompt add",
        "prompt add <focus> <kind> [<level>] <text…>",
        "add your own prompt or micro-lesson (put its link in the text)",
    ),
    HelpLine("voice", "voice <text>", "describe how your follow-ups should sound"),
    HelpLine("triage", "triage", "see replies waiting for you"),
    HelpLine("send now", "send now <cohort>", "send a cohort today's prompt now"),
    HelpLine("report", "report <cohort>", "see how a cohort is going"),
    HelpLine("prompt next", "prompt next <cohort> <prompt-id>", "send a chosen prompt to a cohort next"),
    HelpLine(
        "roster upload",
        "roster upload <cohort> <file-or-https-url>",
        "give the AI privacy guard your students' names (CSV or one a line; kept encrypted)",
    ),
    HelpLine("roster clear", "roster clear <cohort>", "delete a cohort's stored student roster"),
    HelpLine("cohort create", "cohort create <name> [<IANA zone>]", "make a cohort"),
    HelpLine("cohort list", "cohort list", "list the cohorts"),
    HelpLine("cohort term", "cohort term <name> <YYYY-MM-DD>..<YYYY-MM-DD>", "set the term dates"),
    HelpLine("cohort coach", "cohort coach <name> <@coach>", "set a cohort's coach"),
    HelpLine(
        "cohort add",
        "cohort add <name> <@teacher>… | <#channel> | <@usergroup> | team:<team name>",
        "add teachers",
    ),
    HelpLine("cohort remove", "cohort remove <name> <@teacher>…", "remove teachers"),
    HelpLine(
        "cohort channel",
        "cohort channel <name> <#channel>|team:<team name>|off",
        "post a weekly peer-share prompt in a channel",
    ),
    HelpLine("coach assign", "coach assign <@teacher> <@coach>", "give a teacher their own coach"),
    HelpLine(
        "cadence set",
        "cadence set <cohort> <mon,wed,fri|weekdays|daily> <HH:MM>",
        "set when prompts go out",
    ),
    HelpLine("cadence show", "cadence show <cohort>", "show when prompts go out"),
    HelpLine("skip", "skip <cohort> <YYYY-MM-DD>[..<YYYY-MM-DD>] [reason]", "skip days off"),
    HelpLine(
        "skip import", "skip import <cohort> <file-or-https-url>", "skip the days off in a calendar"
    ),
    HelpLine("llm", "llm on|off", "use the AI model in this workspace, or not"),
    HelpLine("admin add", "admin add <@user>", "make someone an admin"),
)


def usage_of(name: str) -> str:
    """The usage line of the command called ``name``."""
    return next(line.usage for line in COMMAND_HELP if line.name == name)
