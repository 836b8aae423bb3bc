"""A rule-based drafter: no network, no model, and the same request always gives the same draft.

It reflects one salient phrase of the teacher's reply back to them, then asks one curious
question or offers one small next step. The coach approves, edits or rejects every draft, so
the aim is a warm, specific starting point rather than a finished message.
``check_draft`` holds the rules every draft must pass; the LLM drafter checks its output too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from bot.core.classify import triage_label
from bot.core.ports import DraftRequest, DraftResult

MAX_WORDS = 80
ECHO_WORDS = 12
ECHO_CHARS = 90
GRADING_WORDS = (
    "good job", "great job", "well done", "excellent", "poor", "weak", "grade", "grades",
    "graded", "grading", "score", "scores", "scored", "rating", "fail", "failed", "failing",
    "satisfactory", "unsatisfactory", "outstanding", "proficient", "needs improvement",
    "should have", "should've", "wrong", "mistake", "mistakes", "perfect", "A+", "A-", "B+",
)

_GRADING = re.compile("|".join(rf"(?<![\w+-]){re.escape(w)}(?![\w+])" for w in GRADING_WORDS), re.I)
_GRADE_LEVEL = re.compile(r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|"
                          r"seventh|eighth|ninth|tenth|eleventh|twelfth)[ -]grade\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][”\"')])\s+|(?<=[。！？])")
_STEP = re.compile(
    r"^(?:[^\W\d_]+,\s+)?(?:(?:maybe|perhaps|next time|tomorrow|this week|when [^,]{1,40}),?\s+)?"
    r"(?:try|pick|jot|keep|take|notice|choose|plan|give|ask|invite|share|write|record|use|start|"
    r"bring|set|make|test|add|look|save)\b", re.I)
_PIECES = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])|[\n;•]+|\s[-–—]\s")
_CLAUSES = re.compile(r",\s+|\s+(?:but|so|because|which|although|though|while)\s+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")
_UNECHOABLE = re.compile(r"https?://|www\.|\w\.(?:com|org|net|edu|gov|io|us)\b|[\[\]{}<>@]", re.I)
_FILLER = re.compile(
    r"^(?:(?:ok|okay|honestly|tbh|um|anyway|lol|also|random thought|long one|sorry)\b[,:.!]*\s*)+"
    r"|^(?:and|but|then)\s+|^so\s+(?=(?:i|we|the|my|they|it)\b)", re.I)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_FIRST_PERSON = re.compile(r"\b(?:i'm|i've|i'd|i'll|i am|i was|myself|mine|my|me|i)\b", re.I)
_SWAPS = MappingProxyType({
    "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "i am": "you are",
    "i was": "you were", "myself": "yourself", "mine": "yours", "my": "your", "me": "you",
    "i": "you",
})
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|you're)\b", re.I)
_QUOTED = re.compile(r"[\"“”]|(?:^|\s)'\w")
_LATER = re.compile(r"\b(?:not yet|(?:didn'?t|did not|failed to|couldn'?t) get to|no time|"
                    r"haven'?t (?:tried|had a chance))\b", re.I)
_STOP = frozenset(
    "a an the and or but so to of in on at for with it its is was were be been i me my we our "
    "you your they them their he she his her this that these those there then than just really "
    "very too also as if about up out not no yes ok okay did do does had has have am are will "
    "would can could like said get got".split())
_CUES = frozenset(
    "noticed realised realized surprised surprising worked learned tried spoke talked asked "
    "answered smiled finally first never revised explained heard".split())
_SUBJECTS = frozenset(
    "i we they he she it the my our their his her a an some most all one two three half several "
    "many every everyone nobody no none this that these those students kids even only both each "
    "almost more fewer".split())

_REFLECT = ("It sounds like {c}.", "I'm glad you shared that {c}.", "Thank you for telling me {c}.",
            "What stays with me: {c}.", "I keep thinking about how {c}.")
_QUOTE = ("I keep thinking about what you wrote: “{q}”.", "“{q}” — thank you for sharing that.",
          "This part stayed with me: “{q}”.", "You wrote, “{q}”, and I'm glad you did.")
_CHECKING_IN = "Thanks for checking in."
_SHORT = ("Thanks for letting me know: “{q}”.", "“{q}” — thanks for the update.")
_BRIDGES = MappingProxyType({
    "celebrate": ("Moments like that are worth noticing.",
                  "That's the kind of small shift that adds up."),
    "stuck": ("It helps to hear how it really went.", "That's useful to know, truly."),
    "other": ("That's worth pausing on.", "Small observations like this matter."),
})
_QUESTIONS = MappingProxyType({
    "celebrate": ("What do you think made the difference?",
                  "Where else might this fit in your week?",
                  "What would you like to keep doing from this?"),
    "stuck": ("What felt like the trickiest part?", "What's one small piece you'd like to adjust?",
              "What would make it easier to try again?"),
    "resource": ("What kind of example would be most useful to you?",
                 "Would a short example from another classroom help?"),
    "later": ("When in your week might it fit best?", "What would make it easier to fit in?"),
    "other": ("What did you notice about how the students responded?",
              "What surprised you, if anything?", "What are you curious to try next?",
              "How did it feel from your side of the room?"),
})
_STEPS = MappingProxyType({
    "celebrate": ("Try it once more this week and jot down what the students do.",
                  "Keep a note of one moment like that this week, so we can look at it together."),
    "stuck": ("Try just one small piece of it next time, and notice what shifts.",
              "Pick one class to try it again this week, with one small change."),
    "later": ("Pick one lesson this week where it could fit, even for two minutes.",
              "Keep it small: try it once, in whichever class feels easiest."),
    "other": ("Try it again this week and notice one thing the students do differently.",
              "Jot down one moment from your next lesson where this shows up."),
})


def grading_words_in(text: str) -> list[str]:
    """Grading words in ``text``, in order; a grade level ("3rd grade") is not one."""
    return [hit.group(0) for hit in _GRADING.finditer(_GRADE_LEVEL.sub(" ", text))]


def next_steps(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` that offer a concrete next step (they open with a verb like
    "Try", "Pick" or "Jot", perhaps after "This week," or "When you have a minute,")."""
    return tuple(s for s in _SENTENCE_END.split(text.strip()) if _STEP.match(s))


