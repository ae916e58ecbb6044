"""tips.yaml and the `coaching:` section: validated by check-config, one line per problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import load_config
from bot.config_check import check_config

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config"
ONE_TEAM = "teams:\n  - name: A\n    ses: [U0SE00001]\n"


def config_dir(tmp_path: Path, *, main_yaml: str = ONE_TEAM, tips: object = "copy") -> Path:
    (tmp_path / "dealcoach.yaml").write_text(main_yaml)
    (tmp_path / "manifest.yaml").write_text((REPO_CONFIG / "manifest.yaml").read_text())
    if (REPO_CONFIG / "checklists").is_dir():  # other files a valid config dir holds
        shutil.copytree(REPO_CONFIG / "checklists", tmp_path / "checklists")
    if tips == "copy":
        (tmp_path / "tips.yaml").write_text((REPO_CONFIG / "tips.yaml").read_text())
    elif isinstance(tips, str):
        (tmp_path / "tips.yaml").write_text(tips)
    elif tips is not None:
        (tmp_path / "tips.yaml").write_text(yaml.safe_dump(tips))
    return tmp_path


def shipped_tips() -> list[dict[str, object]]:
    data = yaml.safe_load((REPO_CONFIG / "tips.yaml").read_text())
    tips: list[dict[str, object]] = data["tips"]
    return tips


def test_the_shipped_config_carries_its_tips_and_coaching_defaults() -> None:
    config = load_config(REPO_CONFIG)
    assert len(config.tips) >= 20
    assert config.coaching.precall_lead_minutes == 30 and config.coaching.call_minutes == 60
    assert "Skyline" in config.coaching.product_names


def test_the_coaching_section_is_optional(tmp_path: Path) -> None:
    config = load_config(config_dir(tmp_path))
    assert config.coaching.precall_lead_minutes == 30 and "synergy" in config.coaching.jargon


def broken(index: int, **change: object) -> list[dict[str, object]]:
    tips = shipped_tips()
    tips[index] = {**tips[index], **change}
    return tips


@pytest.mark.parametrize(
    ("tips", "field", "words"),
    [
        ({"tips": broken(0, call_types=["demo", "webinar"])}, "tips[0].call_types[1]", "'demo'"),
        ({"tips": broken(1, roles=["ceo"])}, "tips[1].roles[0]", "'rep' or 'se'"),
        ({"tips": broken(2, when=["sunny"])}, "tips[2].when[0]", "qualification_gaps"),
        ({"tips": broken(3, idea=None)}, "tips[3].idea", "valid string"),
        ({"tips": broken(4, id="Has Spaces")}, "tips[4].id", "pattern"),
        ({"tips": broken(5, colour="red")}, "tips[5].colour", "Extra inputs"),
        ({"tips": broken(6, id="agree-roles")}, "tips", "repeated: agree-roles"),
        ({"tips": shipped_tips()[:4]}, "tips", "write at least 6"),
        ({"tip": []}, "tips", "Field required"),
        ("tips: [\n", "line 2", "not valid YAML"),
    ],
)
def test_tip_problems_name_file_field_and_problem(
    tmp_path: Path, tips: object, field: str, words: str
) -> None:
    problems = check_config(config_dir(tmp_path, tips=tips))
    assert problems, "a broken tips.yaml passed"
    problem = problems[0]
    assert problem.file.endswith("tips.yaml")
    assert problem.field == field
    assert words in problem.problem


def test_a_missing_tips_file_is_a_problem_for_check_config_only(tmp_path: Path) -> None:
    directory = config_dir(tmp_path, tips=None)
    (problem,) = check_config(directory)
    assert problem.field == "(file)" and "pre-call DMs would carry no tips" in problem.problem
    assert load_config(directory).tips == ()


@pytest.mark.parametrize(
    ("section", "field", "words"),
    [
        ("precall_lead_minutes: 0", "coaching.precall_lead_minutes", "greater than or equal"),
        ("call_minutes: ten", "coaching.call_minutes", "valid integer"),
        ("product_names: ['Skyline', ' ']", "coaching", "product_names has an empty entry"),
        ("jargon: synergy", "coaching.jargon", "valid list"),
        ("lead_minutes: 5", "coaching.lead_minutes", "Extra inputs"),
    ],
)
def test_coaching_problems_name_the_field(
    tmp_path: Path, section: str, field: str, words: str
) -> None:
    problems = check_config(config_dir(tmp_path, main_yaml=f"{ONE_TEAM}coaching:\n  {section}\n"))
    (problem,) = problems
    assert problem.file.endswith("dealcoach.yaml")
    assert (problem.field, words in problem.problem) == (field, True), problem


def test_both_files_are_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = config_dir(tmp_path, main_yaml="teams: []", tips={"tips": shipped_tips()[:2]})
    assert main(["check-config", "--config-dir", str(directory)]) == 1
    err = capsys.readouterr().err
    assert "dealcoach.yaml: teams:" in err and "tips.yaml: tips:" in err
