from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import ConfigError, ConfigProblem
from bot.manifest import MANIFEST_FILE, build_manifest, check_manifest, render_manifest

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
PLACEHOLDER = "https://example.com/slack/events"


def request_urls(manifest: dict[str, Any]) -> list[str | None]:
    settings = manifest["settings"]
    return [
        *(command.get("url") for command in manifest["features"]["slash_commands"]),
        settings["event_subscriptions"].get("request_url"),
        settings["interactivity"].get("request_url"),
        settings["interactivity"].get("message_menu_options_url"),
    ]


def test_template_uses_the_placeholder_everywhere() -> None:
    manifest = build_manifest(CONFIG_DIR, base_url=None)

    assert request_urls(manifest) == [PLACEHOLDER] * len(request_urls(manifest))
    assert manifest["settings"]["socket_mode_enabled"] is False


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://deals.example.org", "https://deals.example.org/slack/events"),
        ("https://deals.example.org/", "https://deals.example.org/slack/events"),
        ("https://example.org/dealcoach/", "https://example.org/dealcoach/slack/events"),
        ("https://deals.example.org/slack/events", "https://deals.example.org/slack/events"),
    ],
)
def test_base_url_sets_every_request_url(base_url: str, expected: str) -> None:
    manifest = build_manifest(CONFIG_DIR, base_url=base_url)

    urls = request_urls(manifest)
    # + events, interactivity and the options load URL of the deal typeahead
    expected_count = len(manifest["features"]["slash_commands"]) + 3
    assert urls == [expected] * expected_count
    assert PLACEHOLDER not in render_manifest(manifest)
    assert manifest["oauth_config"]["redirect_urls"] == [
        expected.replace("/slack/events", "/slack/oauth_redirect")
    ]
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_socket_mode_drops_every_request_url() -> None:
    manifest = build_manifest(CONFIG_DIR, base_url=None, socket_mode=True)

    assert set(request_urls(manifest)) == {None}
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    assert "example.com" not in render_manifest(manifest)


@pytest.mark.parametrize(
    "base_url",
    ["http://deals.example.org", "deals.example.org", "https://", "ftp://deals.example.org"],
)
def test_base_url_must_be_https(base_url: str) -> None:
    with pytest.raises(ValueError, match="https://") as excinfo:
        build_manifest(CONFIG_DIR, base_url=base_url)

    assert repr(base_url) in str(excinfo.value)


def test_base_url_and_socket_mode_together_are_rejected() -> None:
    with pytest.raises(ValueError, match="Socket Mode"):
        build_manifest(CONFIG_DIR, base_url="https://deals.example.org", socket_mode=True)


def test_rendered_yaml_round_trips_in_template_order() -> None:
    manifest = build_manifest(CONFIG_DIR, base_url="https://deals.example.org")

    text = render_manifest(manifest)

    assert yaml.safe_load(text) == manifest
    top_level = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top_level == ["display_information", "features", "oauth_config", "settings"]


def test_real_manifest_has_what_the_product_needs() -> None:
    manifest = build_manifest(CONFIG_DIR, base_url=None)

    assert check_manifest(CONFIG_DIR) == []
    features = manifest["features"]
    assert features["bot_user"]["always_online"] is True
    assert features["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": True,
    }
    commands = {command["command"]: command for command in features["slash_commands"]}
    assert set(commands) == {"/handoff", "/qualify", "/precall", "/debrief", "/coach"}
    assert all(command["should_escape"] is True for command in commands.values())
    handoff = commands["/handoff"]
    assert handoff["should_escape"] is True
    assert handoff["usage_hint"] == "@se Deal name: the customer's problem | list | help"
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "im:history",
        "channels:history",
        "groups:history",
        "files:write",
        "users:read.email",
    }
    settings = manifest["settings"]
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False


# --- planted bad files -------------------------------------------------------------


def planted(tmp_path: Path, change: Any) -> Path:
    """A copy of the real manifest with ``change(manifest)`` applied."""
    manifest = yaml.safe_load((CONFIG_DIR / MANIFEST_FILE).read_text(encoding="utf-8"))
    change(manifest)
    (tmp_path / MANIFEST_FILE).write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return tmp_path


