"""Every sentence the bot says to a person, in one place: warm, short, non-evaluative.

Functions take what varies; constants are fixed text. Adapters never write user-facing text of
their own beyond platform chrome.
"""

from __future__ import annotations

from datetime import date, time

# Replies and acknowledgements --------------------------------------------------------------


def who_sees(coach_name: str | None, ai_on: bool) -> str:
    coach = coach_name or "your coach"
    if ai_on:
        return f"Only {coach} sees your replies. An AI helps draft their follow-up; {coach} reads and approves every word."
    return f"Only {coach} sees your replies."


def reply_ack(coach_name: str | None, ai_on: bool) -> str:
    return f"Thanks — got it. {who_sees(coach_name, ai_on)}"


def reply_added_ack(coach_name: str | None) -> str:
    return f"Added to today's reply. {coach_name or 'Your coach'} will see it all together."


def quick_ack(label: str, coach_name: str | None) -> str:
    return f"Noted: “{label}”. {coach_name or 'Your coach'} will see it. Add a line or two any time if you like."


def note_ack(coach_name: str | None) -> str:
    return (
        f"I've kept this as a note for {coach_name or 'your coach'}. "
        "There's no open prompt right now — type `help` to see what I can do."
    )


URGENT_ACK = (
    "Thank you for telling me. Your coach has been alerted right away. "
    "MicroCoach is not a reporting channel: please also follow your school's safeguarding procedures, "
    "and in an emergency call 911 (or 988 for the Suicide & Crisis Lifeline)."
)
EDIT_ACK = "Updated — your coach will see the new wording."
WITHDRAWN_ACK = "Withdrawn. Your coach won't see that message any more."
CLOSED = "This has closed, so nothing changed."
NO_COACH_YET = "your coach (not assigned yet)"

# Prompts ---------------------------------------------------------------------------------

REFLECT_LABEL = "Your reflection (optional)"
REFLECT_BUTTON = "Send reflection"


def prompt_footer(coach_name: str | None, ai_on: bool) -> str:
    return f"Reply here or in this thread, or tap a button. {who_sees(coach_name, ai_on)}"


def reminder_text(title: str) -> str:
    return f"A gentle nudge, no pressure: “{title}” is still open if you have two minutes today. Skip it if not."


# Coaches' cards ----------------------------------------------------------------------------


def card_title(teacher: str) -> str:
    return f"{teacher} replied"


def card_drafted_by(source: str) -> str:
    return "Drafted offline by MicroCoach's rules" if source == "offline" else f"Drafted by AI ({source.removeprefix('llm:')})"


URGENT_TITLE = "Urgent: please read this reply now"
URGENT_BODY = (
    "This reply matched the safeguarding rules, so no draft was written. Please reach out to the teacher "
    "directly and follow your district's procedures. MicroCoach does not report anything to anyone else."
)
NOTE_TITLE = "A note (no open prompt)"
EDIT_LABEL = "Edit the follow-up"
OWN_LABEL = "Write your own follow-up"
APPROVE = "Approve & send"
SEND_EDIT = "Send edited"
REJECT = "Reject"
SEND_OWN = "Send mine"


def decided(outcome: str, coach: str, when: str) -> str:
    return {
        "approved": f"Approved by {coach} at {when}; sent to the teacher.",
        "edited": f"Edited and sent by {coach} at {when}.",
        "rejected": f"Rejected by {coach} at {when}; nothing was sent.",
        "own": f"{coach} wrote their own follow-up at {when}; sent to the teacher.",
        "expired": f"Expired at {when}; nothing was sent.",
        "withdrawn": f"The teacher withdrew this reply at {when}; nothing was sent.",
        "urgent": f"The teacher's edit at {when} made this reply urgent, so the draft was withdrawn and nothing "
                  "was sent. See the urgent card.",
    }[outcome]


def expired_notice(teacher: str) -> str:
    return f"The drafted follow-up for {teacher} expired, so nothing was sent. You can still message them yourself."


def not_your_teacher(teacher: str) -> str:
    return f"Only {teacher}'s coach can decide this follow-up, so nothing changed."


EMPTY_EDIT = "The edited follow-up is empty, so nothing was sent. Add some words, or use Reject."


