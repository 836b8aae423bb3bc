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
from bot.drafting.roster import WORDING as ROSTER_WORDING
from bot.drafting.roster import RosterFiles, RosterNames
from bot.drafting.usage import Pricing, UsageMeter
from bot.settings import Settings, SettingsError
from prompts.library import BUILTIN_PACKS_DIR, YamlPromptLibrary
from prompts.lint import format_findings, lint
from prompts.own import LiveLibrary
from scheduler.calendar_import import CalendarFetcher, IcsCalendar
from scheduler.dispatcher import Dispatcher
from scheduler.planner import Planner
from scheduler.quiet import QuietWindow
from scheduler.selector import LibrarySelector
from scheduler.sender import OutboxSender
from scheduler.worker import Worker
from storage.crypto import Sealer
from storage.db import make_engine
from storage.wakeups import Wakeups
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
    wakeups: Wakeups | None = None
    """On PostgreSQL: how ``serve`` tells workers of new work the moment it is handled."""

    def close(self) -> None:
        self.engine.dispose()


def core_config(settings: Settings) -> CoreConfig:
    start, end = settings.quiet_start_end
    return CoreConfig(
        default_tz=settings.default_tz, quiet_start=start, quiet_end=end, admins=frozenset(settings.admins),
        draft_expiry=timedelta(hours=settings.draft_expiry_hours),
        llm_available=settings.llm_configured, llm_default_on=settings.llm_default == "on",
    )


def load_packs(settings: Settings) -> YamlPromptLibrary:
    """The built-in packs and those in ``MICROCOACH_PROMPTS_DIR``, which must pass
    ``microcoach prompts lint`` (schema, duplicate ids, lengths, link rules) to be used."""
    extra = [settings.prompts_dir] if settings.prompts_dir else []
    errors = [finding for finding in lint([BUILTIN_PACKS_DIR, *extra]) if finding.severity == "error"] if extra else []
    if errors:
        raise SettingsError(f"MICROCOACH_PROMPTS_DIR: its packs do not pass `microcoach prompts lint`:\n"
                            f"{format_findings(errors)}")
    return YamlPromptLibrary.load(extra)


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
    prompts = LiveLibrary(load_packs(settings), store)
    selector = LibrarySelector(store, prompts)
    config = core_config(settings)
    sealer = Sealer(settings.secret_key)
    if llm is None and settings.llm_configured:
        students = RosterNames(store, sealer)
        llm = OpenAIDrafter.from_settings(
            settings, clock=clock, book=NameBook.from_faker(),
            private_names=lambda: PrivateNames(students=students(), schools=store.workspace_names()),
            timeout=settings.llm_timeout,
        )
    usage = UsageMeter(store, Pricing(settings.llm_price_in, settings.llm_price_out), settings.llm_monthly_cap_usd)
    lease = timedelta(seconds=settings.lease_seconds)
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
    service = CoachingService(store=store, clock=clock, config=config, prompts=prompts, selector=selector,
                              offline=OfflineDrafter(), llm=llm, calendar=calendar or IcsCalendar(),
                              drafting_concurrency=settings.llm_concurrency, usage=usage, drafting_lease=lease,
                              worker_id=worker_id, rosters=RosterFiles(CalendarFetcher(wording=ROSTER_WORDING).fetch, sealer))
    window = QuietWindow.parse(settings.quiet_window)
    renderer = OutboxRenderer(store, service.directory, service.approvals, prompts)
    worker = Worker(
        service=service,
        planner=Planner(store, selector, settings.grace),
        dispatcher=Dispatcher(store, service.directory, prompts, chats, clock, window, settings.grace, lease, worker_id),
        sender=OutboxSender(store, renderer, chats, clock, window, settings.default_tz, lease, worker_id),
    )
    return Container(settings=settings, engine=engine, store=store, clock=clock, sealer=sealer,
                     prompts=prompts, service=service, worker=worker, chats=chats,
                     wakeups=Wakeups(engine) if engine.dialect.name == "postgresql" else None)
