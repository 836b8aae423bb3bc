"""The composition root: builds every piece from the settings. The CLI, the web app, the worker
and the tests all call :func:`build`, the tests with fakes in place of the real parts."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.clock import SystemClock
from bot.core.config import CoreConfig
from bot.core.outbox import OutboxRenderer
from bot.core.ports import Calendar, Chat, Clock, Drafter, PromptLibrary
from bot.core.service import CoachingService
from bot.drafting.names import NameBook
from bot.drafting.offline import OfflineDrafter
from bot.drafting.openai_drafter import OpenAIDrafter
from bot.drafting.privacy import PrivateNames
from bot.drafting.usage import Pricing, UsageMeter
from bot.settings import Settings
from prompts.library import YamlPromptLibrary
from scheduler.calendar_import import IcsCalendar
from scheduler.dispatcher import Dispatcher
from scheduler.planner import Planner
from scheduler.quiet import QuietWindow
from scheduler.selector import LibrarySelector
from scheduler.sender import OutboxSender
from scheduler.worker import Worker
from storage.crypto import Sealer
from storage.db import make_engine
from storage.sql_store import SqlStore

log = logging.getLogger("microcoach")


@dataclass
class Container:
    settings: Settings
    engine: Engine
    store: SqlStore
    clock: Clock
    sealer: Sealer
    prompts: PromptLibrary
    service: CoachingService
    worker: Worker
    chats: dict[str, Chat] = field(default_factory=dict)

    def close(self) -> None:
        self.engine.dispose()


def core_config(settings: Settings) -> CoreConfig:
    start, end = settings.quiet_start_end
    return CoreConfig(
        default_tz=settings.default_tz, quiet_start=start, quiet_end=end, admins=frozenset(settings.admins),
        draft_expiry=timedelta(hours=settings.draft_expiry_hours),
        llm_available=settings.llm_configured, llm_default_on=settings.llm_default == "on",
    )


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    chats: dict[str, Chat] | None = None,
    llm: Drafter | None = None,
    calendar: Calendar | None = None,
    worker_id: str | None = None,
) -> Container:
    """Everything wired together. ``chats`` maps platform names to chat ports; adapters add
    theirs when they are built (see :mod:`bot.serve`)."""
    engine = make_engine(settings.database_url)
    store = SqlStore(engine)
    clock = clock or SystemClock()
    chats = dict(chats or {})
    prompts = YamlPromptLibrary.load([settings.prompts_dir] if settings.prompts_dir else [])
    selector = LibrarySelector(store, prompts)
    config = core_config(settings)
    if llm is None and settings.llm_configured:
        llm = OpenAIDrafter.from_settings(
            settings, clock=clock, book=NameBook.from_faker(),
            private_names=lambda: PrivateNames(schools=store.workspace_names()), timeout=settings.llm_timeout,
        )
    usage = UsageMeter(store, Pricing(settings.llm_price_in, settings.llm_price_out), settings.llm_monthly_cap_usd)
    service = CoachingService(store=store, clock=clock, config=config, prompts=prompts, selector=selector,
                              offline=OfflineDrafter(), llm=llm, calendar=calendar or IcsCalendar(),
                              drafting_concurrency=settings.llm_concurrency, usage=usage)
    window = QuietWindow.parse(settings.quiet_window)
    lease = timedelta(seconds=settings.lease_seconds)
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
    renderer = OutboxRenderer(store, service.directory, service.approvals, prompts)
    worker = Worker(
        service=service,
        planner=Planner(store, selector, settings.grace),
        dispatcher=Dispatcher(store, service.directory, prompts, chats, clock, window, settings.grace, lease, worker_id),
        sender=OutboxSender(store, renderer, chats, clock, window, settings.default_tz, lease, worker_id),
    )
    return Container(settings=settings, engine=engine, store=store, clock=clock, sealer=Sealer(settings.secret_key),
                     prompts=prompts, service=service, worker=worker, chats=chats)
