"""A file the bot shares shows in the shell as the path of the saved copy."""

from __future__ import annotations

from pathlib import Path

from slack_sdk import WebClient

from bot.shell.files import shared_file_lines
from bot.slack import uploads
from bot.standin import SlackStandIn


def test_a_shared_chart_is_saved_and_named(tmp_path: Path) -> None:
    with SlackStandIn() as standin:
        client = WebClient(token=standin.bot_token, base_url=standin.api_url)
        uploads.send_to_dm(
            client,
            user_id="U0MGR0001",
            data=b"\x89PNG-bytes",
            filename="trend.png",
            title="Weekly trend",
            alt_text="Opened 3, 5",
        )
        (message,) = standin.dm_messages("U0MGR0001")
        lines = shared_file_lines(standin, message, tmp_path / "files")
        plain = shared_file_lines(
            standin, standin.add_message("U0MGR0001", "hi", user="U1"), tmp_path
        )
    saved = next((tmp_path / "files").iterdir())
    assert saved.read_bytes() == b"\x89PNG-bytes" and saved.name.endswith("-trend.png")
    assert lines == [f"[file] Weekly trend: {saved}", "       Opened 3, 5"]
    assert plain == []