def followup_signature(coach: str) -> str:
    return f"— {coach}"


# People and enrolment ----------------------------------------------------------------------


def welcome(coach_name: str | None, cohort: str, ai_on: bool) -> str:
    coach = coach_name or "your coach"
    return (
        f"Welcome to MicroCoach, part of {cohort}. I'll send a short prompt now and then — two minutes, "
        f"no grades, no evaluation. {who_sees(coach_name, ai_on)} {coach.capitalize() if coach == 'your coach' else coach} "
        "writes back personally. Type `pause me` or `stop` any time, `focus <area>` to choose what to work on, "
        "and `help` for everything else."
    )


FOCUS_QUESTION = "What would you like to work on first?"
FOCUS_HINT = (
    "Tap one focus, and if you like, write a goal in your own words. You can change either any time "
    "(`focus <area>`), and prompts start on your cohort's days whether or not you choose. "
    "Want your own time? Type `time 07:30`."
)
GOAL_LABEL = "My goal, in a sentence (optional)"
SAVE_GOAL = "Save my goal"


def focus_label(area: str) -> str:
    return area.replace("-", " ").capitalize()


def focus_chosen(area: str) -> str:
    return f"Your focus: {focus_label(area)}."


def goal_saved(goal: str) -> str:
    return f"Saved your goal: “{goal}”. Prompts will lean toward it, and every few weeks I'll check it still fits."


EMPTY_GOAL = "Write your goal in the box first, then tap Save."
USEFUL_QUESTION = "Was this useful?"
USEFUL_YES = "Useful"
USEFUL_NO = "Not really"


def useful_noted(useful: bool) -> str:
    return "Thanks — glad it helped." if useful else "Thanks for saying so — it helps your coach tailor the next one."


# Goal check-backs ---------------------------------------------------------------------------

CHECK_BACK_TITLE = "Is this still your focus?"
KEEP_FOCUS = "Yes, keep it"
CHANGE_FOCUS = "Change my focus"


def check_back_text(focus: str | None, goal: str | None, default_focus: str | None) -> str:
    """A few weeks in: one honest question, with the teacher's own words back to them."""
    if focus is None:
        now = f"have followed {focus_label(default_focus).lower()}" if default_focus else "have rotated through areas"
        return (f"A quick check-in: you haven't picked a focus yet, so your prompts {now}. "
                "Keep it that way, or choose one thing to work on — either is a good answer.")
    words = f" Your goal, in your words: “{goal}”." if goal else ""
    return (f"You've spent a few weeks on *{focus_label(focus)}*.{words} Is it still what you want to work on? "
            "Keep going, or choose something new — small shifts add up either way.")


def check_back_kept(focus: str | None) -> str:
    area = f"*{focus_label(focus)}*" if focus else "your current mix"
    return f"Keeping {area}. Steady practice on one thing is how habits stick — nice work staying with it."


CHECK_BACK_CHANGE = "Happy to change course: a fresh focus is part of the journey."
CHECK_BACK_QUESTION = "What would you like to work on next?"
CHECK_BACK_HINT = "Tap one area and your next prompts follow it. A new goal in your own words is welcome too."


def focus_changed(area: str) -> str:
    return f"Your focus is now {focus_label(area)}. Your next prompts follow it."


# Coaches' own prompts ------------------------------------------------------------------------


def own_title(kind: str, coach_name: str) -> str:
    article = "An" if kind[0] in "aeiou" else "A"
    return f"{article} {kind.replace('-', ' ')} from {coach_name}"[:80]


def own_rationale(coach_name: str) -> str:
    return f"Written by {coach_name} for their own teachers."[:500]


def own_saved(prompt_id: str, kind: str, focus: str, level: str) -> str:
    return (f"Saved as `{prompt_id}` ({kind} · {focus_label(focus).lower()} · {level}). "
            f"Preview it with `test-send {prompt_id}`; send it to a cohort next with `prompt next <cohort> {prompt_id}`. "
            "From the next planning pass it joins the mix for your workspace's teachers on that focus.")


def own_refused(problems: list[str]) -> str:
    return "I couldn't add that prompt: " + " ".join(p if p.endswith(".") else p + "." for p in problems) + " Nothing was saved."


