"""The scheduler's part of the composition root: the worker, built from the settings."""

from __future__ import annotations

from datetime import timedelta

from bot.core.outbox import OutboxRenderer
from bot.core.ports import Chat, Clock, PromptLibrary
from bot.core.service import CoachingService
from bot.core.store import Store
from bot.settings import Settings
from scheduler.dispatcher import Dispatcher
from scheduler.planner import Planner
from scheduler.quiet import QuietWindow
from scheduler.reminders import Reminders
from scheduler.selector import LibrarySelector
from scheduler.sender import OutboxSender
from scheduler.worker import Worker


def build_worker(
    settings: Settings,
    *,
    store: Store,
    service: CoachingService,
    renderer: OutboxRenderer,
    prompts: PromptLibrary,
    selector: LibrarySelector,
    chats: dict[str, Chat],
    clock: Clock,
    worker_id: str,
) -> Worker:
    """Leases, the grace period, the reminder wait and how long a pass lingers for work due
    soon all come from the settings; every wait is measured on ``clock``."""
    window = QuietWindow.parse(settings.quiet_window)
    lease = timedelta(seconds=settings.lease_seconds)
    dispatcher = Dispatcher(store, service.directory, prompts, chats, clock, window, settings.grace, lease, worker_id,
                            linger=timedelta(seconds=settings.tick_seconds))
    return Worker(
        service=service,
        planner=Planner(store, selector, settings.grace),
        dispatcher=dispatcher,
        sender=OutboxSender(store, renderer, chats, clock, window, settings.default_tz, lease, worker_id),
        reminders=Reminders(store, prompts, window, settings.default_tz, after=timedelta(hours=settings.reminder_hours)),
    )
