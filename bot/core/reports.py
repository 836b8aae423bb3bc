"""What coaches and admins see in aggregate. Reports never include reflection text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.classify import triage_label
from bot.core.model import Cohort, Delivery, Enrollment
from bot.core.replies import full_text
from bot.core.store import Store

TRIAGE_ORDER = ("urgent", "stuck", "resource", "celebrate", "other")


def cohort_report(store: Store, cohort: Cohort, enrollments: Sequence[Enrollment]) -> str:
    every = store.deliveries_of([e.id for e in enrollments])
    deliveries = [d for d in every if d.kind == "prompt"]
    sent = [d for d in deliveries if d.status == "sent"]
    answered = drafts = 0
    statuses: Counter[str] = Counter()
    useful: dict[str, list[bool]] = {}
    for delivery in sent:
        replies = [r for r in _replies_to(store, delivery.person_id, delivery.id) if not r.withdrawn]
        answered += bool(replies)
        for reply in replies:
            for draft in store.drafts_of_reply(reply.id):
                drafts += 1
                statuses[draft.status] += 1
                if draft.useful is not None:
                    useful.setdefault(delivery.prompt_id, []).append(draft.useful)
    rate = f"{100 * answered / len(sent):.0f}%" if sent else "—"
    by_status = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())) or "none yet"
    active = sum(1 for e in enrollments if e.active)
    return (
        f"*{cohort.name}* — {active} active teacher(s)\n"
        f"Prompts sent: {len(sent)} · answered: {answered} · response rate: {rate}\n"
        f"Missed: {sum(d.status == 'missed' for d in deliveries)} · failed: {sum(d.status == 'failed' for d in deliveries)}\n"
        f"Follow-up drafts: {drafts} ({by_status})\n"
        f"Was it useful? {_useful_line(useful)}\n"
        f"Goal check-backs: {_check_back_line(store, every)}\n"
        f"Peer shares: {_peer_share_line(store, cohort)}"
    )


def _check_back_line(store: Store, deliveries: Sequence[Delivery]) -> str:
    sent = [d for d in deliveries if d.kind == "check_back" and d.status == "sent"]
    answers = [r.text for d in sent for r in _replies_to(store, d.person_id, d.id, ("check-back",))]
    kept = sum(answer.startswith("kept") for answer in answers)
    changed = sum(answer.startswith("changed") for answer in answers)
    return f"{len(sent)} sent · kept their focus: {kept} · chose a new one: {changed}"


def _peer_share_line(store: Store, cohort: Cohort) -> str:
    """Counts only; the answers themselves are in the channel, where the cohort shared them."""
    posts = [p for p in store.peer_posts_of(cohort.id) if p.status == "sent"]
    if not posts and not cohort.channel:
        return "no channel (`cohort channel`)"
    shares = [s for s in store.peer_shares_of([p.id for p in posts]) if not s.withdrawn]
    return f"{len(posts)} posted · {len(shares)} answer(s) from {len({s.person_id for s in shares})} teacher(s)"


def _useful_line(useful: dict[str, list[bool]]) -> str:
    if not useful:
        return "no answers yet"
    votes = [v for answers in useful.values() for v in answers]
    per_item = ", ".join(f"{item} {sum(a)}/{len(a)}" for item, a in sorted(useful.items()))
    return f"{sum(votes)} of {len(votes)} said useful ({per_item})"


def _replies_to(store: Store, person_id: int | None, delivery_id: int,
                kinds: tuple[str, ...] = ("reply", "quick")):  # noqa: ANN202
    if person_id is None:
        return []
    return [r for r in store.replies_of(person_id) if r.delivery_id == delivery_id and r.kind in kinds]


def triage_list(store: Store, coach_id: int) -> str:
    """A coach's pending drafts grouped by what each reply needs, oldest first."""
    groups: dict[str, list[str]] = {label: [] for label in TRIAGE_ORDER}
    for draft in store.pending_drafts(coach_id=coach_id):
        reply = store.get_reply(draft.reply_id)
        if reply is None:
            continue
        teacher = store.get_person(reply.person_id)
        text = full_text(store, reply)
        name = teacher.display_name if teacher else "someone"
        groups[triage_label(text, reply.urgent)].append(f"• {name}: “{text[:80]}”")
    if not any(groups.values()):
        return "Nothing waiting for you. Nice."
    return "\n".join(f"*{label}* ({len(items)})\n" + "\n".join(items) for label, items in groups.items() if items)
