"""`dealcoach`: serve, socket, worker, db, manifest, check-config, export, crm."""

from __future__ import annotations

import argparse
import gc
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import logs

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger("dealcoach")

#: Settings each long-running command cannot start without, beyond the bot's credentials
#: (a bot token, or an OAuth client id and secret).
REQUIRED = {
    "serve": ("SLACK_SIGNING_SECRET",),
    "socket": ("SLACK_APP_TOKEN",),
    "worker": (),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealcoach", description="Deal Coach: a Slack bot that coaches reps and SEs."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve Slack's HTTP requests (and run the sweep)")
    serve.add_argument("--host", help="interface to listen on (default: HOST or 0.0.0.0)")
    serve.add_argument("--port", type=int, help="port (default: PORT or 3000)")
    serve.add_argument(
        "--no-scheduler", action="store_true", help="leave nudges to a separate `worker`"
    )

    socket = commands.add_parser("socket", help="connect over Socket Mode (no public URL)")
    socket.add_argument("--no-scheduler", action="store_true")

    commands.add_parser("worker", help="only send due nudges (for setups with web replicas)")

    workspace = commands.add_parser("workspace", help="a Slack workspace's data")
    workspace_actions = workspace.add_subparsers(dest="action", required=True, metavar="ACTION")
    forget = workspace_actions.add_parser(
        "forget", help="delete a workspace's tokens, people, deals, handoffs and due work now"
    )
    forget.add_argument("team_id", help="the workspace's Slack team id, T…")

    db = commands.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])

    manifest = commands.add_parser("manifest", help="print the Slack app manifest")
    where = manifest.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="public https URL of this bot, e.g. https://coach.example.com")
    where.add_argument("--socket", action="store_true", help="a manifest for Socket Mode")

    shell = commands.add_parser(
        "shell", help="try the bot in this terminal: no Slack workspace, no tokens"
    )
    shell.add_argument("--as", dest="as_name", default="riley", help="who you are (default: riley)")
    shell.add_argument(
        "--crm",
        choices=["hubspot"],
        help="take deals from a local HubSpot stand-in seeded with a few deals",
    )
    demo = commands.add_parser("demo", help="play a short scripted deal story and check every step")
    for local in (shell, demo):
        local.add_argument(
            "--socket",
            action="store_true",
            help="reach the bot over Socket Mode (as without a public URL) instead of HTTP",
        )

    export = commands.add_parser(
        "export", help="write product gaps or handoffs as CSV or JSON (for a BI tool)"
    )
    export.add_argument("what", choices=["gaps", "handoffs"])
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--since", help="only rows from this date on, YYYY-MM-DD (UTC)")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")

    crm = commands.add_parser("crm", help="deals from the CRM configured in dealcoach.yaml")
    crm_actions = crm.add_subparsers(dest="action", required=True, metavar="ACTION")
    crm_sync = crm_actions.add_parser(
        "sync", help="pull changed deals now (also restarts a sync stopped by refused credentials)"
    )
    crm_sync.add_argument(
        "--full", action="store_true", help="every deal, not only those changed since the last sync"
    )

    check = commands.add_parser("check-config", help="validate every file in the config dir")
    check.add_argument("--config-dir", type=Path, help="default: DEALCOACH_CONFIG_DIR or config/")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # serve, socket and worker make some 150k objects at start-up that live as long as the
    # process, and next to no garbage: the cyclic collector would walk them again and again
    # (~15% of serve's start-up). It is paused until the runtime is built and resumes
    # there (bot.startup.built); the modules load in _main, inside the pause.
    paused = args.command in REQUIRED and gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _main(args)
    finally:
        if paused:
            gc.enable()