def check_draft(text: str) -> list[str]:
    """What is wrong with a draft, as short phrases; empty when it may go to the coach.

    A draft asks one thing of a busy teacher: one question, or (with no question) one next step.
    """
    words = len(text.split())
    if not words:
        return ["is empty"]
    problems = []
    if words > MAX_WORDS:
        problems.append(f"too long: {words} words (at most {MAX_WORDS})")
    if hits := grading_words_in(text):
        problems.append("uses grading words: " + ", ".join(hits))
    questions = text.count("?") + text.count("？")
    if questions > 1:
        problems.append(f"asks {questions} questions (ask one)")
    elif questions == 0 and not next_steps(text):
        problems.append("has no question and no next step")
    return problems


@dataclass(frozen=True)
class OfflineDrafter:
    """The :class:`~bot.core.ports.Drafter` used with no model configured. ``voice`` and
    ``history`` are for the LLM drafter; here the coach's edits carry their voice."""

    def draft(self, request: DraftRequest) -> DraftResult:
        seed = int.from_bytes(hashlib.sha256(_key(request).encode("utf-8")).digest(), "big")
        label, echo = _label(request.reply), _salient(request.reply)
        parts = [_greeting(request.teacher_name), _opener(echo, request, seed)]
        echoed = echo is not None and not _is_short(echo)
        if echoed and label in _BRIDGES and (seed >> 40) % 2:
            parts.append(_pick(_BRIDGES[label], seed, 48))
        step = echoed and label != "resource" and (seed >> 56) % 3 == 0
        parts.append(_step(request, label, seed) if step else _question(request, label, seed))
        text = " ".join(p for p in parts if p).replace("….", "…")
        return DraftResult(text=text, source="offline")


def _key(request: DraftRequest) -> str:
    prompt_id = request.prompt.id if request.prompt else ""
    return "\x1f".join((request.reply, prompt_id, request.teacher_name, request.focus or "",
                        request.goal or ""))


def _label(reply: str) -> str:
    """The triage label, plus "later" for a teacher who has not tried it yet."""
    if _LATER.search(reply):
        return "later"
    label = triage_label(reply, urgent=False)
    return "other" if label == "urgent" else label


def _is_short(echo: str) -> bool:
    return len(echo.split()) < 3 and len(echo) < 15


def _pick(options: Sequence[str], seed: int, salt: int) -> str:
    return options[(seed >> salt) % len(options)]


def _greeting(teacher_name: str) -> str:
    names = teacher_name.split()
    return f"Hi {names[0]}!" if names else ""


def _opener(echo: str | None, request: DraftRequest, seed: int) -> str:
    """Reflect the echo back ("It sounds like you...") when it reads as a clause about the
    teacher or class; otherwise quote it exactly as written."""
    if echo is None:
        title = request.prompt.title if request.prompt else ""
        return f"Thanks for checking in on “{title}”." if _usable(title, 8) else _CHECKING_IN
    if _is_short(echo):
        return _pick(_SHORT, seed, 8).format(q=echo)
    if (echo.split()[0].lower() in _SUBJECTS and not _SECOND_PERSON.search(echo)
            and not _QUOTED.search(echo)):
        reflected = _FIRST_PERSON.sub(lambda m: _SWAPS[m.group(0).lower()], echo)
        return _pick(_REFLECT, seed, 8).format(c=reflected[0].lower() + reflected[1:])
    return _pick(_QUOTE, seed, 8).format(q=echo)


