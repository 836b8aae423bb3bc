"""The privacy guard (FERPA-minded): before any text leaves for a model, private values become
placeholders; in the model's answer the placeholders become the values again.

One :class:`Vault` serves one draft request, so a value keeps its placeholder across the reply,
the earlier exchanges and the goal ("[NAME_1]" is Jayden everywhere), and restoring puts back
exactly what the teacher wrote. The teacher's own first name is ``[TEACHER]``, which the model
uses to greet them; no teacher, coach or school name is ever sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.drafting.names import NameBook
from bot.drafting.redaction import KINDS, Known, Span, find

TEACHER = "[TEACHER]"
_PLACEHOLDER = re.compile(r"\[\s*(" + "|".join(KINDS) + r")(?:[ _-]?(\d+))?\s*\]", re.I)


@dataclass(frozen=True)
class PrivateNames:
    """Names known across the deployment: uploaded rosters' students and the workspaces'
    (schools') names. Redacting one that belongs to another workspace costs nothing."""

    students: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()


@dataclass
class Vault:
    """Placeholders for one request: redact on the way out, restore on the way back."""

    book: NameBook
    known: Known
    _values: dict[str, str] = field(default_factory=dict)
    _placeholders: dict[str, str] = field(default_factory=dict)
    redacted: list[Span] = field(default_factory=list)
    """Every span redacted so far, for measuring the guard."""

    def redact(self, text: str) -> str:
        """``text`` with every private value replaced. Placeholder-like text the teacher typed
        ("[NAME_1]") is defused first, so it can never be restored into someone's name."""
        text = _PLACEHOLDER.sub(lambda m: "(" + m.group(0)[1:-1] + ")", text)
        spans = find(text, self.book, self.known)
        self.redacted.extend(spans)
        out, last = [], 0
        for span in spans:
            out.append(text[last:span.start])
            out.append(self.placeholder(span.kind, text[span.start:span.end]))
            last = span.end
        out.append(text[last:])
        return "".join(out)

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder of ``value``, the same every time it is asked for."""
        if value not in self._placeholders:
            count = sum(1 for p in self._values if p == f"[{kind}]" or p.startswith(f"[{kind}_"))
            if kind in ("TEACHER", "COACH"):
                placeholder = f"[{kind}]" if count == 0 else f"[{kind}_{count + 1}]"
            else:
                placeholder = f"[{kind}_{count + 1}]"
            self._placeholders[value] = placeholder
            self._values[placeholder] = value
        return self._placeholders[value]

    def restore(self, text: str) -> str:
        """The model's answer with each placeholder it kept (in any case or spacing) put back;
        placeholders it invented stay, and the output checks catch them."""
        def back(m: re.Match[str]) -> str:
            kind, number = m.group(1).upper(), m.group(2)
            return self._values.get(f"[{kind}_{number}]" if number else f"[{kind}]", m.group(0))

        return _PLACEHOLDER.sub(back, text)

    @property
    def values(self) -> dict[str, str]:
        """Placeholder → the value it stands for."""
        return dict(self._values)


@dataclass(frozen=True)
class PrivacyGuard:
    book: NameBook
    private_names: Callable[[], PrivateNames] = PrivateNames
    """Called for each request, so a roster uploaded a moment ago already counts."""

    def vault(self, teacher_name: str, coach_name: str) -> Vault:
        """A vault for one request; the teacher's first name is registered as ``[TEACHER]``."""
        names = self.private_names()
        known = Known(teacher=_nonblank([teacher_name]), coach=_nonblank([coach_name]),
                      schools=names.schools, students=names.students)
        vault = Vault(self.book, known)
        first = teacher_name.split()[0] if teacher_name.split() else ""
        if first:
            vault.placeholder("TEACHER", first)
        return vault


def _nonblank(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v for v in values if v and v.strip())