def only_problem(problems: list[ConfigProblem]) -> ConfigProblem:
    assert len(problems) == 1, problems
    return problems[0]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    problem = only_problem(check_manifest(tmp_path))

    assert problem.file == str(tmp_path / MANIFEST_FILE)
    assert problem.field == "(file)"
    assert "not found" in problem.problem
    with pytest.raises(ConfigError):
        build_manifest(tmp_path, base_url=None)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_FILE).write_text(
        "display_information:\n  name: Deal Coach\n features: [\n", encoding="utf-8"
    )

    problem = only_problem(check_manifest(tmp_path))

    assert problem.file == str(tmp_path / MANIFEST_FILE)
    assert problem.field.startswith("line ")
    assert "not valid YAML" in problem.problem


def test_a_list_at_the_top_is_reported(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_FILE).write_text("- display_information\n", encoding="utf-8")

    problem = only_problem(check_manifest(tmp_path))

    assert problem.field == "(top level)"
    assert "mapping" in problem.problem


def test_missing_name(tmp_path: Path) -> None:
    config_dir = planted(tmp_path, lambda m: m["display_information"].pop("name"))

    problem = only_problem(check_manifest(config_dir))

    assert problem == ConfigProblem(
        str(config_dir / MANIFEST_FILE),
        "display_information.name",
        "is missing: Slack needs a name for the app",
    )
    with pytest.raises(ConfigError) as excinfo:
        build_manifest(config_dir, base_url="https://deals.example.org")
    assert excinfo.value.problems == [problem]


def test_name_over_slacks_limit(tmp_path: Path) -> None:
    def rename(manifest: dict[str, Any]) -> None:
        manifest["display_information"]["name"] = "Deal Coach for the Enterprise West Team"

    problem = only_problem(check_manifest(planted(tmp_path, rename)))

    assert problem.field == "display_information.name"
    assert problem.problem == "is 39 characters long; Slack allows at most 35"


def test_description_over_slacks_limit(tmp_path: Path) -> None:
    def describe(manifest: dict[str, Any]) -> None:
        manifest["display_information"]["description"] = "x" * 141

    problem = only_problem(check_manifest(planted(tmp_path, describe)))

    assert problem.field == "display_information.description"
    assert problem.problem == "is 141 characters long; Slack allows at most 140"


def test_description_at_the_limit_is_fine(tmp_path: Path) -> None:
    def describe(manifest: dict[str, Any]) -> None:
        manifest["display_information"]["name"] = "n" * 35
        manifest["display_information"]["description"] = "x" * 140

    assert check_manifest(planted(tmp_path, describe)) == []


@pytest.mark.parametrize("should_escape", [False, None, "yes"])
def test_slash_command_must_escape(tmp_path: Path, should_escape: object) -> None:
    def unescape(manifest: dict[str, Any]) -> None:
        command = manifest["features"]["slash_commands"][0]
        if should_escape is None:
            del command["should_escape"]
        else:
            command["should_escape"] = should_escape

    problem = only_problem(check_manifest(planted(tmp_path, unescape)))

    assert problem.file == str(tmp_path / MANIFEST_FILE)
    assert problem.field == "features.slash_commands[0].should_escape"
    assert problem.problem.startswith("must be true")


@pytest.mark.parametrize(
    "scope", ["commands", "chat:write", "im:write", "users:read", "files:write"]
)
def test_missing_bot_scope(tmp_path: Path, scope: str) -> None:
    config_dir = planted(tmp_path, lambda m: m["oauth_config"]["scopes"]["bot"].remove(scope))

    problem = only_problem(check_manifest(config_dir))

    assert problem.file == str(config_dir / MANIFEST_FILE)
    assert problem.field == "oauth_config.scopes.bot"
    assert problem.problem.startswith(f"lacks {scope}, which Deal Coach needs to ")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def break_it(manifest: dict[str, Any]) -> None:
        manifest["display_information"]["description"] = "x" * 200
        manifest["features"]["slash_commands"][0]["should_escape"] = False
        manifest["features"]["slash_commands"][0]["url"] = "http://deals.example.org"
        manifest["oauth_config"]["scopes"]["bot"] = ["chat:write"]

    fields = [problem.field for problem in check_manifest(planted(tmp_path, break_it))]

    assert fields == [
        "display_information.description",
        "features.slash_commands[0].should_escape",
        "features.slash_commands[0].url",
        *["oauth_config.scopes.bot"] * 7,  # commands, im:write, users:read, three histories,
        # and files:write for the report's chart
    ]