def _question(request: DraftRequest, label: str, seed: int) -> str:
    if label == "later":
        return _pick(_QUESTIONS["later"], seed, 32)
    if request.goal and _usable(request.goal, 10):
        return f"How might this help with your goal, “{_clean(request.goal)}”?"
    asked = [q.strip() for q in (request.prompt.follow_up_questions if request.prompt else ())
             if q.strip().endswith("?") and q.count("?") == 1 and _usable(q, 20)]
    if asked and (seed >> 16) % 3:
        return _pick(asked, seed, 24)
    if request.focus and (seed >> 16) % 2:
        focus = request.focus.replace("-", " ")
        return f"What might this look like next for your focus on {focus}?"
    return _pick(_QUESTIONS.get(label, _QUESTIONS["other"]), seed, 32)


def _step(request: DraftRequest, label: str, seed: int) -> str:
    if label == "later":
        return _pick(_STEPS["later"], seed, 32)
    if request.goal and _usable(request.goal, 10):
        return f"Try it once more this week, keeping your goal in mind: {_clean(request.goal)}."
    material = request.prompt.follow_up_material if request.prompt else ""
    if _usable(material, 16):
        first = material.split()[0]
        if first.lower() in {"a", "an", "the", "this", "our"}:
            material = first.lower() + material[len(first):]
        return f"When you have two minutes, take a look at {_clean(material)}."
    return _pick(_STEPS.get(label, _STEPS["other"]), seed, 32)


def _usable(text: str, max_words: int) -> bool:
    return bool(text.strip()) and len(text.split()) <= max_words and not grading_words_in(text)


def _clean(text: str) -> str:
    """Free text (a goal, a material's title) made safe to embed in one sentence."""
    return " ".join(re.sub(r"[?？]", "", text).split()).rstrip(".!;:,")


def _salient(reply: str) -> str | None:
    """The reply's most telling short phrase, as written; ``None`` when nothing can be echoed.

    Sentences and list items are candidates; a long one is split at commas and conjunctions.
    A candidate scores for content words and for words of noticing ("realised", "spoke"...).
    Phrases with grading words are skipped, so a draft never echoes "grade" or "mistake"; so are
    phrases with a link, an e-mail address or bracketed text, which no draft may carry.
    """
    candidates = []
    for piece in _PIECES.split(reply.replace("’", "'").replace("‘", "'")):
        piece = _tidy(piece)
        whole = len(piece.split()) <= ECHO_WORDS and not grading_words_in(piece)
        parts = [piece] if whole else [_tidy(c) for c in _clauses(piece) if not grading_words_in(c)]
        candidates.extend(p for p in parts if _WORD.search(p) and not _UNECHOABLE.search(p))
    return _shorten(max(candidates, key=_score)) if candidates else None


def _clauses(piece: str) -> list[str]:
    """``piece`` split at commas and conjunctions; at "and" only between two real clauses."""
    clauses = []
    for clause in _CLAUSES.split(piece):
        halves = clause.split(" and ")
        whole = len(halves) > 1 and all(len(h.split()) >= 4 for h in halves)
        clauses.extend(halves if whole else [clause])
    return clauses


def _tidy(piece: str) -> str:
    piece = _FILLER.sub("", _BULLET.sub("", piece.strip()))
    piece = re.sub(r"[?!¿¡？！]+", "", piece).strip(" \t.,;:…—–-。，、")
    if len(piece) > 1 and piece[0] + piece[-1] in {'""', "''", "“”"}:
        piece = piece[1:-1]
    return " ".join(piece.split())


def _score(candidate: str) -> int:
    words = [w.lower() for w in _WORD.findall(candidate)]
    content = sum(1 for w in words if len(w) > 2 and w not in _STOP)
    fits = 1 if 4 <= len(words) <= ECHO_WORDS else 0
    return min(content, 8) + 2 * any(w in _CUES for w in words) + fits


def _shorten(phrase: str) -> str:
    words = phrase.split()
    if len(words) > ECHO_WORDS:
        kept = words[:ECHO_WORDS]
        while len(kept) > 3 and kept[-1].lower().strip(",;:") in _STOP:
            kept.pop()
        phrase = " ".join(kept).rstrip(",;:") + "…"
    if len(phrase) > ECHO_CHARS:
        phrase = phrase[: ECHO_CHARS - 30].rstrip() + "…"
    return phrase
