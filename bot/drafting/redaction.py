"""Where the private values are in a piece of text: pure rules, no I/O.

Contact details and numbers are found by pattern; names by what is known (the teacher, the
coach, the school, an uploaded roster) and then by rules: capitalised words where a name fits,
"my student X", possessives, first names from many cultures. When unsure, a word is taken for a
name: a word redacted needlessly costs the model a little context and is restored in the draft,
a name let through cannot be taken back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from dataclasses import dataclass, field

from bot.drafting.names import NameBook, fold
from bot.drafting.vocabulary import (
    GENERIC_SCHOOL_WORDS,
    MONTH_CUES,
    MONTHS_THAT_ARE_NAMES,
    NAME_CUES,
    NAME_FOLLOWERS,
    SAFE_CAPITALISED,
    SCHOOL_WORDS,
    STAFF_TITLES,
)

KINDS = ("TEACHER", "COACH", "SCHOOL", "STAFF", "NAME", "EMAIL", "PHONE", "ID", "ADDRESS")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_STREET = (r"(?:(?:street|avenue|road|boulevard)\b|(?-i:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Ter|Cir|Hwy|Pkwy|Trl|Sq|"
           r"Way|Lane|Drive|Court|Place|Terrace|Circle|Highway|Parkway|Trail|Square)\b)\.?")
_ADDRESS = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[\w'.-]+\s+){0,3}?" + _STREET
    + r"(?:,?\s*(?:apt|apartment|unit|suite|#)\.?\s*[\w-]+)?"
    r"(?-i:(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})?(?:,?\s+[A-Z]{2}\b)?)(?:\s+\d{5}(?:-\d{4})?)?"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+", re.I)
_PHONE = re.compile(
    r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
    r"|(?<![\w-])\+\d{1,3}(?:[\s.-]?\d{2,4}){2,4}(?![\w-])"
    r"|(?<![\w-])\d{10}(?![\w-])|(?<![\w-])\d{3}-\d{4}(?![\w-])")
_ID = re.compile(r"(?<![\w-])(?:[A-Z]{1,3}-?)?\d[\d-]{3,}\d(?![\w-])")
_ID_CUE = re.compile(r"\b(?:id|pin|student (?:number|no\.?|#)|lunch (?:number|code)|#)\s*:?\s*#?$", re.I)
_SCHOOL_CODE = re.compile(r"\b(?:P\.?S\.?|I\.?S\.?|M\.?S\.?|J\.?H\.?S\.?)\s?\d{1,3}\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•*\-–—(\"“¡¿]\s*)$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Known:
    """Names the guard knows must not leave: each a full name as written anywhere."""

    teacher: tuple[str, ...] = ()
    coach: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    students: tuple[str, ...] = ()


@dataclass
class _Found:
    text: str
    spans: list[Span] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in self.spans)

    def add(self, start: int, end: int, kind: str) -> None:
        if start < end and self.free(start, end):
            self.spans.append(Span(start, end, kind))


def find(text: str, book: NameBook, known: Known) -> list[Span]:
    """Every private value in ``text``, as non-overlapping spans in order."""
    found = _Found(text)
    for pattern, kind in ((_EMAIL, "EMAIL"), (_ADDRESS, "ADDRESS"), (_PHONE, "PHONE")):
        for m in pattern.finditer(text):
            found.add(m.start(), m.end(), kind)
    for m in _ID.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        if digits >= 5 or (digits >= 4 and _ID_CUE.search(text[: m.start()])):
            found.add(m.start(), m.end(), "ID")
    _schools(found, known.schools)
    for names, kind in ((known.teacher, "TEACHER"), (known.coach, "COACH")):
        _known_names(found, names, kind, book)
    _roster_names(found, known.students)
    _staff(found)
    _names(found, book)
    return sorted(found.spans, key=lambda s: s.start)


def _words_of(names: Iterable[str]) -> list[str]:
    """Each full name and each of its parts, longest first, so "Ana Rivera" wins over "Ana"."""
    parts = {p for name in names for p in [name.strip(), *_WORD.findall(name)] if len(p) > 1}
    return sorted(parts, key=len, reverse=True)


def _known_names(found: _Found, names: Iterable[str], kind: str, book: NameBook) -> None:
    for part in _words_of(names):
        flags = 0 if book.is_common(part) else re.I
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(part)}(?![\w-])", found.text, flags):
            found.add(m.start(), m.end(), kind)


def _roster_names(found: _Found, names: tuple[str, ...]) -> None:
    """A name on an uploaded roster is a student's wherever it appears, in any case and with or
    without accents, even when it is an everyday word ("will", "hope"): the roster says so. Each
    word of the text is looked up, so a roster of thousands costs no more than one of ten."""
    words = _roster_words(names)
    if not words:
        return
    for m in _WORD.finditer(_fold_each(found.text)):
        base, possessive = _possessive(m.group())
        if m.group() in words:
            found.add(m.start(), m.end(), "NAME")
        elif possessive and base in words:
            found.add(m.start(), m.end() - 2, "NAME")


@lru_cache(maxsize=8)
def _roster_words(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_fold_each(word) for name in names for word in _WORD.findall(name) if len(word) > 1)


def _fold_each(text: str) -> str:
    """:func:`fold` character by character, so positions stay those of ``text``."""
    return "".join(f if len(f := fold(c)) == 1 else c for c in text)


def _schools(found: _Found, known: Iterable[str]) -> None:
    text = found.text
    for m in _SCHOOL_CODE.finditer(text):
        found.add(m.start(), m.end(), "SCHOOL")
    for part in _words_of(known):
        if fold(part) not in GENERIC_SCHOOL_WORDS:
            for m in re.finditer(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text, re.I):
                found.add(m.start(), m.end(), "SCHOOL")
    words = list(_WORD.finditer(text))
    named: list[str] = []
    for i, m in enumerate(words):
        if fold(m.group()) not in SCHOOL_WORDS or i == 0:
            continue
        j = i
        while j > 0 and words[j - 1].group()[0].isupper() and fold(words[j - 1].group()) not in SAFE_CAPITALISED \
                and text[words[j - 1].end():words[j].start()].strip() in ("", "."):
            j -= 1
        if j < i:
            end = words[i + 1].end() if i + 1 < len(words) and fold(words[i + 1].group()) == "school" else m.end()
            found.add(words[j].start(), end, "SCHOOL")
            named.append(" ".join(w.group() for w in words[j:i]))
    for name in named:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            found.add(m.start(), m.end(), "SCHOOL")


def _staff(found: _Found) -> None:
    words = list(_WORD.finditer(found.text))
    for prev, word in zip(words, words[1:]):
        gap = found.text[prev.end():word.start()]
        title = fold(prev.group() + ("." if gap.startswith(".") else ""))
        if title in STAFF_TITLES and gap.strip(" .") == "" and word.group()[0].isupper():
            found.add(word.start(), word.end(), "STAFF")


def _names(found: _Found, book: NameBook) -> None:
    text = found.text
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        word, end = m.group(), m.end()
        base, possessive = _possessive(word)
        if possessive:
            end -= 2
        nxt = words[i + 1].group() if i + 1 < len(words) else ""
        if found.free(m.start(), end) and _is_name(text, m.start(), base, possessive, nxt, book):
            found.add(m.start(), end, "NAME")


def _possessive(word: str) -> tuple[str, bool]:
    if len(word) > 3 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2], True
    return word, False


def _is_name(text: str, start: int, word: str, possessive: bool, nxt: str, book: NameBook) -> bool:
    if len(word) < 2:
        return False
    folded = fold(word)
    before = fold(text[max(0, start - 24):start]).rstrip()
    listed, common = _listed(word, book), book.is_common(word)
    capital = word[0].isupper() and not word.isupper()
    if any(before.endswith(cue) for cue in NAME_CUES):
        return (listed or not common) and not _verb(word)
    if before.endswith("called"):
        return capital or (listed and not common)
    if not capital:
        return listed and not common
    initial = bool(_SENTENCE_START.search(text[:start]))
    if folded in SAFE_CAPITALISED:
        if folded not in MONTHS_THAT_ARE_NAMES:
            return False
        return possessive or _verb(nxt) if initial else _month_is_a_name(before, nxt, possessive)
    if not initial:
        return listed or not common or possessive
    if possessive or (listed and not common):
        return listed or not common
    return _verb(nxt) and (listed or not common)


def _verb(word: str) -> bool:
    """Whether ``word`` reads as a verb after a name ("said", "finally", "raised")."""
    return fold(word) in NAME_FOLLOWERS or (word.endswith("ed") and len(word) > 3)


def _listed(word: str, book: NameBook) -> bool:
    """In the name list, or a hyphenated name with a listed part ("Mary-Kate")."""
    parts = word.replace("’", "-").replace("'", "-").split("-")
    return book.is_name(word) or (len(parts) > 1 and all(p[:1].isupper() for p in parts)
                                  and any(book.is_name(p) for p in parts if len(p) > 1))


def _month_is_a_name(before: str, nxt: str, possessive: bool) -> bool:
    """ "with May" or "June's" is a student; "in May" or "May 5" is a month."""
    last = before.split()[-1] if before.split() else ""
    return possessive or not (last in MONTH_CUES or nxt[:1].isdigit())
