"""Benchmark: `/handoff` under sustained load, Deal Coach beside two bare Bolt apps, one run.

Every app runs in its own process on waitress with 8 threads (as `dealcoach serve` does),
against the local Slack stand-in in another process, with the same pre-signed `/handoff`
bodies (each its own trigger_id and deal) sent by a closed-loop asyncio generator in a
third process (see `load_client.py` for why not wrk). The apps:

- ``bare ack``: a Bolt app whose `/handoff` only acks;
- ``bare calls``: acks, then makes the same two Slack calls (the SE's card, the rep's
  confirmation through the response URL) with no database;
- ``dealcoach``: `dealcoach serve` on a migrated SQLite file or PostgreSQL database, as
  it ships (its work on threads in its one process) and, as ``dealcoach … +2p``, with
  ``WORK_PROCESSES=2`` (the work in two worker processes; their CPU is counted with it).

For each connection count it prints ack p50/p99/max (client side), the share of acks
over Slack's 3 s, handoffs/s (cards the stand-in received over the time to the last
card; requests/s for ``bare ack``), the server process's CPU per handoff, and
command-to-card p50/p99 (the stand-in's ts of the SE's DM minus the command's send
time); then Deal Coach's ratios: ack p50/p99 to ``bare ack``, handoffs/s, CPU and
command-to-card p50 to ``bare calls``.

Then, open loop (``--phases``): Slack's traffic comes at people's pace whatever the
answers, and a closed-loop client that is answered "busy" at once only sends faster, so
its flood of busy answers takes the CPU the work needs. Here commands are offered at a
steady rate, up a ladder (10 … 800/s) until an app falls behind (a busy answer, a failed
request, cards slower than the rate offered, or a card more than a second after its
command), then up to three rates between the last kept up and the first lost, halving the
gap: the highest rate kept up is the app's sustained handoffs/s, and Deal Coach's card
time there is set beside the bare app's at the same rate (or the nearest below it).

    python bench/load.py                   # 1, 8, 32, 128 connections, 15 s runs
    python bench/load.py --quick           # 1 and 32 connections, 4 s runs
    python bench/load.py --databases sqlite --connections 8 --seconds 10
    python bench/load.py --work-processes 0,1,2    # which WORK_PROCESSES to run
    python bench/load.py --phases open --seconds 8 # the rate ladder only
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SIGNING_SECRET = "bench-signing-secret"  # noqa: S105 - the bench's own
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DEALCOACH = str(Path(sys.executable).parent / "dealcoach")  # the installed console script
CARD = re.compile(r"Bench (\d+)(?!\d)")


@dataclass
class Result:
    app: str
    connections: int
    acks: list[float] = field(default_factory=list)
    failed: int = 0
    elapsed: float = 0.0
    per_second: float = 0.0
    cpu_ms: float = 0.0
    to_card: list[float] = field(default_factory=list)
    cards: int = 0
    note: str = ""
    errors: int = 0
    #: Open loop: commands offered per second (0: closed loop over ``connections``).
    rate: float = 0.0
    #: PostgreSQL's own processes (on these same cores), per handoff.
    db_cpu_ms: float = 0.0


def errors_in(log: str) -> int:
    """Tracebacks and error lines the server logged (waitress's queue-depth notes aside)."""
    return sum(1 for line in log.splitlines() if "Traceback" in line or '"level": "error"' in line)


def pct(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stat(path: Path) -> tuple[str, float]:
    """A process's name and CPU time (user + system) from its ``/proc/<pid>/stat``."""
    name, fields = path.read_text().split("(", 1)[1].rsplit(")", 1)
    numbers = fields.split()
    return name, (int(numbers[11]) + int(numbers[12])) / CLOCK_TICKS


def cpu_seconds(pid: int) -> float:
    """CPU time of the process and of its live children (``WORK_PROCESSES``' workers)."""
    try:
        own = _stat(Path(f"/proc/{pid}/stat"))[1]
    except FileNotFoundError:
        return 0.0
    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children.update(int(child) for child in task.read_text().split())
    return own + sum(cpu_seconds(child) for child in children)


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL server process on this machine (they share its cores
    with the app under test; the bare apps have no database)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, seconds = _stat(stat)
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue  # a process that ended meanwhile
        if name == "postgres":
            total += seconds
    return total


def start(
    args: list[str], env: dict[str, str] | None = None, stderr: IO[str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own scripts
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


def ask(process: subprocess.Popen[str], line: str) -> str:
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None and stdout is not None
    stdin.write(line + "\n")
    stdin.flush()
    return stdout.readline().strip()


def wait_ready(stream: IO[str] | None) -> str:
    assert stream is not None
    return stream.readline().strip()


def wait_healthy(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server on port {port} never became healthy")


def send_raw(port: int, request: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(request)
        sock.recv(65536)


def server_command(
    app: str, port: int, api_url: str, database_url: str | None, processes: int = 0
) -> tuple[list[str], dict[str, str]]:
    if app.startswith("bare"):
        mode = app.split()[1]
        return [str(BENCH / "load_bare.py"), mode, str(port), api_url, SIGNING_SECRET], {}
    env = {
        "SLACK_BOT_TOKEN": "xoxb-standin",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url or "",
        "DEALCOACH_CONFIG_DIR": str(ROOT / "bot" / "shell" / "sample"),
        "LOG_LEVEL": "WARNING",
        "WORK_PROCESSES": str(processes),
    }
    return [DEALCOACH, "serve", "--host", "127.0.0.1", "--port", str(port)], env


def run_once(
    app: str,
    connections: int,
    seconds: float,
    pool: int,
    db: str | None,
    processes: int = 0,
    rate: float = 0.0,
) -> Result:
    from load_client import build_pool

    result = Result(app + (f" +{processes}p" if processes else ""), connections, rate=rate)
    with tempfile.TemporaryDirectory(prefix="dealcoach-load-") as tmp:
        urls_path, out_path, cards_path = (Path(tmp) / n for n in ("urls", "out", "cards"))
        standin = start([str(BENCH / "load_standin.py"), str(urls_path), str(pool + 1)])
        api_url = wait_ready(standin.stdout).split()[1]
        database_url = None
        if db == "sqlite":
            database_url = f"sqlite:///{tmp}/dealcoach.db"
        elif db == "postgresql":
            database_url = create_pg_database()
        try:
            port = free_port()
            command, env = server_command(app, port, api_url, database_url, processes)
            if database_url:
                subprocess.run(  # noqa: S603
                    [sys.executable, DEALCOACH, "db", "upgrade"],
                    cwd=ROOT,
                    env={**os.environ, **env},
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                seed(database_url, pool)
            server_log = (Path(tmp) / "server.log").open("w")
            server = start(command, env, stderr=server_log)
            try:
                wait_healthy(port)
                measure(result, server, standin, port, connections, seconds, tmp, build_pool)
            finally:
                server_log.flush()
                log = (Path(tmp) / "server.log").read_text()  # before the shutdown's noise
                server.terminate()
                server.wait(timeout=10)
                server_log.close()
                result.errors = errors_in(log)
                if result.errors:
                    print(f"[{app}: the server logged errors; its last lines]", file=sys.stderr)
                    print("\n".join(log.splitlines()[-15:]), file=sys.stderr)
            ask(standin, f"dump {cards_path}")
            summarise(result, json.loads(out_path.read_text()), json.loads(cards_path.read_text()))
        finally:
            standin.kill()
            standin.wait()
            if db == "postgresql" and database_url:
                drop_pg_database(database_url)
    return result


def measure(  # type: ignore[no-untyped-def]
    result: Result,
    server,
    standin,
    port: int,
    connections: int,
    seconds: float,
    tmp: str,
    build_pool,
) -> None:
    urls = json.loads((Path(tmp) / "urls").read_text())["response_urls"]
    warm_up = build_pool(urls[-1:], f"127.0.0.1:{port}", label="Warmup")[0]
    send_raw(port, warm_up)  # first users.info, imports, connections: not measured
    deadline = time.monotonic() + 30  # worker processes may still be importing
    while result.app != "bare ack" and time.monotonic() < deadline:
        if int(ask(standin, "count")) >= 1:
            break
        time.sleep(0.1)
    time.sleep(1.0)
    client = start(
        [
            str(BENCH / "load_client.py"),
            f"http://127.0.0.1:{port}",
            str(connections),
            str(seconds),
            str(Path(tmp) / "urls"),
            str(Path(tmp) / "out"),
            str(result.rate),
        ]
    )
    wait_ready(client.stdout)
    before_cards, before_cpu = int(ask(standin, "count")), cpu_seconds(server.pid)
    on_postgres = "postgresql" in result.app
    before_db = postgres_cpu_seconds() if on_postgres else 0.0
    ask(client, "go")
    client.wait()
    outcome = json.loads((Path(tmp) / "out").read_text())
    acked = sum(1 for r in outcome["requests"] if r[3] == 200)
    expect_cards = 0 if result.app == "bare ack" else acked
    last, still = -1, time.monotonic()
    while time.monotonic() - still < 5:  # drain: until every card came, or 5 s without one
        got = int(ask(standin, "count")) - before_cards
        if got >= expect_cards:
            break
        if got != last:
            last, still = got, time.monotonic()
        time.sleep(0.2)
    result.cpu_ms = (cpu_seconds(server.pid) - before_cpu) * 1000
    if on_postgres:
        result.db_cpu_ms = (postgres_cpu_seconds() - before_db) * 1000


def summarise(result: Result, outcome: dict[str, Any], dump: dict[str, Any]) -> None:
    requests = outcome["requests"]
    result.elapsed = outcome["elapsed"]
    result.acks = [r[2] for r in requests if r[3] == 200]
    result.failed = len(requests) - len(result.acks)
    if outcome["pool_exhausted"]:
        result.note = "pool of bodies ran out"
    sent = {r[0]: r[1] for r in requests if r[3] == 200}
    card_times = {}
    for card in dump["cards"]:
        match = CARD.search(card["text"])
        if match and int(match.group(1)) in sent:
            card_times[int(match.group(1))] = card["ts"]
    result.cards = len(card_times)
    result.to_card = [card_times[n] - sent[n] for n in card_times]
    if result.app == "bare ack":
        result.per_second = len(result.acks) / result.elapsed
        result.cpu_ms /= max(1, len(result.acks))
        return
    if card_times:
        span = max(card_times.values()) - min(sent.values())
        result.per_second = result.cards / span
    result.cpu_ms /= max(1, result.cards)
    notes = [result.note] if result.note else []
    if result.cards < len(result.acks):
        notes.append(f"{len(result.acks) - result.cards} acked without a card")
    if result.db_cpu_ms:
        result.db_cpu_ms /= max(1, result.cards)
        notes.append(f"PostgreSQL server CPU {result.db_cpu_ms:.2f} ms per handoff")
    result.note = "; ".join(notes)


def seed(database_url: str, pool: int) -> None:
    """The deals every body of the pool names (and the warm-up's), as a team has them."""
    from load_client import LABELS
    from seed import seed_deals

    from bot.db.session import make_engine
    from bot.standin.identity import Workspace

    engine = make_engine(database_url)
    try:
        bench, warm_up = LABELS
        names = [f"{bench} {n}" for n in range(pool + 1)] + [f"{warm_up} 0"]
        seed_deals(engine, team_id=Workspace().team_id, names=names)
    finally:
        engine.dispose()


def create_pg_database() -> str:
    import psycopg

    name = f"dealcoach_load_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ms(value: float) -> str:
    return f"{value * 1000:7.1f}" if value == value else "      -"


def row(r: Result) -> str:
    over = sum(1 for a in r.acks if a > 3) / max(1, len(r.acks))
    load = f"{r.rate:.0f}/s" if r.rate else str(r.connections)
    return (
        f"{r.app:<24} {load:>5} {ms(pct(r.acks, 0.5))} {ms(pct(r.acks, 0.99))} "
        f"{ms(max(r.acks, default=float('nan')))} {over:>6.0%} {r.per_second:>9.1f} "
        f"{r.cpu_ms:>8.2f} {ms(pct(r.to_card, 0.5))} {ms(pct(r.to_card, 0.99))} "
        f"{len(r.acks):>6} {r.failed:>5} {r.errors:>4}  {r.note}"
    )


def ratios(coach: Result, bare: Result, calls: Result) -> str:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:5.2f}x" if b and a == a and b == b else "    -"

    return (
        f"{'  ratios':<24} {coach.connections:>5}"
        f" ack p50 {ratio(pct(coach.acks, 0.5), pct(bare.acks, 0.5))}"
        f" p99 {ratio(pct(coach.acks, 0.99), pct(bare.acks, 0.99))} (to bare ack);"
        f" handoffs/s {ratio(coach.per_second, calls.per_second)},"
        f" CPU {ratio(coach.cpu_ms, calls.cpu_ms)},"
        f" card p50 {ratio(pct(coach.to_card, 0.5), pct(calls.to_card, 0.5))} (to bare calls)"
    )


HEADER = (
    f"{'app':<24} {'conns':>5} {'ack p50':>7} {'p99':>7} {'max':>7} {'>3 s':>6} "
    f"{'handoff/s':>9} {'CPU ms':>8} {'card p50':>7} {'p99':>7} {'acked':>6} {'fail':>5} "
    f"{'errs':>4}"
)


#: Open loop: the commands per second offered, in turn, until an app falls behind.
LADDER = (10, 15, 20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800)
#: How many times :func:`sustained` halves the gap between the ladder's last two rungs.
REFINE = 3


def keeps_up(r: Result, seconds: float) -> bool:
    """Every command offered was acked and carded (none turned away busy, none failed),
    and no backlog grew: cards came at the rate offered (within 3 %), the slowest (p99)
    within a second of its command."""
    offered = int(r.rate * seconds)
    carded_all = r.failed == 0 and r.cards == len(r.acks) == offered
    return carded_all and r.per_second >= 0.97 * r.rate and pct(r.to_card, 0.99) <= 1.0


def sustained(app: str, db: str | None, processes: int, seconds: float, pool: int) -> list[Result]:
    """Up the ladder until the app falls behind, then halve the gap between the last rate
    kept up and the first lost (``REFINE`` times at most, to within 5 %): the ladder's
    steps are 20-33 % apart, too coarse for a ratio of two apps' sustained rates."""
    rungs: list[Result] = []

    def offer(rate: float) -> bool:
        rung = run_once(app, 0, seconds, pool, db, processes, rate=rate)
        rungs.append(rung)
        print(row(rung), flush=True)
        return keeps_up(rung, seconds)

    kept, lost = 0.0, 0.0
    for rate in LADDER:
        if not offer(rate):
            lost = rate
            break
        kept = rate
    for _ in range(REFINE if kept and lost else 0):
        middle = round((kept + lost) / 2)
        if lost / kept <= 1.05 or middle in (kept, lost):
            break
        if offer(middle):
            kept = middle
        else:
            lost = middle
    return rungs


def sustained_summary(calls: list[Result], coach: list[Result], seconds: float) -> str:
    """Highest rate kept up, both apps; the card time at Deal Coach's highest, both apps."""
    best = [r for r in coach if keeps_up(r, seconds)]
    calls_best = [r for r in calls if keeps_up(r, seconds)]
    if not best or not calls_best:
        return f"{'  sustained':<24} {coach[0].app}: kept up with no rate of the ladder"
    top = max(best, key=lambda r: r.rate)
    calls_top = max(calls_best, key=lambda r: r.rate)
    # The bare app's card time at the same rate, or the nearest below it that it ran.
    beside = max((r for r in calls if r.rate <= top.rate), key=lambda r: r.rate, default=None)
    card = (
        f"card p50 {pct(top.to_card, 0.5) * 1000:.1f} ms vs {pct(beside.to_card, 0.5) * 1000:.1f}"
        f" ms at {beside.rate:.0f}/s ({pct(top.to_card, 0.5) / pct(beside.to_card, 0.5):.2f}x)"
        if beside is not None
        else "card p50: the bare app has no run at that rate"
    )
    return (
        f"{'  sustained':<24} {top.app}: {top.rate:.0f}/s vs bare calls {calls_top.rate:.0f}/s"
        f" ({top.rate / calls_top.rate:.2f}x); at {top.rate:.0f}/s {card},"
        f" CPU {top.cpu_ms:.2f} ms per handoff"
        + (f" (and the PostgreSQL server's {top.db_cpu_ms:.2f} ms)" if top.db_cpu_ms else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 32 connections, 4 s runs")
    parser.add_argument("--connections", help="comma-separated (default 1,8,32,128)")
    parser.add_argument("--seconds", type=float, help="length of each run (default 15)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--work-processes",
        default="0,2",
        help="Deal Coach's WORK_PROCESSES settings to run, comma-separated (default 0,2)",
    )
    parser.add_argument(
        "--phases",
        default="closed,open",
        help="closed (connections sending as fast as answered), open (the rate ladder)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    counts = [
        int(c) for c in (args.connections or ("1,32" if args.quick else "1,8,32,128")).split(",")
    ]
    seconds = args.seconds or (4.0 if args.quick else 15.0)
    pool = int(seconds * 2000) + 500  # a closed loop answered "busy" asks ~1,300 times a second
    databases = args.databases.split(",")
    phases = args.phases.split(",")
    print(f"{os.cpu_count()} CPUs; {seconds:.0f} s per run; ms unless said; CPU = server process")
    print(HEADER)
    results: list[Result] = []
    for connections in counts if "closed" in phases else ():
        bare = run_once("bare ack", connections, seconds, pool, None)
        calls = run_once("bare calls", connections, seconds, pool, None)
        results += [bare, calls]
        print(row(bare), row(calls), sep="\n", flush=True)
        for db in databases:
            for processes in (int(p) for p in args.work_processes.split(",")):
                coach = run_once(f"dealcoach {db}", connections, seconds, pool, db, processes)
                results.append(coach)
                print(row(coach), ratios(coach, bare, calls), sep="\n", flush=True)
    if "open" in phases:
        results += open_loop(args, databases, seconds, pool)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))


def open_loop(
    args: argparse.Namespace, databases: list[str], seconds: float, pool: int
) -> list[Result]:
    """The rate ladder: the sustained handoffs/s of each app, and the card time there."""
    print(
        f"\nopen loop: commands offered at a steady rate ({', '.join(map(str, LADDER))}/s,"
        f" then up to {REFINE} rates between the last kept up and the first lost)"
    )
    print(HEADER.replace("conns", " rate"))
    calls = sustained("bare calls", None, 0, seconds, pool)
    results = list(calls)
    for db in databases:
        for processes in (int(p) for p in args.work_processes.split(",")):
            coach = sustained(f"dealcoach {db}", db, processes, seconds, pool)
            results += coach
            print(sustained_summary(calls, coach, seconds), flush=True)
    return results


if __name__ == "__main__":
    main()
