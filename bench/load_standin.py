"""The Slack stand-in for `bench/load.py`, in its own process (so its work is not the server's).

It plays the sample team's people, prepares a pool of response URLs, and then answers
one-line commands on stdin:

    count           -> the number of DMs the SE has received so far
    dump PATH       -> write every SE DM as JSON [{"ts": float, "text": str}], then exit

    python bench/load_standin.py URLS_PATH POOL_SIZE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.shell.harness import load_people
from bot.standin import SlackStandIn

SE = "U0SAM0001"
REP = "U0RILEY01"
CHANNEL = "C0BENCH01"


def main() -> None:
    urls_path, pool_size = Path(sys.argv[1]), int(sys.argv[2])
    standin = SlackStandIn().start()
    for person in load_people():
        standin.add_user(person.slack_id, person.name, real_name=person.real_name, tz=person.tz)
    urls = [standin.new_response_url(CHANNEL, REP) for _ in range(pool_size)]
    urls_path.write_text(json.dumps({"api_url": standin.api_url, "response_urls": urls}))
    print(f"ready {standin.api_url}", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "count":
            print(len(standin.dm_messages(SE)), flush=True)
        elif command == "dump":
            cards = [
                {"ts": float(m.ts), "text": m.text + json.dumps(m.blocks or [])}
                for m in standin.dm_messages(SE)
            ]
            Path(argument).write_text(json.dumps({"cards": cards, "calls": len(standin.calls)}))
            print("dumped", flush=True)
            break
    standin.stop()


if __name__ == "__main__":
    main()
