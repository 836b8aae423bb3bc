"""``microcoach``: the one console script, with the operator contract's commands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings


def _parse_instant(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not an ISO-8601 instant, like 2027-01-11T07:45:00-05:00")
    if at.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{value}' needs an offset: Z or ±HH:MM")
    return at


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.log_level != "DEBUG":
        for noisy in ("alembic", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def cmd_secret_key(args: argparse.Namespace, settings: Settings | None) -> int:
    from storage.crypto import Sealer

    print(Sealer.new_key())
    return 0


def _find_person(settings: Settings, platform: str, user: str):  # noqa: ANN202
    from bot.container import build

    container = build(settings)
    return container, container.store.find_person_on(platform, user)


def cmd_data_export(args: argparse.Namespace, settings: Settings) -> int:
    container, person = _find_person(settings, args.platform, args.user)
    try:
        if person is None:
            print(f"No one with id {args.user} on {args.platform} is stored.", file=sys.stderr)
            return 1
        print(json.dumps(container.store.export_person(person.id), indent=2, default=str))
        return 0
    finally:
        container.close()


def cmd_data_delete(args: argparse.Namespace, settings: Settings) -> int:
    container, person = _find_person(settings, args.platform, args.user)
    try:
        if person is None:
            print(f"No one with id {args.user} on {args.platform} is stored.", file=sys.stderr)
            return 1
        container.store.delete_person(person.id)
        container.store.audit(workspace_id=person.workspace_id, actor_id=None, action="data delete",
                              target=f"person:{person.id}", at=container.clock.now())
        print(f"Deleted everything stored about {args.platform}:{args.user}; anonymous delivery counts remain.")
        return 0
    finally:
        container.close()


def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from bot.clock import FixedClock, SystemClock
    from bot.container import build
    from bot.serve import platform_chats

    clock = FixedClock(args.at) if args.at else SystemClock()
    container = build(settings, clock=clock)
    try:
        container.chats.update(platform_chats(container))
        report = asyncio.run(container.worker.tick(clock.now()))
    finally:
        container.close()
    print(f"tick {clock.now().isoformat()}: planned {report.planned}, sent {report.sent}, drafted {report.drafted}, "
          f"outbox {report.outbox}, expired {report.expired} ({report.seconds:.2f} s)")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from bot.serve import run_worker

    return run_worker(settings)


def _prompt_dirs(settings: Settings) -> list:
    return [settings.prompts_dir] if settings.prompts_dir else []


def cmd_prompts_lint(args: argparse.Namespace, settings: Settings) -> int:
    from prompts.lint import main_lint

    return main_lint(_prompt_dirs(settings), args.online)


def cmd_prompts_show(args: argparse.Namespace, settings: Settings) -> int:
    from prompts.library import PromptPackError, YamlPromptLibrary
    from prompts.preview import show_text

    try:
        item = YamlPromptLibrary.load(_prompt_dirs(settings)).get(args.prompt_id)
    except PromptPackError as exc:
        print(f"microcoach: {exc}", file=sys.stderr)
        return 1
    if item is None:
        print(f"No prompt with id {args.prompt_id}.", file=sys.stderr)
        return 1
    if args.as_ == "text":
        print(show_text(item))
        return 0
    from bot.core.cards import prompt_message

    message = prompt_message(0, item, "your coach", False)
    if args.as_ == "slack":
        from bot.adapters.slack.render import fallback_text, to_blocks

        print(json.dumps({"text": fallback_text(message), "blocks": to_blocks(message)}, indent=2))
    else:
        from bot.adapters.teams.render import to_adaptive_card

        print(json.dumps(to_adaptive_card(message), indent=2))
    return 0


def cmd_slack_manifest(args: argparse.Namespace, settings: Settings | None) -> int:
    from bot.adapters.slack import manifest_json

    print(manifest_json(args.url, socket_mode=args.socket_mode))
    return 0


def cmd_slack_enrol(args: argparse.Namespace, settings: Settings) -> int:
    from bot.adapters.slack.enrol import run_enrol

    return run_enrol(settings, args.csv, args.cohort, args.as_user, args.team)


def cmd_teams_package(args: argparse.Namespace, settings: Settings | None) -> int:
    from bot.adapters.teams.package import run_package

    return run_package(args.app_id, args.host, args.out)


def cmd_schedule_preview(args: argparse.Namespace, settings: Settings) -> int:
    from bot.schedule_preview import cmd_schedule_preview as run

    return run(args, settings)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.serve import run_server

    return run_server(settings, host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="microcoach", description="Micro-coaching for teachers in Slack, Teams and a local playground.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the web server (adapters, /healthz, the playground)")
    serve.add_argument("--host", default=None, help="address to listen on (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default: PORT or 3000)")
    serve.set_defaults(run=cmd_serve)

    worker = sub.add_parser("worker", help="run everything the clock drives: planning, sending, drafting, expiry")
    worker.set_defaults(run=cmd_worker)

    tick = sub.add_parser("tick", help="one pass of the worker's work, as of an instant")
    tick.add_argument("--at", type=_parse_instant, default=None, help="ISO-8601 instant with offset (default: now)")
    tick.set_defaults(run=cmd_tick)

    db = sub.add_parser("db", help="database administration")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations (SQLite and PostgreSQL)").set_defaults(run=cmd_db_upgrade)

    sub.add_parser("secret-key", help="print a new key for MICROCOACH_SECRET_KEY").set_defaults(run=cmd_secret_key, no_settings=True)

    data = sub.add_parser("data", help="export or delete everything stored about one person")
    data_sub = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    for action, runner, what in (("export", cmd_data_export, "print it as JSON"), ("delete", cmd_data_delete, "delete it")):
        p = data_sub.add_parser(action, help=what)
        p.add_argument("--platform", required=True, choices=("slack", "teams", "playground"))
        p.add_argument("--user", required=True, help="the person's platform user id")
        p.set_defaults(run=runner)

    prompts = sub.add_parser("prompts", help="the prompt library")
    prompts_sub = prompts.add_subparsers(dest="prompts_command", required=True, metavar="ACTION")
    lint = prompts_sub.add_parser("lint", help="check every pack: schema, duplicates, lengths, links")
    lint.add_argument("--online", action="store_true", help="also check that links answer (never in CI)")
    lint.set_defaults(run=cmd_prompts_lint)
    show = prompts_sub.add_parser("show", help="preview one prompt")
    show.add_argument("prompt_id")
    show.add_argument("--as", dest="as_", choices=("text", "slack", "teams"), default="text")
    show.set_defaults(run=cmd_prompts_show)

    slack = sub.add_parser("slack", help="Slack: the app manifest, enrolment from a roster")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True, metavar="ACTION")
    manifest = slack_sub.add_parser("manifest", help="print the Slack app manifest for this server's public URL")
    manifest.add_argument("--url", required=True, help="the public https URL of `serve`")
    manifest.add_argument("--socket-mode", action="store_true", help="a manifest for Socket Mode (no public URL)")
    manifest.set_defaults(run=cmd_slack_manifest, no_settings=True)
    enrol = slack_sub.add_parser("enrol", help="enrol teachers from a CSV of e-mail addresses")
    enrol.add_argument("--csv", required=True, type=Path)
    enrol.add_argument("--cohort", required=True)
    enrol.add_argument("--as", dest="as_user", required=True, help="the Slack user id of the admin enrolling")
    enrol.add_argument("--team", help="the Slack team id (OAuth installs)")
    enrol.set_defaults(run=cmd_slack_enrol)

    teams = sub.add_parser("teams", help="Teams: the app package")
    teams_sub = teams.add_subparsers(dest="teams_command", required=True, metavar="ACTION")
    package = teams_sub.add_parser("package", help="write the Teams app package (manifest and icons, zipped)")
    package.add_argument("--app-id", required=True, help="the Azure Bot's Microsoft App ID")
    package.add_argument("--host", required=True, help="the public host name of `serve`")
    package.add_argument("--out", type=Path, default=Path("."), help="where to write the zip")
    package.set_defaults(run=cmd_teams_package, no_settings=True)

    schedule = sub.add_parser("schedule", help="what the scheduler will do")
    schedule_sub = schedule.add_subparsers(dest="schedule_command", required=True, metavar="ACTION")
    preview = schedule_sub.add_parser("preview", help="what will be sent to a cohort, when, and what is skipped")
    preview.add_argument("cohort")
    preview.add_argument("--days", type=int, default=7)
    preview.set_defaults(run=cmd_schedule_preview)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "no_settings", False):
        return args.run(args, None)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"microcoach: configuration error: {exc}", file=sys.stderr)
        return 78
    _configure_logging(settings)
    try:
        return args.run(args, settings)
    except SettingsError as exc:
        print(f"microcoach: configuration error: {exc}", file=sys.stderr)
        return 78


if __name__ == "__main__":
    sys.exit(main())
