"""``microcoach schedule preview <cohort> [--days 7]``: what the scheduler will send to a cohort,
to whom, at what local and UTC time, and what it skips and why. Reads only."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime

from bot.core.model import Cohort
from bot.settings import Settings
from scheduler.cadence import parse_days
from scheduler.preview import PreviewLine, preview

DAY_NAMES = ("", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def render(cohort: Cohort, where: str, lines: Sequence[PreviewLine], now: datetime, days: int) -> str:
    """The preview as a table: one line per teacher and cadence day."""
    cadence = (f"{', '.join(DAY_NAMES[d] for d in sorted(parse_days(cohort.days)))} at {cohort.send_time:%H:%M}"
               if cohort.days and cohort.send_time else "no cadence yet")
    head = (f"{cohort.name} in {where} — {cohort.tz}, {cadence}; the next {days} day(s) "
            f"from {now:%Y-%m-%d %H:%M} UTC")
    if not lines:
        return f"{head}\nNothing to send: no active teachers, or no cadence set."
    width = max(len(line.teacher) for line in lines)
    body = [
        f"{line.local_date:%a %Y-%m-%d}  {line.teacher:<{width}}  "
        + (f"{line.local_time:%H:%M} {line.tz} = {line.utc:%H:%M} UTC" if line.utc and line.local_time else "—")
        + f"  {line.what}: {line.detail}"
        for line in lines
    ]
    sending = sum(line.what == "send" for line in lines)
    skipped = sum(line.what == "skip" for line in lines)
    return "\n".join([head, *body, f"{sending} to send, {skipped} skipped."])


def cmd_schedule_preview(args: argparse.Namespace, settings: Settings) -> int:
    from bot.container import build

    container = build(settings)
    try:
        store = container.store
        cohorts = [c for w in store.workspaces_with_cohort(args.cohort) if (c := store.find_cohort(w, args.cohort))]
        if not cohorts:
            print(f"There's no cohort called {args.cohort}.", file=sys.stderr)
            return 1
        if args.days < 1:
            print("--days must be 1 or more.", file=sys.stderr)
            return 2
        now = container.clock.now()
        for cohort in cohorts:
            workspace = store.get_workspace(cohort.workspace_id)
            where = f"{workspace.platform}:{workspace.external_id}" if workspace else "an unknown workspace"
            lines = preview(store, container.worker.planner.selector, cohort, now, args.days)
            print(render(cohort, where, lines, now, args.days))
        return 0
    finally:
        container.close()
