"""What a model's draft must pass before it reaches a coach's card; a draft that fails is
replaced by the offline draft.

The rules every draft passes (length, one question or one next step, no grading words) are the
offline drafter's :func:`~bot.drafting.offline.check_draft`. A model can also leave a placeholder
unfilled, invent one ("[STUDENT NAME]"), or add a link: only links the prompt library supplied
may appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.prompts import PromptItem
from bot.drafting.offline import check_draft

_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|io|ly|co|us|me|info|app|link|ai)\b(?:/[^\s<>\"')\]]*)?",
    re.I)
_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|\{\{?[^}\n]{1,40}\}\}?|<[A-Z_ ]{2,30}>")
_TRAILING = ".,;:!?)"


def links_in(text: str) -> list[str]:
    """Links in ``text`` (with or without a scheme), without trailing punctuation; e-mail
    addresses are not links."""
    return [m.group(0).rstrip(_TRAILING) for m in _LINK.finditer(text)]


def library_links(prompt: PromptItem | None) -> frozenset[str]:
    """The links the prompt library supplied with this prompt, the only ones a draft may hold."""
    if prompt is None:
        return frozenset()
    texts: Iterable[str] = (prompt.text, prompt.follow_up_material, prompt.link or "", *prompt.follow_up_questions)
    return frozenset(_bare(link) for text in texts for link in links_in(text))


def check_output(text: str, allowed_links: frozenset[str]) -> list[str]:
    """What is wrong with a model's draft (after its placeholders were restored), as short
    phrases; empty when it may go to the coach."""
    problems = check_draft(text)
    if _PLACEHOLDER.search(text):
        problems.append("has an unfilled placeholder")
    strangers = [link for link in links_in(text) if _bare(link) not in allowed_links]
    if strangers:
        problems.append(f"has {len(strangers)} link(s) the library did not supply")
    return problems


def _bare(link: str) -> str:
    """A link compared without its scheme, ``www.`` or trailing slash."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", link.lower()).rstrip("/")
