"""Everything local, wired together: the real app, its database and sweep, and Slack's stand-in.

:class:`LocalBot` is what `dealcoach shell` and `dealcoach demo` run: the same
`create_app`, listeners, services and migrations as production, served over HTTP on
loopback (or connected over Socket Mode), with only Slack replaced by
:class:`~bot.standin.SlackStandIn`.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import Engine

from bot.app import create_app, make_client
from bot.clock import AdjustableClock
from bot.config import DealCoachConfig, load_config
from bot.db import migrate
from bot.db.session import SessionFactory, make_engine, make_session_factory
from bot.deps import Deps
from bot.scheduler.crm_jobs import CrmJobs
from bot.scheduler.jobs import Sweeper, SweepReport
from bot.services import due_times
from bot.settings import load_settings
from bot.shell.crm import ShellCrm, email_of, shell_config
from bot.standin import SlackStandIn
from bot.standin.driver import SlackDriver
from bot.standin.socket_driver import SocketModeDriver
from bot.web import BackgroundServer, wsgi_app

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
LOCAL_SIGNING_SECRET = "local-signing-secret"  # noqa: S105 - the stand-in's own, not Slack's

#: How often the local Socket Mode client pings: short, so a cut line is noticed soon.
LOCAL_PING_SECONDS = 0.5

#: Monday 23 November 2026, 09:00 UTC (10:00 in Berlin, 04:00 in New York).
DEFAULT_START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class DrainingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, plus :meth:`drain`: wait until every listener has finished.

    Bolt answers Slack as soon as a listener acks and finishes the work in this pool;
    the shell and the tests wait for that work before they look at the results.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="listener")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def drain(self, timeout: float = 10) -> None:
        with self._lock:
            pending = list(self._pending)
        _, not_done = wait(pending, timeout=timeout)
        if not_done:
            raise TimeoutError(f"{len(not_done)} listener(s) still running after {timeout}s")


#: The most sweeps one jump of the clock runs (each stop is a due moment inside the jump).
MAX_STOPS = 500


@dataclass(frozen=True)
class Pretend:
    """A pretend person in the local workspace."""

    slack_id: str
    name: str
    real_name: str
    role: str
    tz: str


def load_people(path: Path = SAMPLE_DIR / "people.yaml") -> list[Pretend]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Pretend(e["id"], e["name"], e.get("real_name", e["name"]), e.get("role", ""), e["tz"])
        for e in entries
    ]


class LocalBot:
    """The bot and a pretend Slack on this machine; use as a context manager."""

    def __init__(
        self,
        *,
        config_dir: Path = SAMPLE_DIR,
        people: list[Pretend] | None = None,
        database_url: str | None = None,
        start: datetime = DEFAULT_START,
        socket_mode: bool = False,
        crm: str | None = None,
        ticking: bool = True,
    ) -> None:
        self.config: DealCoachConfig = load_config(config_dir)
        #: ``"hubspot"``: deals come from a seeded HubSpot stand-in (``shell --crm hubspot``).
        self.crm_vendor = crm
        self._crm: ShellCrm | None = None
        self.crm_jobs: CrmJobs | None = None
        self.people = people if people is not None else load_people()
        self.clock = AdjustableClock(start=start, ticking=ticking)
        self._database_url = database_url
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._engine: Engine | None = None
        self._server: BackgroundServer | None = None
        self._socket: SocketModeHandler | None = None
        #: Talk to the app over Socket Mode rather than signed HTTP requests.
        self.socket_mode = socket_mode
        self.executor = DrainingExecutor()
        self.standin = SlackStandIn(clock=self.clock)

    def __enter__(self) -> LocalBot:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> None:
        if self._database_url is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="dealcoach-local-")
            self._database_url = f"sqlite:///{self._tmp.name}/dealcoach.db"
        migrate.upgrade(self._database_url)
        self._engine = make_engine(self._database_url)
        self.session_factory: SessionFactory = make_session_factory(self._engine)
        self.standin.start()
        for person in self.people:
            self.standin.add_user(
                person.slack_id,
                person.name,
                real_name=person.real_name,
                tz=person.tz,
                email=email_of(person.name),
            )
        if self.crm_vendor == "hubspot":
            self.config = self.config.model_copy(update={"crm": shell_config()})
            self._crm = ShellCrm([p.name for p in self.people], start=self.clock.now())
        settings = load_settings(
            _env_file=None,
            slack_bot_token=self.standin.bot_token,
            slack_signing_secret=LOCAL_SIGNING_SECRET,
            slack_app_token=self.standin.app_token,
            slack_api_url=self.standin.api_url,
            database_url=self._database_url,
        )
        app = create_app(
            settings,
            self.session_factory,
            config=self.config,
            clock=self.clock,
            socket_mode=self.socket_mode,
            listener_executor=self.executor,
        )
        self.slack: SlackDriver
        if self.socket_mode:
            self._socket = SocketModeHandler(
                app, self.standin.app_token, ping_interval=LOCAL_PING_SECONDS
            )
            self._socket.connect()  # type: ignore[no-untyped-call]
            self.standin.socket_mode.wait_connected()
            self.slack = SocketModeDriver(self.standin)
        else:
            self._server = BackgroundServer(
                wsgi_app(app, self._engine, signing_secret=LOCAL_SIGNING_SECRET)
            ).start()
            self.slack = SlackDriver(
                self.standin,
                events_url=f"{self._server.url}/slack/events",
                signing_secret=LOCAL_SIGNING_SECRET,
            )
        client = make_client(settings)
        deps = Deps(config=self.config, session_factory=self.session_factory, clock=self.clock)
        self.sweeper = Sweeper(deps, lambda _team_id: client, worker_id="local")
        if self._crm is not None:
            self.crm_jobs = self._crm.jobs(deps, client, self.standin.workspace.team_id)
            self.crm_jobs.run_once()

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        self.executor.shutdown(wait=True)
        self.standin.stop()
        if self._crm is not None:
            self._crm.close()
            self._crm = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def settle(self) -> None:
        """Wait for the listeners still working after their ack."""
        self.executor.drain()

    def advance(self, by: timedelta) -> SweepReport:
        """Move the clock forward and run the scheduler's sweep, as the worker would."""
        self.clock.advance(by)
        return self.sweep()

    def sweep(self) -> SweepReport:
        """Run the scheduler's sweep (and the CRM's sync and write-backs, with ``--crm``)
        now, as the worker would, and wait for its effects."""
        report = self.sweeper.run_once()
        if self.crm_jobs is not None:
            self.crm_jobs.run_once()
        self.settle()
        return report

    def next_due(self, *, until: datetime | None = None) -> datetime | None:
        """The next moment something waiting falls due (no later than ``until``)."""
        now = self.clock.now()
        with self.session_factory() as session:
            if until is None:
                return due_times.first_due_at(session, after=now)
            return due_times.next_due_at(session, after=now, until=until)

    def pass_time(
        self, to: datetime, *, at_each: Callable[[SweepReport], None] = lambda _r: None
    ) -> int:
        """Let time pass until ``to`` like time: stop at every due moment on the way, in
        order, and sweep there, so each message goes out at its own time.

        ``at_each`` sees every sweep's report (the shell prints what it sent). Returns
        how many rows the sweeps claimed.
        """
        claimed = 0
        for _ in range(MAX_STOPS):
            report = self.sweep()
            claimed += report.claimed
            at_each(report)
            moment = self.next_due(until=to)
            if moment is None:
                break
            self.clock.advance(max(moment - self.clock.now(), timedelta(0)))
        left = to - self.clock.now()
        if left > timedelta(0):
            self.clock.advance(left)
            report = self.sweep()
            claimed += report.claimed
            at_each(report)
        return claimed

    def person(self, name_or_id: str) -> Pretend:
        key = name_or_id.lstrip("@").casefold()
        for person in self.people:
            if key in (person.name.casefold(), person.slack_id.casefold()):
                return person
        known = ", ".join(p.name for p in self.people)
        raise KeyError(f"no one called {name_or_id!r} here; try one of: {known}")

    @property
    def names(self) -> dict[str, str]:
        """Slack id → the name people type, for rendering mentions."""
        return {p.slack_id: p.name for p in self.people}
