"""A one-word label per reply for the coach's triage inbox.

Simple phrase rules, checked in order of what a coach should see first: anything urgent, then
a teacher who is stuck, then one asking for material, then a success to celebrate.
"""

from __future__ import annotations

import re

from bot.core.safeguarding import assess, normalise

LABELS = ("urgent", "celebrate", "stuck", "resource", "other")

_STUCK = re.compile(
    r"\b(?:stuck|struggl\w*|confus\w*|frustrat\w*|overwhelm\w*|no idea|not sure how|"
    r"(?:don'?t|do not) know (?:how|what|where)|(?:did|does|do)(?:n'?t| not) work|"
    r"not working|never worked|fell flat|flopped|can'?t get|couldn'?t get|lost them|"
    r"(?:was|is|felt) (?:really |so )?hard|tough|help me)\b"
)
_RESOURCE = re.compile(
    r"\b(?:do you have|can you (?:send|share|point)|could you (?:send|share|point)|"
    r"any (?:ideas|examples?|resources?|suggestions|tips)|where (?:can|could|do) i find|"
    r"(?:a|an|any) (?:template|example|video|article|link|resource|handout|model)|"
    r"recommend\w*|resources?)\b"
)
_CELEBRATE = re.compile(
    r"\b(?:worked|went (?:really |so )?well|loved|love it|amazing|awesome|wonderful|"
    r"proud|finally|breakthrough|success\w*|win|yay|woo+|thrilled|excited|so fun|"
    r"lit up|spoke up|joined in|engaged|(?:it|that) was great)\b"
)


def triage_label(text: str, urgent: bool) -> str:
    """One of :data:`LABELS`. ``urgent`` is what is already known (a flagged reply); the
    safeguarding rules are checked again so a label never hides a concern."""
    if urgent or assess(text) is not None:
        return "urgent"
    normalised = normalise(text)
    if _STUCK.search(normalised):
        return "stuck"
    if _RESOURCE.search(normalised):
        return "resource"
    if _CELEBRATE.search(normalised):
        return "celebrate"
    return "other"
