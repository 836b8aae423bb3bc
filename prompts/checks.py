"""The lint rules, as pure functions over items already read and validated, and the same rules
for one item a coach writes in chat."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import ValidationError

from bot.core.prompts import FOCUS_AREAS, KINDS, PromptItem
from prompts.schema import TEXT_MAX, PromptItemModel, from_prompt_item, url_problem

ALLOWED_DOMAINS = frozenset(
    {
        "ascd.org",
        "cast.org",
        "casel.org",
        "commonsense.org",
        "cultofpedagogy.com",
        "deansforimpact.org",
        "edutopia.org",
        "educationendowmentfoundation.org.uk",
        "ggia.berkeley.edu",
        "greatergood.berkeley.edu",
        "ies.ed.gov",
        "learningscientists.org",
        "pz.harvard.edu",
        "retrievalpractice.org",
        "teachlikeachampion.org",
        "youtube.com",
    }
)
"""Reputable, long-lived education sites; subdomains (``www.``, ``udlguidelines.``) count."""

MIN_ITEMS_PER_FOCUS = 12
NEAR_DUPLICATE_THRESHOLD = 0.8
"""Token-set Jaccard at or above which two texts read as the same prompt to a teacher."""

_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]\"']+|\bwww\.[^\s<>()\[\]\"']+", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Finding:
    """One problem lint reports; only errors fail ``prompts lint``."""

    severity: Literal["error", "warning"]
    file: Path | None
    item_id: str | None
    message: str


@dataclass(frozen=True)
class Located:
    """An item that passed the schema, with the file it came from."""

    path: Path
    item: PromptItemModel


def duplicate_ids(located: Sequence[Located]) -> list[Finding]:
    first_seen: dict[str, Path] = {}
    findings = []
    for entry in located:
        item_id = entry.item.id
        if item_id in first_seen:
            findings.append(
                Finding(
                    "error",
                    entry.path,
                    item_id,
                    f"duplicate id, also defined in {first_seen[item_id]}",
                )
            )
        else:
            first_seen[item_id] = entry.path
    return findings


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def near_duplicates(
    located: Sequence[Located], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[Finding]:
    """Pairs of texts whose word sets overlap by ``threshold`` or more (Jaccard).

    Prefix filtering keeps this fast for thousands of items: with each text's words sorted
    rarest first, two texts that similar must share a word among the first few of each, so
    only items sharing such a word are compared.
    """
    words = [_words(entry.item.text) for entry in located]
    frequency = Counter(word for text_words in words for word in text_words)
    index: dict[str, list[int]] = defaultdict(list)
    findings = []
    for j, text_words in enumerate(words):
        rarest_first = sorted(text_words, key=lambda word: (frequency[word], word))
        must_share = math.ceil(threshold * len(rarest_first) - 1e-9)
        prefix = rarest_first[: len(rarest_first) - must_share + 1]
        for i in sorted({i for word in prefix for i in index[word]}):
            similarity = len(words[i] & text_words) / len(words[i] | text_words)
            if similarity >= threshold:
                earlier = located[i]
                findings.append(
                    Finding(
                        "warning",
                        located[j].path,
                        located[j].item.id,
                        f"text is nearly the same as {earlier.item.id} in {earlier.path} "
                        f"({similarity:.0%} of words shared)",
                    )
                )
        for word in prefix:
            index[word].append(j)
    return findings


def links_of(item: PromptItemModel) -> Iterator[str]:
    """The item's link and every URL written into text a teacher or drafter may pass on."""
    if item.link:
        yield item.link
    for text in (item.text, item.follow_up_material, *item.follow_up_questions):
        for match in _URL.finditer(text):
            yield match.group(0).rstrip(".,;:!?")