def own_resembles(prompt_id: str) -> str:
    return f"(It reads much like `{prompt_id}`; teachers may feel they've seen it before.)"


def pinned(prompt_id: str, cohort: str, count: int, has_cadence: bool) -> str:
    when = "at their next prompt slot" if has_cadence else "once the cohort has a cadence"
    return (f"`{prompt_id}` goes next to {count} teacher(s) in {cohort}, {when}, in place of the usual pick. "
            "After that their journey carries on as before.")


def pin_skipped(names: list[str]) -> str:
    return f"Not for {', '.join(names)}: they had it in the last 8 weeks, and nobody gets the same prompt twice in 8 weeks."


def pin_peer_share(prompt_id: str) -> str:
    return (f"`{prompt_id}` is a peer-share prompt: those go to a cohort's channel each week (`cohort channel`), "
            "never by direct message.")


# Peer shares ---------------------------------------------------------------------------------

PEER_SHARE_TITLE = "This week's peer share"
PEER_SHARE_FOOTER = (
    "Answer in this thread. Everyone in this channel sees what you share: it's for swapping ideas with colleagues, "
    "it isn't a private reply to your coach, and no AI drafts anything from it. For a word with your coach only, "
    "message me directly."
)
PEER_SHARE_ACK = "Shared with the channel — thank you. Everyone there can see it; it isn't sent to your coach as a private reply."


def peer_share_concern(teacher: str, text: str) -> str:
    return (f"{URGENT_TITLE}: {teacher} posted this in a peer-share thread (everyone in that channel can see it): "
            f"“{text[:500]}”. Please reach out to them directly and follow your district's procedures.")


def channel_set(cohort: str, channel: str, has_cadence: bool) -> str:
    when = "on its first cadence day" if has_cadence else "once the cohort has a cadence"
    return (f"{cohort} gets a peer-share prompt in {channel} each week, {when}. Teachers answer in its thread: "
            "everyone in the channel sees those answers, and none of them is drafted on or sent to a coach as a private "
            "reply. Make sure MicroCoach is a member of the channel so it can post there and hear the thread.")


def channel_off(cohort: str) -> str:
    return f"{cohort} no longer posts peer-share prompts in a channel."


# People and enrolment (continued) ---------------------------------------------------------------


def coach_changed(coach_name: str) -> str:
    return f"Your coach is now {coach_name}. From now on only {coach_name} sees your replies."


# Command answers ---------------------------------------------------------------------------


def quiet_refusal(at: time, start: time, end: time) -> str:
    return (
        f"{at:%H:%M} is outside the teachers' day ({start:%H:%M}–{end:%H:%M}), when MicroCoach sends nothing. "
        "Pick a time inside it."
    )


def unresolved(names: list[str]) -> str:
    return "I couldn't find: " + ", ".join(names) + ". Nothing changed for them."


def unknown_cohort(name: str) -> str:
    return f"There's no cohort called {name}. `cohort list` shows them."


def already_sent_today(count: int) -> str:
    return f"{count} teacher(s) already had today's prompt, so they weren't sent another."


def paused_until(day: date | None) -> str:
    return f"Paused through {day:%a %b %-d}; prompts resume the day after." if day else "Paused until you say `resume`."


FORGET_CONFIRM = (
    "This deletes everything MicroCoach stores about you: your replies, notes and settings. "
    "Your coach's cards will say the reply was withdrawn. To go ahead, type `forget me confirm`."
)
FORGOTTEN = "Done — everything MicroCoach stored about you has been deleted. Take care."
STOPPED = "You're stopped: no more prompts. Type `start` whenever you'd like them again."
STARTED = "Welcome back — prompts will resume on your cohort's next day."
AI_OFF = "AI drafting is off for you. Your coach will write follow-ups with MicroCoach's offline helper."
AI_ON = "AI drafting is on for you. Your coach still reads and approves every follow-up."
HELP_PREFIX = "Here's what you can do:"
NOT_A_COMMAND_HINT = "That isn't a command I know."
SLASH_COMMAND_HINT = "Commands go through `/coach` — try `/coach help`."
