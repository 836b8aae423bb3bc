"""The messages the bot sends, as neutral :class:`Outbound` values (pure functions). Adapters
render them into Block Kit, Adaptive Cards or HTML."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import catalogue as say
from bot.core.messages import Button, Outbound, Section, TextInput
from bot.core.prompts import FOCUS_AREAS, PromptItem

# Action ids: what a button does. Values carry the id of the thing it acts on.
QUICK = "prompt.quick"
REFLECT = "prompt.reflect"
APPROVE = "draft.approve"
EDIT = "draft.edit"
REJECT = "draft.reject"
OWN = "draft.own"
CHOOSE_FOCUS = "journey.focus"
SAVE_GOAL = "journey.goal"
USEFUL = "followup.useful"
KEEP_FOCUS = "checkback.keep"
CHANGE_FOCUS = "checkback.change"
REFLECTION_INPUT = "reflection"
GOAL_INPUT = "goal"
EDIT_INPUT = "edited_text"
OWN_INPUT = "own_text"
MAX_QUOTE = 1200


def prompt_message(delivery_id: int, prompt: PromptItem, coach: str | None, ai_on: bool) -> Outbound:
    buttons = tuple(Button(label, QUICK, f"{delivery_id}|{label}") for label in prompt.quick_replies)
    footer = say.prompt_footer(coach, ai_on)
    heading = prompt.title or "Today's two-minute prompt"
    body = f"{prompt.text}\n{prompt.link}" if prompt.link else prompt.text
    return Outbound(
        text=f"{heading}\n{body}\n\n{footer}",
        sections=(Section(heading=heading, text=body), Section(text=footer)),
        buttons=buttons + (Button(say.REFLECT_BUTTON, REFLECT, str(delivery_id), style="primary"),),
        inputs=(TextInput(REFLECTION_INPUT, say.REFLECT_LABEL),),
        delivery_key=f"delivery:{delivery_id}",
    )


@dataclass(frozen=True)
class CardFacts:
    """What a coach's card shows about one reply."""

    draft_id: int
    teacher: str
    prompt_title: str
    reply: str
    draft: str
    source: str


def _quote(text: str) -> str:
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def _facts_sections(facts: CardFacts) -> tuple[Section, ...]:
    return (
        Section(heading=say.card_title(facts.teacher), facts=(("Prompt", facts.prompt_title or "—"),)),
        Section(heading="Their reply", text=_quote(facts.reply)),
    )


def pending_card(facts: CardFacts) -> Outbound:
    value = str(facts.draft_id)
    return Outbound(
        text=f"{say.card_title(facts.teacher)}: “{_quote(facts.reply)}”\nDraft follow-up: {facts.draft}",
        sections=_facts_sections(facts)
        + (Section(heading="Draft follow-up", text=facts.draft, facts=(("Written by", say.card_drafted_by(facts.source)),)),),
        buttons=(
            Button(say.APPROVE, APPROVE, value, style="primary"),
            Button(say.SEND_EDIT, EDIT, value),
            Button(say.REJECT, REJECT, value, style="danger"),
        ),
        inputs=(TextInput(EDIT_INPUT, say.EDIT_LABEL, initial=facts.draft),),
    )


def decided_card(facts: CardFacts, outcome: str, coach: str, when: str, sent_text: str | None) -> Outbound:
    line = say.decided(outcome, coach, when)
    sections = _facts_sections(facts) + (Section(heading="Outcome", text=line),)
    if sent_text:
        sections += (Section(heading="Sent", text=sent_text),)
    return Outbound(text=f"{say.card_title(facts.teacher)} — {line}", sections=sections)


def rejected_card(facts: CardFacts, coach: str, when: str) -> Outbound:
    """After a rejection the coach may still write their own follow-up."""
    line = say.decided("rejected", coach, when)
    return Outbound(
        text=f"{say.card_title(facts.teacher)} — {line}",
        sections=_facts_sections(facts) + (Section(heading="Outcome", text=line),),
        buttons=(Button(say.SEND_OWN, OWN, str(facts.draft_id), style="primary"),),
        inputs=(TextInput(OWN_INPUT, say.OWN_LABEL),),
    )


