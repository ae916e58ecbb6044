"""The vendored Slack method reference and the check of calls against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.standin import api_ref
from bot.standin.api_ref import ApiReference, check_call, default_directory, load_specs

SHARED = Path("/work/shared/slack-api-ref")
VENDORED = Path(api_ref.__file__).with_suffix("")  # bot/standin/api_ref/
NEEDED = {
    "auth.test",
    "oauth.v2.access",
    "apps.connections.open",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "chat.delete",
    "chat.getPermalink",
    "conversations.open",
    "conversations.history",
    "conversations.replies",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "users.info",
    "users.lookupByEmail",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
}


def test_vendored_directory_holds_exactly_the_needed_methods() -> None:
    names = {p.name for p in VENDORED.iterdir()}
    assert names == {f"{m}.json" for m in NEEDED} | {"LICENSE.md", "README.md"}
    assert len((VENDORED / "README.md").read_text().splitlines()) == 3
    assert set(load_specs()) == NEEDED


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent: nothing to compare with")
def test_vendored_files_equal_the_shared_reference() -> None:
    for name in sorted(NEEDED):
        vendored = (VENDORED / f"{name}.json").read_bytes()
        assert vendored == (SHARED / "methods" / f"{name}.json").read_bytes(), name
    assert (VENDORED / "LICENSE.md").read_bytes() == (SHARED / "LICENSE.md").read_bytes()


def test_default_directory_is_the_packaged_copy() -> None:
    assert default_directory().joinpath("chat.postMessage.json").is_file()


def test_a_good_call_has_no_problems() -> None:
    args = {"token": "xoxb-1", "channel": "C1", "text": "hi", "thread_ts": "1.2"}
    assert check_call("chat.postMessage", args) == []


def test_unknown_method() -> None:
    assert check_call("chat.postMesage", {"channel": "C1"}) == [
        "[ERROR] unknown method: chat.postMesage"
    ]


def test_unknown_argument() -> None:
    problems = check_call("chat.postMessage", {"token": "t", "channel": "C1", "colour": "red"})
    assert problems == ["[ERROR] unknown argument: colour"]


def test_missing_required_arguments() -> None:
    problems = check_call("chat.update", {"token": "t", "text": "x"})
    assert problems == [
        "[ERROR] missing required field: channel",
        "[ERROR] missing required field: ts",
    ]


def test_token_may_come_as_a_bearer_header() -> None:
    assert check_call("users.info", {"user": "U1"}) == ["[ERROR] missing required field: token"]
    assert check_call("users.info", {"user": "U1"}, bearer_token=True) == []


def test_team_id_and_token_are_always_allowed() -> None:
    args = {"token": "t", "team_id": "T1"}
    assert check_call("auth.test", args) == []


def test_a_json_body_to_a_form_only_method_is_a_problem() -> None:
    args = {"channel": "C1", "message_ts": "1.2"}
    assert check_call("chat.getPermalink", args, bearer_token=True) == []
    assert check_call("chat.getPermalink", args, bearer_token=True, json_body=True) == [
        "[ERROR] chat.getPermalink does not accept a JSON body; send a form body"
    ]
    assert (
        check_call("chat.postMessage", {"channel": "C1"}, bearer_token=True, json_body=True) == []
    )


def test_another_directory_can_be_loaded(tmp_path: Path) -> None:
    spec = {
        "desc": "A made-up method.",
        "json_input_supported": True,
        "args": {"type": "object", "required": ["token", "thing"], "properties": {"thing": {}}},
        "errors": {"no_thing": {"desc": "none"}},
    }
    (tmp_path / "things.make.json").write_text(json.dumps(spec))
    (tmp_path / "methods.json").write_text(json.dumps([{"name": "things.make"}]))  # an index
    reference = ApiReference(tmp_path)
    assert set(reference.methods) == {"things.make"}
    assert reference.spec("things.make") is not None
    assert reference.check_call("things.make", {"thing": 1}, bearer_token=True) == []
    assert reference.check_call("chat.postMessage", {}) == [
        "[ERROR] unknown method: chat.postMessage"
    ]
    assert ApiReference(str(tmp_path)).knows("things.make")


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ApiReference(tmp_path)
