"""The bare Bolt apps `bench/load.py` compares Deal Coach with, served like `dealcoach serve`.

``ack``: a `/handoff` listener that only acks. ``calls``: it acks, then makes the same two
Slack calls a handoff makes (the SE's card by chat.postMessage, the rep's confirmation
through the response URL) with no database. Both run on waitress with 8 threads and
Bolt's defaults, as Deal Coach does.

    python bench/load_bare.py ack|calls PORT API_URL SIGNING_SECRET
"""

from __future__ import annotations

import sys
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from waitress import serve

BOT_TOKEN = "xoxb-standin"  # noqa: S105 - the local stand-in's token
SE = "U0SAM0001"


def build(mode: str, api_url: str, signing_secret: str) -> App:
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=signing_secret,
        token_verification_enabled=False,
    )

    @app.command("/handoff")
    def handoff(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if mode == "ack":
            return
        problem = body.get("text") or ""
        client.chat_postMessage(channel=SE, text=f"New handoff: {problem}", unfurl_links=False)
        WebhookClient(body["response_url"]).send(
            text=f"Handed to <@{SE}>: {problem}", response_type="ephemeral", replace_original=False
        )

    return app


def main() -> None:
    mode, port, api_url, signing_secret = sys.argv[1:5]
    slack = SlackRequestHandler(build(mode, api_url, signing_secret), path="/slack/events")

    def application(environ: Any, start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return slack(environ, start_response)

    serve(application, host="127.0.0.1", port=int(port), threads=8, _quiet=True)


if __name__ == "__main__":
    main()
