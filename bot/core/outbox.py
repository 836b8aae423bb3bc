"""What each queued message says and where it goes. The scheduler's sender claims outbox items
and asks this module to render them, so the words stay in the core."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import cards
from bot.core.approvals import Approvals
from bot.core.directory import Directory
from bot.core.messages import Address, Outbound
from bot.core.model import OutboxItem, Person
from bot.core.ports import PromptLibrary
from bot.core.replies import full_text
from bot.core.store import Store


@dataclass(frozen=True)
class Rendered:
    """Send ``message`` to ``to``; or, when ``update_ref`` is set, replace that sent message."""

    to: Address
    message: Outbound
    recipient: Person | None
    """None for a post in a channel."""
    update_ref: str | None = None
    quiet: bool = False
    """Teacher-facing: wait for the recipient's quiet window to open."""
    tz: str | None = None
    """Whose day the quiet window follows, when not the recipient's (a cohort's, for its channel)."""


class OutboxRenderer:
    def __init__(self, store: Store, directory: Directory, approvals: Approvals, prompts: PromptLibrary):
        self.store = store
        self.directory = directory
        self.approvals = approvals
        self.prompts = prompts

    def render(self, item: OutboxItem) -> Rendered | None:
        """``None`` when there is nothing to send any more (the draft or person is gone)."""
        if item.kind == "peer_post":
            return self._peer_post(item.payload["post_id"])
        recipient = self.store.get_person(item.person_id) if item.person_id else None
        if recipient is None:
            return None
        p = item.payload
        quiet = bool(p.get("quiet"))
        to = self.directory.address(recipient)
        match item.kind:
            case "notice":
                return Rendered(to, cards.notice(p["text"]), recipient, quiet=quiet)
            case "welcome":
                enrollments = self.store.enrollments_of_teacher(recipient.id)
                focus = enrollments[0].focus if enrollments else None
                return Rendered(to, cards.welcome_card(p["text"], focus), recipient, quiet=True)
            case "coach_card" | "card_update":
                draft = self.store.get_draft(p["draft_id"])
                if draft is None:
                    return None
                card = self.approvals.card(draft)
                if item.kind == "card_update":
                    return Rendered(to, card, recipient, update_ref=draft.card_ref or "") if draft.card_ref else None
                return Rendered(to, card, recipient)
            case "card_withdrawn":
                if not p.get("card_ref"):
                    return None
                text = f"{p.get('teacher') or 'The teacher'} withdrew this reply; nothing was sent."
                return Rendered(to, cards.notice(text), recipient, update_ref=p["card_ref"])
            case "followup":
                draft = self.store.get_draft(p["draft_id"])
                reply = self.store.get_reply(draft.reply_id) if draft else None
                delivery = self.store.get_delivery(reply.delivery_id) if reply and reply.delivery_id else None
                thread = delivery.message_id if delivery else None
                return Rendered(self.directory.address(recipient, thread=thread),
                                cards.followup_message(p["draft_id"], p["text"], p.get("coach", "your coach")),
                                recipient, quiet=True)
            case "urgent_card" | "note_card":
                reply = self.store.get_reply(p["reply_id"])
                if reply is None or reply.withdrawn:
                    return None
                teacher = self.store.get_person(reply.person_id)
                name = self.directory.name(teacher)
                if item.kind == "note_card":
                    return Rendered(to, cards.note_card(name, reply.text), recipient)
                delivery = self.store.get_delivery(reply.delivery_id) if reply.delivery_id else None
                prompt = self.prompts.get(delivery.prompt_id) if delivery else None
                text = full_text(self.store, reply) if reply.kind == "reply" else reply.text
                return Rendered(to, cards.urgent_card(name, prompt.title if prompt else "", text or reply.text, reply.concern or ""), recipient)
            case "test_prompt":
                prompt = self.prompts.get(p["prompt_id"])
                if prompt is None:
                    return None
                coach = self.directory.name(recipient)
                message = cards.prompt_message(0, prompt, coach, False)
                return Rendered(to, Outbound(text="[Test] " + message.text, sections=message.sections, buttons=(),
                                             inputs=()), recipient)
        return None

    def sent(self, item: OutboxItem, ref_data: str, message_id: str = "") -> None:
        """Remember where a coach's card went, so decisions can update it, and where a peer-share
        post went, so answers in its thread are recognised."""
        if item.kind == "coach_card":
            self.store.update_draft(item.payload["draft_id"], card_ref=ref_data)
        elif item.kind == "peer_post":
            self.store.set_peer_post(item.payload["post_id"], status="sent", sent_ref=ref_data, message_id=message_id or None)

    def _peer_post(self, post_id: int) -> Rendered | None:
        """A cohort's weekly post, unless it was cancelled or the cohort left that channel since."""
        post = self.store.get_peer_post(post_id)
        cohort = self.store.get_cohort(post.cohort_id) if post else None
        workspace = self.store.get_workspace(post.workspace_id) if post else None
        prompt = self.prompts.get(post.prompt_id) if post else None
        if post is None or post.status != "planned" or cohort is None or cohort.channel != post.channel \
                or workspace is None or prompt is None:
            return None
        to = Address(workspace.platform, workspace.external_id, conversation=post.channel)
        return Rendered(to, cards.peer_share_post(prompt), None, quiet=True, tz=cohort.tz)
