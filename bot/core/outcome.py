"""What handling one inbound event produced for the person who sent it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.messages import Outbound


@dataclass
class Outcome:
    notices: list[str] = field(default_factory=list)
    """Text only the sender sees (ephemeral where the platform has it)."""
    replace: Outbound | None = None
    """A replacement for the message whose button was clicked."""
    handled: bool = True
    """False when the event was a retry of one already handled, or was not for the bot (talk in a
    channel outside a peer-share thread): nothing follows it."""
    refused: bool = False
    """True when nothing changed because the input was wrong or not allowed."""

    @classmethod
    def say(cls, *lines: str) -> Outcome:
        return cls(notices=[line for line in lines if line])

    @classmethod
    def refuse(cls, *lines: str) -> Outcome:
        return cls(notices=[line for line in lines if line], refused=True)