def domain_allowed(url: str, allowed_domains: Collection[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in allowed_domains)


def link_problems(item: PromptItemModel, allowed_domains: Collection[str] = ALLOWED_DOMAINS) -> list[str]:
    """What the link rules refuse in one item: a malformed link, or one off the allow-list."""
    problems = []
    for url in links_of(item):
        problem = url_problem(url)
        if problem is None and not domain_allowed(url, allowed_domains):
            problem = f"link {url!r} is not on an allow-listed domain"
        if problem:
            problems.append(problem)
    return problems


def link_findings(located: Sequence[Located], allowed_domains: Collection[str]) -> list[Finding]:
    return [
        Finding("error", entry.path, entry.item.id, problem)
        for entry in located
        for problem in link_problems(entry.item, allowed_domains)
    ]


def nearest_text(text: str, others: Iterable[tuple[str, str]]) -> tuple[str, float] | None:
    """The (id, similarity) of the text in ``others`` ((id, text) pairs) that shares the most
    words with ``text``, when it is at or above the near-duplicate threshold."""
    words = _words(text)
    best: tuple[str, float] | None = None
    for other_id, other in others:
        theirs = _words(other)
        similarity = len(words & theirs) / len(words | theirs) if words | theirs else 0.0
        if similarity >= NEAR_DUPLICATE_THRESHOLD and (best is None or similarity > best[1]):
            best = (other_id, similarity)
    return best


def coverage_findings(items: Sequence[PromptItemModel]) -> list[Finding]:
    """Enough variety that a teacher on any focus gets weeks of prompts, of every kind."""
    per_focus = Counter(item.focus for item in items)
    kinds_by_focus: dict[str, set[str]] = defaultdict(set)
    for item in items:
        kinds_by_focus[item.focus].add(item.kind)
    findings = [
        Finding(
            "error",
            None,
            None,
            f"focus {focus!r} has {_items(per_focus[focus])}; "
            f"at least {MIN_ITEMS_PER_FOCUS} are needed",
        )
        for focus in FOCUS_AREAS
        if per_focus[focus] < MIN_ITEMS_PER_FOCUS
    ]
    every_kind = {item.kind for item in items}
    findings += [
        Finding("error", None, None, f"no item of kind {kind!r}")
        for kind in KINDS
        if kind not in every_kind
    ]
    findings += [
        Finding("warning", None, None, f"focus {focus!r} has no item of kind {kind!r}")
        for focus in FOCUS_AREAS
        if per_focus[focus]
        for kind in KINDS
        if kind in every_kind and kind not in kinds_by_focus[focus]
    ]
    return findings


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def guidance_findings(located: Sequence[Located]) -> list[Finding]:
    """What drafters and coaches lean on: questions to ask next, material and a reason."""
    findings = []
    for entry in located:
        item = entry.item
        if len(item.follow_up_questions) < 2:
            findings.append(
                Finding("warning", entry.path, item.id, "give drafters 2-3 follow_up_questions")
            )
        if not item.follow_up_material:
            findings.append(Finding("warning", entry.path, item.id, "no follow_up_material"))
        if not item.rationale:
            findings.append(Finding("warning", entry.path, item.id, "no rationale for the coach"))
    return findings


# One item written in chat (a coach's own), checked by the same rules ---------------------


def item_problems(item: PromptItem) -> list[str]:
    """Why an item may not join the library, in words for the coach who wrote it; [] when it may."""
    try:
        model = from_prompt_item(item)
    except ValidationError as error:
        return [_explain(detail) for detail in error.errors()]
    return link_problems(model)


def resembling(item: PromptItem, others: Iterable[PromptItem]) -> str | None:
    """The id of an item in ``others`` whose text reads nearly the same as ``item``'s."""
    found = nearest_text(item.text, ((other.id, other.text) for other in others if other.id != item.id))
    return found[0] if found else None


def _explain(detail: dict) -> str:
    field = ".".join(str(part) for part in detail["loc"])
    if field == "text" and detail["type"] == "string_too_long":
        return (f"The text is {len(detail['input'])} characters; a prompt keeps to {TEXT_MAX} so it reads in "
                "two minutes and shows whole in Slack and Teams.")
    message = str(detail["msg"]).removeprefix("Value error, ")
    return f"{field}: {message}" if field else message
