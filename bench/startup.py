"""Benchmark: from starting `dealcoach serve` to its first `/healthz` 200, beside a bare Bolt app.

Both are new processes on waitress with 8 threads (the bare one is `load_bare.py ack`);
Deal Coach runs one workspace (a bot token, no OAuth) on a migrated SQLite file. It also
says which parts of the many-workspace OAuth stack a one-workspace `serve` imports (with
its sweep built too), and which of what only the sweep needs (APScheduler, the sweep's
jobs and planners, the CRM's retrying, the holiday calendars) it has imported before it
listens: none should be, in either case.

Our package's bytecode is compiled first, as a deployed install has it (pip compiles at
install, and so does the Dockerfile's); the libraries' already is. Without it, an editable
checkout under ``PYTHONDONTWRITEBYTECODE`` would compile 200-odd files on every start and
measure the compiler, not the start-up.

    python bench/startup.py               # 7 starts each, alternating
    python bench/startup.py --repeats 15
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
DEALCOACH = str(Path(sys.executable).parent / "dealcoach")
OAUTH_MODULES = (
    "slack_sdk.oauth.installation_store.sqlalchemy",
    "slack_sdk.oauth.state_store.sqlalchemy",
    "sqlalchemy.ext.asyncio",
)
SWEEP_MODULES = ("apscheduler", "bot.scheduler", "tenacity", "holidays")
#: What `serve` builds before it listens, without listening, then the sweeper it builds once
#: it listens: which of the sweep's modules had loaded before, and which of the OAuth stack's
#: after?
IMPORT_PROBE = f"""
import sys
from bot.config import load_config
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.web import wsgi_app
settings = load_settings()
runtime = Runtime.start(settings, load_config(settings.dealcoach_config_dir))
wsgi_app(runtime.app(), runtime.engine, signing_secret="probe")
print(" ".join(m for m in {SWEEP_MODULES!r} if m in sys.modules) or "none")
runtime.sweeper()
print(" ".join(m for m in {OAUTH_MODULES!r} if m in sys.modules) or "none")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_healthy(command: list[str], port: int, env: dict[str, str]) -> tuple[float, float]:
    """Wall time from spawning ``command`` to its first /healthz 200, and the CPU it spent."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own commands
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started, cpu_seconds(process.pid)
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"{command[1]} exited with {process.returncode}") from None
                time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dealcoach-startup-") as tmp:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-startup",
            "SLACK_SIGNING_SECRET": "startup-signing-secret",
            "DATABASE_URL": f"sqlite:///{tmp}/dealcoach.db",
            "DEALCOACH_CONFIG_DIR": str(ROOT / "bot" / "shell" / "sample"),
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "bot")], check=True
        )
        subprocess.run(  # noqa: S603
            [DEALCOACH, "db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        bare: list[tuple[float, float]] = []
        coach: list[tuple[float, float]] = []
        for _ in range(args.repeats):
            port = free_port()
            bare_command = [sys.executable, str(BENCH / "load_bare.py"), "ack", str(port)]
            bare.append(time_to_healthy([*bare_command, "http://127.0.0.1:9/api/", "x"], port, env))
            port = free_port()
            serve = [DEALCOACH, "serve", "--host", "127.0.0.1", "--port", str(port)]
            coach.append(time_to_healthy(serve, port, env))
        probe = subprocess.run(  # noqa: S603
            [sys.executable, "-c", IMPORT_PROBE],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    print(f"start to first /healthz 200, {args.repeats} starts each, alternating")
    print(f"{'':>16}  {'wall median (min-max)':>24}  {'CPU to healthy, median':>22}")
    for label, runs in (("bare Bolt app", bare), ("dealcoach serve", coach)):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"{label:>16}: {statistics.median(walls) * 1000:7.0f} ms ({min(walls) * 1000:.0f}-"
            f"{max(walls) * 1000:.0f}) {statistics.median(cpus) * 1000:16.0f} ms"
        )
    ratio_wall = statistics.median(w for w, _ in coach) / statistics.median(w for w, _ in bare)
    ratio_cpu = statistics.median(c for _, c in coach) / statistics.median(c for _, c in bare)
    print(f"{'ratio':>16}: wall {ratio_wall:.2f}x, CPU {ratio_cpu:.2f}x the bare app's")
    before_listening, oauth = probe.stdout.split("\n")[:2]
    print(f"OAuth stack imported by a one-workspace serve: {oauth}")
    print(f"sweep-only modules imported before serve listens: {before_listening}")


if __name__ == "__main__":
    main()
