"""Profile: where one `/handoff`'s CPU goes, from the signed request to the rep's confirmation.

The real app (create_app, listeners, services, migrated database) handles signed quick-form
`/handoff` commands dispatched in this thread, its listener run inline (so the profile holds
the whole request: Bolt, the ack, the database work and the client side of both Slack calls);
the Slack stand-in answers over HTTP from its own threads, which the profile leaves out
(it counts this thread's CPU time only).

    python bench/profile_handoff.py                         # SQLite file, 300 handoffs
    python bench/profile_handoff.py --database-url postgresql+psycopg://postgres@127.0.0.1/x
    python bench/profile_handoff.py --top 40 --dump /tmp/handoff.prof   # for snakeviz etc.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import load_bare
from seed import seed_deals
from slack_bolt import App
from slack_bolt.request import BoltRequest
from sqlalchemy import event

from bot.app import create_app
from bot.config import load_config
from bot.db import migrate
from bot.db.session import AUTOCOMMIT, make_engine, make_session_factory
from bot.settings import load_settings
from bot.shell.harness import SAMPLE_DIR, load_people
from bot.standin import SlackStandIn, sign, slash_command

SECRET = "profile-signing-secret"  # noqa: S105 - the bench's own
#: Where a frame's file lives → the part of the stack it belongs to.
PARTS = (
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/psycopg", "psycopg"),
    ("sqlite3", "sqlite3"),
    ("/slack_bolt/", "slack_bolt"),
    ("/slack_sdk/", "slack_sdk"),
    ("/bot/", "bot (ours)"),
    ("/http/", "http, socket, urllib"),
    ("/urllib/", "http, socket, urllib"),
    ("/socket.py", "http, socket, urllib"),
    ("/json/", "json"),
    ("/logging/", "logging"),
)


class Inline(Executor):
    """Runs each listener at once in the caller's thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def part_of(filename: str, function: str) -> str:
    for marker, part in PARTS:
        if marker in filename or (marker == "sqlite3" and "sqlite3" in function):
            return part
    return "other (stdlib, pydantic, …)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as standin:
        url = args.database_url or f"sqlite:///{tmp}/profile.db"
        migrate.upgrade(url)
        engine = make_engine(url)
        names = [f"Profile {n}" for n in range(-1, 2 * args.count)]
        seed_deals(engine, team_id=standin.workspace.team_id, names=names)
        for person in load_people():
            standin.add_user(person.slack_id, person.name, real_name=person.real_name, tz=person.tz)
        settings = load_settings(
            _env_file=None,
            slack_bot_token=standin.bot_token,
            slack_signing_secret=SECRET,
            slack_api_url=standin.api_url,
            database_url=url,
        )
        app = create_app(
            settings,
            make_session_factory(engine),
            config=load_config(SAMPLE_DIR),
            listener_executor=Inline(),
        )
        rep, channel = "U0RILEY01", standin.dm_channel("U0RILEY01")

        def handoff(n: int, to: App | None = None) -> None:
            body = slash_command(
                command="/handoff",
                text=f"<@U0SAM0001|sam> Profile {n}: SSO fails for EU users",
                user_id=rep,
                team_id=standin.workspace.team_id,
                channel_id=channel,
                trigger_id=f"{n}.profile",
                response_url=standin.new_response_url(channel, rep),
            ).decode()
            response = (to or app).dispatch(BoltRequest(body=body, headers=sign(SECRET, body)))
            assert response.status == 200, response.body

        handoff(-1)  # warm-up: imports, users.info, the first connection
        statements: dict[str, int] = defaultdict(int)

        @event.listens_for(engine, "before_cursor_execute")
        def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            statements[statement.split(None, 1)[0].upper()] += 1

        @event.listens_for(engine, "commit")
        def count_commit(connection: Any) -> None:
            if not connection.get_execution_options().get(AUTOCOMMIT):  # a no-op there
                statements["COMMIT"] += 1

        bare = load_bare.build("calls", standin.api_url, SECRET)
        bare.listener_runner.listener_executor = Inline()
        batches, bare_batches = [], []  # unprofiled, without cProfile's overhead: 5 batches,
        for batch in range(5):  # each beside the bare app's doing the same two Slack calls
            numbers = range(batch * args.count // 5, (batch + 1) * args.count // 5)
            started = time.thread_time()
            for n in numbers:
                handoff(n)
            batches.append((time.thread_time() - started) / len(numbers))
            started = time.thread_time()
            for n in numbers:
                handoff(n, bare)
            bare_batches.append((time.thread_time() - started) / len(numbers))
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "commit", count_commit)
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        for n in range(args.count, 2 * args.count):
            handoff(n)
        profile.disable()
        cards = len(standin.dm_messages("U0SAM0001"))
        engine.dispose()
    report(profile, batches, args, engine.dialect.name, cards)
    ratios = [ours / theirs for ours, theirs in zip(batches, bare_batches, strict=True)]
    print(
        f"bare app making the same two Slack calls: {statistics.median(bare_batches) * 1000:.1f} ms"
        f"; Deal Coach / bare, median of the 5 batches' ratios: {statistics.median(ratios):.1f}x"
        f" ({min(ratios):.1f}-{max(ratios):.1f})"
    )
    per = ", ".join(f"{n / args.count:.1f} {kind}" for kind, n in sorted(statements.items()))
    print(f"\nSQL statements per handoff: {sum(statements.values()) / args.count:.1f} ({per})")


def report(
    profile: cProfile.Profile, batches: list[float], args: argparse.Namespace, db: str, cards: int
) -> None:
    if args.dump:
        profile.dump_stats(args.dump)
    stats = pstats.Stats(profile)
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())  # tottime
    print(
        f"{db}: {cards} cards; CPU per handoff in this thread: median of 5 batches"
        f" {statistics.median(batches) * 1000:.1f} ms (batches {min(batches) * 1000:.1f}"
        f"-{max(batches) * 1000:.1f}; {total / args.count * 1000:.1f} ms under cProfile,"
        f" over {args.count} more)"
    )
    calls = stats.total_calls / args.count  # type: ignore[attr-defined]
    print(f"Python function calls per handoff: {calls:,.0f} (steady where CPU time is noisy)")
    print("\nown time by part of the stack:")
    parts: dict[str, float] = defaultdict(float)
    for (filename, _line, function), entry in table.items():
        parts[part_of(filename, function)] += entry[2]
    for part, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {part:<28} {seconds / total:6.1%}")
    print("\nour functions by cumulative share (what each step costs, callees included):")
    ours = [
        (entry[3], f"bot/{filename.rsplit('/bot/', 1)[1]}:{function}")
        for (filename, _line, function), entry in table.items()
        if "/bot/" in filename and "/standin/" not in filename
    ]
    for seconds, name in sorted(ours, reverse=True)[: args.top]:
        print(f"  {seconds / total:6.1%}  {name}")
    print("\nfunctions by own time:")
    own = [
        (entry[2], f"{part_of(filename, function)}: {Path(filename).name}:{function}")
        for (filename, _line, function), entry in table.items()
    ]
    for seconds, name in sorted(own, reverse=True)[: args.top]:
        print(f"  {seconds / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
