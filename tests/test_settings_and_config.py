"""Start-up settings and the team's config files: one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config
from bot.config_check import check_config
from bot.settings import SettingsError, load_settings

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config"
ONE_TEAM = "teams:\n  - name: A\n    ses: [U0SE00001]\n"


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "SLACK_API_URL", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.slack_api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN must start with xoxb-"),
        ("SLACK_APP_TOKEN", "abc", "SLACK_APP_TOKEN must start with xapp-"),
        ("DATABASE_URL", "not a url", "DATABASE_URL is not a database URL"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL must be an http(s) URL"),
        ("PORT", "99999", "PORT"),
    ],
)
def test_malformed_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None)
    message = str(raised.value)
    assert words in message and "\n" not in message and "it needs" in message
    assert value not in message or variable != "SLACK_BOT_TOKEN"  # secrets are never echoed


def test_missing_secret_names_where_to_find_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    with pytest.raises(SettingsError, match=r"SLACK_SIGNING_SECRET is not set.*Basic Information"):
        load_settings(_env_file=None).require("SLACK_SIGNING_SECRET")


def test_serve_without_a_token_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DEALCOACH_CONFIG_DIR", str(REPO_CONFIG))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "SLACK_BOT_TOKEN is not set" in err[0]
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "`dealcoach db upgrade`" in err[0]


def test_the_shipped_config_is_valid() -> None:
    assert check_config(REPO_CONFIG) == []
    config = load_config(REPO_CONFIG)
    assert config.revenue.default.new_revenue_per_year == 3_000_000
    assert config.revenue.roi_threshold == 3


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "dealcoach.yaml").write_text(text)
    (tmp_path / "manifest.yaml").write_text((REPO_CONFIG / "manifest.yaml").read_text())
    return tmp_path


@pytest.mark.parametrize(
    ("yaml_text", "field", "words"),
    [
        ("teams: []", "teams", "at least 1"),
        ("teams:\n  - name: A\n    ses: [bob]", "teams[0].ses[0]", "not a Slack user id"),
        (
            ONE_TEAM + "sla:\n  acknowledge_hours: 8\n  escalate_hours: 4",
            "sla",
            "escalate_hours must be longer",
        ),
        (
            ONE_TEAM + "working_hours:\n  default_timezone: Mars/Base",
            "working_hours.default_timezone",
            "IANA time zone",
        ),
        (ONE_TEAM + "revenu: {}", "revenu", "Extra inputs"),
        ("teams: [\n", "line 2", "not valid YAML"),
    ],
)
def test_check_config_names_file_field_and_problem(
    tmp_path: Path, yaml_text: str, field: str, words: str
) -> None:
    problems = check_config(write(tmp_path, yaml_text))
    assert problems, "a broken config passed"
    problem = problems[0]
    assert problem.file.endswith("dealcoach.yaml")
    assert problem.field == field
    assert words in problem.problem


def test_check_config_command_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-config", "--config-dir", str(REPO_CONFIG)]) == 0
    assert main(["check-config", "--config-dir", str(write(tmp_path, "teams: []"))]) == 1
    assert "dealcoach.yaml: teams:" in capsys.readouterr().err