def urgent_card(teacher: str, prompt_title: str, reply: str, category: str) -> Outbound:
    return Outbound(
        text=f"{say.URGENT_TITLE} — {teacher}: “{_quote(reply)}”",
        sections=(
            Section(heading=say.URGENT_TITLE, facts=(("Teacher", teacher), ("Prompt", prompt_title or "—"), ("Concern", category))),
            Section(heading="Their reply", text=_quote(reply)),
            Section(text=say.URGENT_BODY),
        ),
    )


def note_card(teacher: str, note: str) -> Outbound:
    return Outbound(
        text=f"{say.NOTE_TITLE} from {teacher}: “{_quote(note)}”",
        sections=(Section(heading=f"{say.NOTE_TITLE} from {teacher}", text=_quote(note)),),
    )


def followup_message(draft_id: int, text: str, coach: str) -> Outbound:
    signed = f"{text}\n{say.followup_signature(coach)}"
    return Outbound(
        text=f"{signed}\n{say.USEFUL_QUESTION}",
        sections=(Section(text=signed), Section(text=say.USEFUL_QUESTION)),
        buttons=(Button(say.USEFUL_YES, USEFUL, f"{draft_id}|yes"), Button(say.USEFUL_NO, USEFUL, f"{draft_id}|no")),
    )


def useful_thanks(text: str, coach: str, useful: bool) -> Outbound:
    signed = f"{text}\n{say.followup_signature(coach)}"
    noted = say.useful_noted(useful)
    return Outbound(text=f"{signed}\n{noted}", sections=(Section(text=signed), Section(text=noted)))


def welcome_card(text: str, focus: str | None) -> Outbound:
    """Connection before content: who their coach is, who sees what, then a choice of focus and
    a goal in their own words. Nothing here holds up the cadence."""
    return focus_picker(text, focus, say.FOCUS_QUESTION, say.FOCUS_HINT)


def focus_picker(text: str, focus: str | None, question: str, hint: str, origin: str = "") -> Outbound:
    """The ten focus areas and a goal box. ``origin`` (e.g. ``check-back:42``) rides on each focus
    button, so the card that comes back after a choice is the one the teacher was looking at."""
    chosen = f"\n{say.focus_chosen(focus)}" if focus else ""
    suffix = f"|{origin}" if origin else ""
    return Outbound(
        text=text + chosen,
        sections=(Section(text=text), Section(heading=question, text=hint + chosen)),
        buttons=tuple(Button(say.focus_label(area), CHOOSE_FOCUS, area + suffix) for area in FOCUS_AREAS)
        + (Button(say.SAVE_GOAL, SAVE_GOAL, "goal", style="primary"),),
        inputs=(TextInput(GOAL_INPUT, say.GOAL_LABEL, multiline=False, max_length=500),),
    )


def check_back_message(delivery_id: int, focus: str | None, goal: str | None, default_focus: str | None,
                       coach: str | None, ai_on: bool) -> Outbound:
    """Every few weeks, in place of a prompt: is this still the teacher's focus? One tap keeps it,
    the other opens the focus picker."""
    body = say.check_back_text(focus, goal, default_focus)
    footer = say.prompt_footer(coach, ai_on)
    value = str(delivery_id)
    return Outbound(
        text=f"{say.CHECK_BACK_TITLE}\n{body}\n\n{footer}",
        sections=(Section(heading=say.CHECK_BACK_TITLE, text=body), Section(text=footer)),
        buttons=(Button(say.KEEP_FOCUS, KEEP_FOCUS, value, style="primary"), Button(say.CHANGE_FOCUS, CHANGE_FOCUS, value)),
        delivery_key=f"delivery:{delivery_id}",
    )


def peer_share_post(prompt: PromptItem) -> Outbound:
    """A cohort's weekly peer-share prompt in its channel: public by design, and it says so."""
    heading = f"{say.PEER_SHARE_TITLE}: {prompt.title}" if prompt.title else say.PEER_SHARE_TITLE
    body = f"{prompt.text}\n{prompt.link}" if prompt.link else prompt.text
    return Outbound(
        text=f"{heading}\n{body}\n\n{say.PEER_SHARE_FOOTER}",
        sections=(Section(heading=heading, text=body), Section(text=say.PEER_SHARE_FOOTER)),
    )


def notice(text: str) -> Outbound:
    return Outbound(text=text, sections=(Section(text=text),))
