"""The store port's SQL implementation, one part per area of the domain."""

from __future__ import annotations

from storage.cohorts import CohortStore
from storage.daily import DailyStore
from storage.deliveries import DeliveryStore
from storage.inbox import InboxStore
from storage.outbox import OutboxStore
from storage.own_prompts import OwnPromptStore
from storage.peer_posts import PeerPostStore
from storage.people import PeopleStore
from storage.privacy import PrivacyStore
from storage.replies import ReplyStore
from storage.rosters import RosterStore
from storage.usage import UsageStore


class SqlStore(
    PeopleStore, CohortStore, DeliveryStore, DailyStore, ReplyStore, OutboxStore, InboxStore, OwnPromptStore,
    PeerPostStore, RosterStore, PrivacyStore, UsageStore,
):
    """SQLModel over SQLite or PostgreSQL; every method is one transaction."""
