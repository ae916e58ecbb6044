"""Qualification frameworks are data: shipped ones are valid, broken ones are named precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError, load_checklists, load_config
from bot.config_check import check_config

ROOT = Path(__file__).resolve().parents[1]
REPO_CONFIG = ROOT / "config"
SAMPLE_CONFIG = ROOT / "bot" / "shell" / "sample"


def test_shipped_frameworks_load_with_their_items() -> None:
    config = load_config(REPO_CONFIG)
    assert sorted(config.checklists) == ["bant", "default", "meddpicc"]
    assert [item.key for item in config.checklists["default"].items] == [
        "qualified",
        "economic_buyer_met",
        "business_case",
        "deadlines",
        "pitfalls",
        "differentiators",
    ]
    assert [item.key for item in config.checklists["meddpicc"].items] == [
        "metrics",
        "economic_buyer",
        "decision_criteria",
        "decision_process",
        "paper_process",
        "identified_pain",
        "champion",
        "competition",
    ]
    assert [item.key for item in config.checklists["bant"].items] == [
        "budget",
        "authority",
        "need",
        "timeline",
    ]
    for checklist in config.checklists.values():
        for item in checklist.items:
            assert item.question.endswith("?"), f"{checklist.key}.{item.key} asks no question"
    assert config.teams[0].framework == "default"
    assert config.qualification.nudge_days_before_close == 14


def test_the_shell_sample_ships_the_same_frameworks() -> None:
    shipped = sorted(p.name for p in (REPO_CONFIG / "checklists").glob("*.yaml"))
    sample = sorted(p.name for p in (SAMPLE_CONFIG / "checklists").glob("*.yaml"))
    assert shipped == sample
    for name in shipped:
        assert (REPO_CONFIG / "checklists" / name).read_text() == (
            SAMPLE_CONFIG / "checklists" / name
        ).read_text(), f"checklists/{name} differs between config/ and the shell sample"


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A copy of the shipped config to break."""
    target = tmp_path / "config"
    shutil.copytree(REPO_CONFIG, target)
    return target


def edit_checklist(config_dir: Path, name: str, change: object) -> Path:
    path = config_dir / "checklists" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data))
    return path


def checklist_problems(config_dir: Path) -> list[tuple[str, str, str]]:
    return [
        (Path(p.file).name, p.field, p.problem)
        for p in check_config(config_dir)
        if "checklists" in p.file or p.field.endswith("framework")
    ]


def test_a_missing_question_is_reported_with_file_item_and_field(config_dir: Path) -> None:
    def drop_question(data: dict[str, list[dict[str, str]]]) -> None:
        del data["items"][2]["question"]

    path = edit_checklist(config_dir, "bant", drop_question)
    problems = [p for p in check_config(config_dir) if p.file == str(path)]
    assert len(problems) == 1
    assert problems[0].field == "items[2].question"
    assert "Field required" in problems[0].problem
    with pytest.raises(ConfigError):
        load_config(config_dir)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["items"][0].update(title="   "), "items[0].title", "at least 1 character"),
        (lambda d: d["items"][1].update(why="x" * 201), "items[1].why", "at most 200"),
        (lambda d: d["items"][1].update(key="Budget Two"), "items[1].key", "pattern"),
        (lambda d: d["items"][3].update(key="budget"), "items", "repeated: budget"),
        (lambda d: d["items"][0].update(colour="red"), "items[0].colour", "Extra inputs"),
        (lambda d: d.update(items=[]), "items", "at least 1 item"),
        (lambda d: d.update(items=d["items"] * 8), "items", "at most 30"),
        (lambda d: d.update(key="bant"), "key", "the file name is the framework's key"),
    ],
)
def test_malformed_items_are_named(
    config_dir: Path, change: object, field: str, words: str
) -> None:
    edit_checklist(config_dir, "bant", change)
    problems = checklist_problems(config_dir)
    assert problems, "a broken checklist passed"
    name, got_field, problem = problems[0]
    assert (name, got_field) == ("bant.yaml", field)
    assert words in problem


def test_broken_yaml_and_bad_file_names_are_reported(config_dir: Path) -> None:
    (config_dir / "checklists" / "ours.yaml").write_text("items: [\n")
    (config_dir / "checklists" / "Our Team.yaml").write_text("name: X\n")
    problems = checklist_problems(config_dir)
    assert any(
        name == "ours.yaml" and field == "line 2" and "not valid YAML" in problem
        for name, field, problem in problems
    )
    assert any(
        name == "Our Team.yaml" and field == "(file name)" and "lowercase" in problem
        for name, field, problem in problems
    )


def test_a_team_can_add_its_own_framework(config_dir: Path) -> None:
    (config_dir / "checklists" / "spiced.yaml").write_text(
        "name: SPICED\nitems:\n"
        "  - key: situation\n    title: Situation\n    why: Context first.\n"
        "    question: What does your setup look like today?\n"
    )
    main = config_dir / "dealcoach.yaml"
    main.write_text(main.read_text().replace("framework: default", "framework: spiced"))
    assert checklist_problems(config_dir) == []
    config = load_config(config_dir)
    assert config.framework_for("U0REP0001") == "spiced"
    assert config.framework_for("U0NOBODY1") == "spiced"  # not on a team: the first team's


def test_an_unknown_framework_names_the_team_and_the_choices(config_dir: Path) -> None:
    main = config_dir / "dealcoach.yaml"
    main.write_text(main.read_text().replace("framework: default", "framework: medpicc"))
    problems = checklist_problems(config_dir)
    assert len(problems) == 1
    name, field, problem = problems[0]
    assert (name, field) == ("dealcoach.yaml", "teams[0].framework")
    assert "'medpicc'" in problem and "did you mean 'meddpicc'" in problem
    assert "bant, default, meddpicc" in problem


def test_without_a_checklists_folder_the_default_framework_is_missing(tmp_path: Path) -> None:
    (tmp_path / "dealcoach.yaml").write_text("teams:\n  - name: A\n    ses: [U0SE00001]\n")
    assert load_checklists(tmp_path) == ([], [])
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    (problem,) = raised.value.problems
    assert problem.field == "teams[0].framework"
    assert "checklists/default.yaml" in problem.problem