def _main(args: argparse.Namespace) -> int:
    from bot.config import ConfigError
    from bot.db.migrate import SchemaBehind
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
        logs.configure(settings.log_level, settings.log_format)
        return _run(args, settings)
    except (SettingsError, SchemaBehind) as exc:
        print(f"dealcoach: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"dealcoach: {problem}", file=sys.stderr)
        print("dealcoach: fix the config and run `dealcoach check-config`.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.config import load_config
    from bot.db import migrate

    if args.command == "check-config":
        from bot.config_check import check_config

        config_dir = args.config_dir or settings.dealcoach_config_dir
        problems = check_config(config_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in {config_dir}", file=sys.stderr)
            return 1
        print(f"{config_dir}: all config files are valid")
        return 0
    if args.command == "manifest":
        from bot.manifest import build_manifest, render_manifest

        try:
            manifest = build_manifest(
                settings.dealcoach_config_dir, base_url=args.url, socket_mode=args.socket
            )
        except ValueError as exc:
            print(f"dealcoach: {exc}", file=sys.stderr)
            return 2
        print(render_manifest(manifest), end="")
        return 0
    if args.command in {"shell", "demo"}:
        return _local(args)
    if args.command == "export":
        return _export(args, settings)
    if args.command == "db":
        if args.action == "upgrade":
            applied = migrate.upgrade(settings.database_url)
            for revision in applied:
                print(f"applied {revision}")
            print("database schema is up to date" + ("" if applied else " (nothing to apply)"))
        else:
            from bot.db.session import make_engine

            engine = make_engine(settings.database_url)
            print(", ".join(migrate.current(engine)) or "empty (run `dealcoach db upgrade`)")
            engine.dispose()
        return 0
    if args.command == "workspace":
        return _forget_workspace(settings, args.team_id)
    if args.command == "crm":
        from bot.crm_cli import sync

        return sync(settings, load_config(settings.dealcoach_config_dir), full=args.full)
    if args.command == "serve" and settings.work_processes:
        from bot.startup import share_metrics_across_processes

        share_metrics_across_processes()
    from bot.runtime import Runtime

    settings.require_bot_credentials()
    settings.require(*REQUIRED[args.command])
    runtime = Runtime.start(settings, load_config(settings.dealcoach_config_dir))
    if args.command == "serve":
        runtime.serve(host=args.host, port=args.port, scheduler=not args.no_scheduler)
    elif args.command == "socket":
        runtime.socket(scheduler=not args.no_scheduler)
    elif args.command == "worker":
        runtime.worker()
    return 0


def _forget_workspace(settings: Settings, team_id: str) -> int:
    from bot.db import migrate
    from bot.db.session import make_session_factory, transaction
    from bot.services import workspaces
    from bot.startup import database_engine

    if not re.fullmatch(r"[TE][A-Z0-9]{2,30}", team_id):
        print(f"dealcoach: {team_id!r} is not a Slack team id (like T0123ABCD).", file=sys.stderr)
        return 2
    engine = database_engine(
        settings.database_url, timeout_seconds=settings.database_connect_timeout_seconds
    )
    try:
        migrate.require_current(engine, settings.database_url)
        with transaction(make_session_factory(engine)) as session:
            done = workspaces.forget(session=session, team_id=team_id)
    finally:
        engine.dispose()
    if not done.data and not done.token_rows:
        print(f"nothing stored for workspace {team_id}")
    else:
        print(f"forgot workspace {team_id}: its tokens and all its people, deals and handoffs")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot import export
    from bot.config import load_config
    from bot.db import migrate
    from bot.db.session import make_session_factory
    from bot.services import exports
    from bot.startup import database_engine

    try:
        since = export.parse_since(args.since) if args.since else None
    except ValueError as exc:
        print(f"dealcoach: {exc}", file=sys.stderr)
        return 2
    config = load_config(settings.dealcoach_config_dir)
    engine = database_engine(
        settings.database_url, timeout_seconds=settings.database_connect_timeout_seconds
    )
    try:
        migrate.require_current(engine, settings.database_url)
        source, columns = {
            "gaps": (exports.gaps, exports.GAP_COLUMNS),
            "handoffs": (exports.handoffs, exports.HANDOFF_COLUMNS),
        }[args.what]
        with make_session_factory(engine)() as session:
            rows = source(session=session, config=config, since=since)
            if args.output is None:
                count = export.write(rows, columns, args.format, sys.stdout)
            else:
                with args.output.open("w", encoding="utf-8", newline="") as out:
                    count = export.write(rows, columns, args.format, out)
    finally:
        engine.dispose()
    print(f"{count} {args.what} exported", file=sys.stderr)
    return 0


def _local(args: argparse.Namespace) -> int:
    """The shell and the demo: the real app against the local Slack stand-in."""
    from bot.shell.logfile import default_log_path, send_logs_to

    # The conversation is the output: logs go to a file, never between its lines.
    log_path = send_logs_to(default_log_path())
    if args.command == "demo":
        from bot.shell.demo import play

        return play(sys.stdout, socket_mode=args.socket)
    from bot.shell.completion import install_completion
    from bot.shell.console import Console, interactive
    from bot.shell.harness import LocalBot

    with LocalBot(socket_mode=args.socket, crm=args.crm) as bot:
        try:
            console = Console(
                bot, as_name=args.as_name, out=sys.stdout, ask=interactive(), log_path=log_path
            )
        except KeyError as exc:
            print(f"dealcoach: {str(exc).strip(chr(39))}", file=sys.stderr)
            return 2
        install_completion(console)
        console.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
