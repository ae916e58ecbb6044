"""The routing section of dealcoach.yaml: its shape and what check-config says about it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config
from bot.config.routing import Routing, RoutingRule
from bot.config_check import check_config

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"

TEAM = """teams:
  - name: West
    reps: [U0REP0001]
    ses: [U0SE00001, U0SE00002]
"""
AREAS = """routing:
  areas:
    sso: {name: SSO, words: [sso, okta]}
    dwh: {name: Data warehouse, words: [snowflake]}
"""


def write(tmp_path: Path, text: str) -> Path:
    shutil.copytree(REPO_CONFIG, tmp_path, dirs_exist_ok=True)
    (tmp_path / "dealcoach.yaml").write_text(text)
    return tmp_path


def routing_problems(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    return [
        (p.field, p.problem)
        for p in check_config(write(tmp_path, text))
        if p.field.startswith("routing")
    ]


def test_the_shipped_routing_reads_as_intended() -> None:
    routing = load_config(REPO_CONFIG).routing
    assert routing.rules == [RoutingRule.AREA_AND_TERRITORY, RoutingRule.AREA, RoutingRule.TEAM]
    assert routing.area_name("sso") == "SSO"
    assert routing.cap("U0SE00001") == 6
    assert routing.cap("U0SE00002") == routing.default_max_open == 8
    assert routing.coverage("U0NOBODY").areas == []


def test_an_old_config_with_only_a_strategy_still_loads() -> None:
    assert Routing.model_validate({"strategy": "round_robin"}).areas == {}


def test_check_config_names_an_se_in_no_team(tmp_path: Path) -> None:
    text = (
        TEAM
        + AREAS
        + """  ses:
    U0SE00001: {areas: [sso]}
    U0SE00002: {areas: [dwh]}
    U0SE00009: {areas: [sso]}
"""
    )
    assert routing_problems(tmp_path, text) == [
        (
            "routing.ses.U0SE00009",
            "U0SE00009 is an SE in no team; add them to a team's ses or remove this entry",
        )
    ]


def test_check_config_names_an_area_no_se_covers(tmp_path: Path) -> None:
    text = (
        TEAM
        + AREAS
        + """  ses:
    U0SE00001: {areas: [sso]}
"""
    )
    assert routing_problems(tmp_path, text) == [
        (
            "routing.areas.dwh",
            "no SE covers 'dwh'; list it under some SE's areas in routing.ses or remove the area",
        )
    ]


def test_check_config_names_an_area_that_does_not_exist(tmp_path: Path) -> None:
    text = (
        TEAM
        + AREAS
        + """  ses:
    U0SE00001: {areas: [sso, dwh, crm]}
"""
    )
    assert routing_problems(tmp_path, text) == [
        (
            "routing.ses.U0SE00001.areas",
            "'crm' is not a product area under routing.areas (known: sso, dwh)",
        )
    ]


@pytest.mark.parametrize(
    ("routing_yaml", "field", "words"),
    [
        ("  rules: [area, area]\n", "routing.rules", "name each rule once"),
        ("  rules: [skills]\n", "routing.rules[0]", "area_and_territory"),
        ("  rules: []\n", "routing.rules", "at least 1"),
        ("  areas:\n    SSO!: {name: SSO, words: [sso]}\n", "routing.areas", "rename: SSO!"),
        ("  areas:\n    sso: {name: SSO, words: []}\n", "routing.areas.sso.words", "at least 1"),
        ("  ses:\n    bob: {areas: []}\n", "routing.ses.bob.[key]", "should match pattern"),
        ("  ses:\n    U0SE00001: {max_open: 0}\n", "routing.ses.U0SE00001.max_open", "greater"),
        ("  out_of_office:\n    emoji: [palm_tree]\n", "routing.out_of_office.emoji[0]", "pattern"),
    ],
)
def test_check_config_names_routing_field_and_problem(
    tmp_path: Path, routing_yaml: str, field: str, words: str
) -> None:
    problems = routing_problems(tmp_path, TEAM + "routing:\n" + routing_yaml)
    assert problems, "a broken routing section passed"
    assert problems[0][0] == field
    assert words in problems[0][1]


def test_check_config_command_fails_on_a_routing_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TEAM + AREAS + "  ses:\n    U0SE00001: {areas: [sso]}\n"
    assert main(["check-config", "--config-dir", str(write(tmp_path, text))]) == 1
    assert "routing.areas.dwh: no SE covers 'dwh'" in capsys.readouterr().err
