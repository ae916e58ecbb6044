"""Benchmark: how fast the bot answers Slack and finishes a /handoff, end to end on loopback.

Slack gives an app three seconds to acknowledge. This runs the real app (HTTP, Bolt,
SQLite, migrations) against the local Slack stand-in and prints, for N quick-form
handoffs: the time to the HTTP answer (the ack), the time until the SE's card and the
rep's confirmation were sent, and the process's peak memory.

    python bench/handoff_requests.py            # 200 handoffs
    python bench/handoff_requests.py --count 1000
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.shell.harness import LocalBot


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    acks: list[float] = []
    done: list[float] = []
    with LocalBot() as bot:
        rep = bot.person("riley").slack_id
        bot.slack.command(rep, "@sam Warm-up: first request")  # auth.test, imports
        bot.settle()
        for n in range(args.count):
            started = time.perf_counter()
            reply = bot.slack.command(rep, f"<@U0SAM0001|sam> Deal {n}: SSO fails for EU users")
            acks.append(time.perf_counter() - started)
            assert reply.status == 200, reply
            bot.settle()
            done.append(time.perf_counter() - started)
        calls = len(bot.standin.calls)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"handoffs: {args.count} (Slack Web API calls made: {calls})")
    for label, values in (("ack (HTTP answer)", acks), ("card and confirmation sent", done)):
        print(
            f"{label:>28}: median {statistics.median(values) * 1000:6.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"
        )
    print(f"{'peak memory (RSS)':>28}: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
