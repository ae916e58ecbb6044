"""The load generator of `bench/load.py`: asyncio, keep-alive HTTP/1.1, its own process.

Why not wrk: each `/handoff` must carry its own trigger_id and deal name (so a replay is
not a no-op and each card can be matched to its command), and the command-to-card time
needs every request's send time, which wrk reports only as aggregates. So the bodies are
built and signed before the clock starts (a pool of unique bodies, as Slack would send
them), and CONNECTIONS closed-loop clients send them as fast as the server answers.

With RATE, it is open-loop instead, as Slack's traffic is (people type commands at their
own pace, whatever the answers): one request every 1/RATE s on a keep-alive connection
that is free (a new one when none is), each timed from when it was due, so a server
that falls behind cannot slow the sender down and hide it.

    python bench/load_client.py URL CONNECTIONS SECONDS POOL_PATH OUT_PATH [RATE]
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.standin import sign, slash_command
from bot.standin.identity import Workspace

SIGNING_SECRET = "bench-signing-secret"  # noqa: S105 - the bench's own
REP = "U0RILEY01"
#: The deal names' prefixes: ``Bench N`` for measured commands, ``Warmup N`` before.
LABELS = ("Bench", "Warmup")


def build_pool(response_urls: list[str], host: str, label: str = "Bench") -> list[bytes]:
    team = Workspace().team_id
    pool = []
    for n, response_url in enumerate(response_urls):
        body = slash_command(
            command="/handoff",
            text=f"<@U0SAM0001|sam> {label} {n}: SSO fails for EU users",
            user_id=REP,
            team_id=team,
            channel_id="C0BENCH01",
            trigger_id=f"{n}.{int(time.time())}.bench{n:08d}",
            response_url=response_url,
            user_name="riley",
        )
        headers = sign(SIGNING_SECRET, body)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        pool.append(
            (
                f"POST /slack/events HTTP/1.1\r\nHost: {host}\r\n{head}"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body
        )
    return pool


async def read_response(reader: asyncio.StreamReader) -> int:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
    status = int(head.split(" ", 2)[1])
    if "transfer-encoding: chunked" in head:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return status
    length = 0
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    await reader.readexactly(length)
    return status


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one request and read its answer: the HTTP status, or 0 (closed) if the
    connection broke."""
    writer.write(request)
    try:
        return await read_response(reader)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
        return 0


async def client(
    host: str,
    port: int,
    pool: list[bytes],
    numbers: itertools.count[int],
    stop_at: float,
    results: list[tuple[int, float, float, int]],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    while time.perf_counter() < stop_at:
        n = next(numbers)
        if n >= len(pool):
            break
        sent_wall, started = time.time(), time.perf_counter()
        status = await exchange(reader, writer, pool[n])
        results.append((n, sent_wall, time.perf_counter() - started, status))
        if not status:
            reader, writer = await asyncio.open_connection(host, port)
    writer.close()


#: Open loop: a request not answered by then counts as failed (an app far behind would
#: otherwise keep the run waiting for the kernel's connect retries, minutes).
GIVE_UP_SECONDS = 5.0


async def paced(
    host: str,
    port: int,
    pool: list[bytes],
    rate: float,
    seconds: float,
    results: list[tuple[int, float, float, int]],
) -> None:
    """Open loop: request n is due at start + n / rate, sent then on a free connection."""
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def one(n: int) -> int:
        reader, writer = idle.pop() if idle else await asyncio.open_connection(host, port)
        status = await exchange(reader, writer, pool[n])
        if status:
            idle.append((reader, writer))
        return status

    async def timed(n: int, due_wall: float, due: float) -> None:
        try:
            status = await asyncio.wait_for(one(n), GIVE_UP_SECONDS)
        except (OSError, TimeoutError):  # far behind: a full listen queue, or no answer
            status = 0
        results.append((n, due_wall, time.perf_counter() - due, status))

    started, started_wall = time.perf_counter(), time.time()
    tasks = []
    for n in range(min(len(pool), int(rate * seconds))):
        offset = n / rate
        await asyncio.sleep(max(0.0, started + offset - time.perf_counter()))
        tasks.append(asyncio.create_task(timed(n, started_wall + offset, started + offset)))
    await asyncio.gather(*tasks)
    for _, writer in idle:
        writer.close()


async def run(
    url: str, connections: int, seconds: float, pool: list[bytes], rate: float = 0.0
) -> dict[str, object]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    numbers = itertools.count()
    results: list[tuple[int, float, float, int]] = []
    started = time.perf_counter()
    stop_at = started + seconds
    if rate:
        await paced(host, port, pool, rate, seconds, results)
    else:
        await asyncio.gather(
            *(client(host, port, pool, numbers, stop_at, results) for _ in range(connections))
        )
    return {
        "elapsed": time.perf_counter() - started,
        "pool_exhausted": len(results) >= len(pool),
        "requests": results,
    }


def main() -> None:
    url, connections, seconds, pool_path, out_path = sys.argv[1:6]
    rate = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    urls = json.loads(Path(pool_path).read_text())["response_urls"][:-1]  # last: warm-up
    pool = build_pool(urls, urlsplit(url).netloc)
    print("ready", flush=True)
    sys.stdin.readline()  # go
    outcome = asyncio.run(run(url, int(connections), float(seconds), pool, rate))
    Path(out_path).write_text(json.dumps(outcome))
    print("done", flush=True)


if __name__ == "__main__":
    main()
