"""Peer shares (CONTRACT.md "Replies"): answers in the thread of a cohort's weekly post in its
channel are public to that channel by design, so they are stored apart from private replies,
never drafted on and never shown to a coach as a reply. Anything else said in a channel is not
for the bot; private replies never reach a channel (they are only ever sent by DM).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.core import catalogue as say
from bot.core import grammar as g
from bot.core.directory import Actor, Directory
from bot.core.messages import Inbound
from bot.core.model import PeerPost
from bot.core.outcome import Outcome
from bot.core.safeguarding import assess
from bot.core.store import Store

_LEADING_MENTIONS = re.compile(r"^(?:\s*<at>[^<]*</at>)+\s*", re.IGNORECASE)


class PeerShares:
    def __init__(self, store: Store, directory: Directory):
        self.store = store
        self.directory = directory

    def receive(self, actor: Actor, inbound: Inbound, now: datetime) -> Outcome | None:
        """Something a person said in a channel. None when it is a command for the usual path
        (Teams hears channel messages only as @mentions, so those arrive as commands)."""
        match inbound.kind:
            case "edit" | "delete":
                return self._change(actor, inbound, now)
            case "message" | "command":
                post = self._post(actor, inbound.in_thread_of)
                if post is None or (inbound.kind == "command" and not isinstance(g.parse(inbound.text), g.ParseError)):
                    return None if inbound.kind == "command" else _not_for_us()
                return self._share(actor, post, inbound, now)
        return None

    def _share(self, actor: Actor, post: PeerPost, inbound: Inbound, now: datetime) -> Outcome:
        """Kept when a teacher of the post's cohort wrote it; others' comments are theirs alone."""
        enrollment = self.store.find_enrollment(post.cohort_id, actor.person.id)
        text = _LEADING_MENTIONS.sub("", inbound.text).strip()
        if enrollment is None or not enrollment.active or not text:
            return _not_for_us()
        _, created = self.store.add_peer_share(post_id=post.id, workspace_id=actor.workspace.id,
                                               person_id=actor.person.id, text=text, message_id=inbound.message_id,
                                               at=now)
        if not created:
            return _not_for_us()
        if assess(text) is not None:
            self._alert_coach(actor, enrollment.id, text, now)
            return Outcome.say(say.URGENT_ACK)
        return Outcome.say(say.PEER_SHARE_ACK)

    def _change(self, actor: Actor, inbound: Inbound, now: datetime) -> Outcome:
        """An edit or deletion of a share follows it; a deleted share keeps no text."""
        share = self.store.peer_share_by_message(actor.workspace.id, inbound.message_id) if inbound.message_id else None
        if share is None or share.person_id != actor.person.id or share.withdrawn:
            return _not_for_us()
        if inbound.kind == "delete":
            self.store.update_peer_share(share.id, text="", withdrawn=True, updated_at=now)
        else:
            self.store.update_peer_share(share.id, text=_LEADING_MENTIONS.sub("", inbound.text).strip(), updated_at=now)
        return Outcome()

    def _post(self, actor: Actor, thread: str | None) -> PeerPost | None:
        post = self.store.peer_post_by_message(actor.workspace.id, thread) if thread else None
        return post if post is not None and post.status == "sent" else None

    def _alert_coach(self, actor: Actor, enrollment_id: int, text: str, now: datetime) -> None:
        """A share that matches the safeguarding rules reaches the teacher's coach at once, as a
        private reply would (the teacher's private note says so, and where to turn)."""
        coach = self.directory.coach_of_teacher(actor.person.id, enrollment_id)
        if coach is None:
            return
        self.store.enqueue(key=f"peer-concern:{actor.workspace.id}:{actor.person.id}:{now.isoformat()}",
                           workspace_id=coach.workspace_id, person_id=coach.id, kind="notice",
                           payload={"text": say.peer_share_concern(self.directory.name(actor.person), text)},
                           not_before=now, at=now)


def _not_for_us() -> Outcome:
    """Talk in a channel the bot keeps nothing of: no note, and nothing set going."""
    return Outcome(handled=False)
