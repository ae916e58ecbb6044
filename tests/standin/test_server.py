"""The Slack stand-in against a real slack_sdk WebClient (and a Bolt app), over HTTP."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.clock import AdjustableClock
from bot.standin import (
    SlackStandIn,
    block_actions,
    event_callback,
    sign,
    slash_command,
    view_submission,
)

REP, SE = "U0REP0001", "U0SE00001"
CHANNEL = "C0DEALS01"
SECRET = "signing-secret"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*Acme* needs an SE"}}
MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "handoff",
    "private_metadata": "deal-7",
    "title": {"type": "plain_text", "text": "Hand off"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "need",
            "label": {"type": "plain_text", "text": "What do you need?"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        }
    ],
}
HOME: dict[str, Any] = {"type": "home", "blocks": [SECTION]}


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    clock = AdjustableClock(start=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    with SlackStandIn(clock=clock) as server:
        yield server
        # The fixture a suite would use: a wrong call fails the test that made it.
        assert server.violations == [], "unexpected violations"


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.api_url)


def expect_error(error: str, call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    data = raised.value.response.data
    assert isinstance(data, dict)
    assert data["error"] == error
    return data


def take_violations(standin: SlackStandIn, count: int) -> list[str]:
    found = list(standin.violations)
    assert len(found) == count, found
    standin.violations.clear()
    return found


# ---- lifecycle, auth ----------------------------------------------------------------


def test_start_stop_and_urls() -> None:
    standin = SlackStandIn().start()
    try:
        assert standin.api_url == f"http://127.0.0.1:{standin.port}/api/"
        assert WebClient(token="xoxb-standin", base_url=standin.api_url).auth_test()["ok"]
    finally:
        standin.stop()
    with pytest.raises(RuntimeError):
        _ = standin.api_url


def test_auth_test(client: WebClient, standin: SlackStandIn) -> None:
    data = client.auth_test().data
    assert isinstance(data, dict)
    assert data["ok"] is True
    assert data["team_id"] == standin.workspace.team_id
    assert data["user_id"] == standin.workspace.bot_user_id
    assert data["bot_id"] == standin.workspace.bot_id
    assert data["url"] == "https://standin.slack.com/"


def test_token_errors(standin: SlackStandIn) -> None:
    expect_error("not_authed", WebClient(base_url=standin.api_url).auth_test)
    wrong = WebClient(token="xoxb-other", base_url=standin.api_url)
    expect_error("invalid_auth", wrong.auth_test)
    custom = SlackStandIn(bot_token="xoxb-custom")
    with custom:
        assert WebClient(token="xoxb-custom", base_url=custom.api_url).auth_test()["ok"]


def test_token_as_a_form_field(standin: SlackStandIn) -> None:
    anonymous = WebClient(base_url=standin.api_url)
    response = anonymous.api_call(
        "chat.postMessage",
        data={"token": standin.bot_token, "channel": CHANNEL, "text": "form"},
    )
    assert response["ok"]
    assert "token" not in standin.calls_to("chat.postMessage")[0].args


# ---- messages -------------------------------------------------------------------------


def test_post_message_to_a_user_lands_in_the_dm(client: WebClient, standin: SlackStandIn) -> None:
    first = client.chat_postMessage(channel=REP, text="Your card", blocks=[SECTION])
    second = client.chat_postMessage(channel=first["channel"], text="Again")
    dm = standin.dm_channel(REP)
    assert first["channel"] == dm == client.conversations_open(users=REP)["channel"]["id"]
    assert dm.startswith("D")
    assert first["message"]["text"] == "Your card"
    assert first["message"]["bot_id"] == standin.workspace.bot_id
    assert float(second["ts"]) > float(first["ts"])
    messages = standin.dm_messages(REP)
    assert [m.text for m in messages] == ["Your card", "Again"]
    assert messages[0].blocks == [SECTION]
    assert messages[0].user == standin.workspace.bot_user_id
    history = client.conversations_history(channel=dm)["messages"]
    assert [m["text"] for m in history] == ["Again", "Your card"]  # newest first


def test_form_encoded_blocks_are_read(client: WebClient, standin: SlackStandIn) -> None:
    response = client.api_call(
        "chat.postMessage",
        data={"channel": CHANNEL, "text": "form", "blocks": json.dumps([SECTION])},
    )
    assert response["ok"]
    assert standin.messages(CHANNEL)[0].blocks == [SECTION]


def test_threads_and_broadcasts(client: WebClient, standin: SlackStandIn) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="Handoff")
    client.chat_postMessage(channel=CHANNEL, thread_ts=parent["ts"], text="Accepted")
    client.chat_postMessage(
        channel=CHANNEL, thread_ts=parent["ts"], text="Done", reply_broadcast=True
    )
    assert [m.text for m in standin.replies(CHANNEL, parent["ts"])] == ["Accepted", "Done"]
    assert [m.text for m in standin.messages(CHANNEL)] == ["Handoff", "Done"]
    thread = client.conversations_replies(channel=CHANNEL, ts=parent["ts"])["messages"]
    assert [m["text"] for m in thread] == ["Handoff", "Accepted", "Done"]
    assert thread[0]["reply_count"] == 2
    expect_error("thread_not_found", client.conversations_replies, channel=CHANNEL, ts="1.000001")


def test_history_pages(client: WebClient) -> None:
    for n in range(5):
        client.chat_postMessage(channel=CHANNEL, text=f"m{n}")
    page = client.conversations_history(channel=CHANNEL, limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"]
    assert page["has_more"] is True
    cursor = page["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel=CHANNEL, limit=10, cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1", "m0"]
    assert rest["has_more"] is False


def test_update_delete_and_permalink(client: WebClient, standin: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel=CHANNEL, text="Old", blocks=[SECTION])
    updated = client.chat_update(channel=CHANNEL, ts=posted["ts"], text="New")
    assert updated["ts"] == posted["ts"]
    assert updated["message"]["text"] == "New"
    assert standin.messages(CHANNEL)[0].text == "New"
    assert standin.messages(CHANNEL)[0].blocks == [SECTION]  # left out: kept, as in Slack
    client.chat_update(channel=CHANNEL, ts=posted["ts"], text="Plain", blocks=[])
    assert standin.messages(CHANNEL)[0].blocks is None
    link = client.chat_getPermalink(channel=CHANNEL, message_ts=posted["ts"])["permalink"]
    assert link == f"https://standin.slack.com/archives/{CHANNEL}/p{posted['ts'].replace('.', '')}"
    expect_error("message_not_found", client.chat_update, channel=CHANNEL, ts="1.000001", text="x")
    client.chat_delete(channel=CHANNEL, ts=posted["ts"])
    assert standin.messages(CHANNEL) == []
    expect_error("message_not_found", client.chat_delete, channel=CHANNEL, ts=posted["ts"])


def test_only_the_bots_own_messages_can_be_changed(
    client: WebClient, standin: SlackStandIn
) -> None:
    theirs = standin.add_message(CHANNEL, "from a human", user=REP)
    expect_error("cant_update_message", client.chat_update, channel=CHANNEL, ts=theirs.ts, text="x")
    expect_error("cant_delete_message", client.chat_delete, channel=CHANNEL, ts=theirs.ts)


def test_ephemeral_messages(client: WebClient, standin: SlackStandIn) -> None:
    response = client.chat_postEphemeral(channel=CHANNEL, user=REP, text="Only you")
    assert response["message_ts"]
    assert [m.text for m in standin.ephemerals(REP)] == ["Only you"]
    assert standin.ephemerals(SE) == []
    assert standin.messages(CHANNEL) == []


def test_unknown_channel_and_no_text(client: WebClient, standin: SlackStandIn) -> None:
    expect_error("channel_not_found", client.chat_postMessage, channel="#general", text="x")
    expect_error("no_text", client.api_call, "chat.postMessage", json={"channel": CHANNEL})
    assert take_violations(standin, 1)[0].startswith("chat.postMessage: no_text")


def test_ts_values_are_unique_under_concurrency(client: WebClient, standin: SlackStandIn) -> None:
    def post(n: int) -> None:
        client.chat_postMessage(channel=CHANNEL, text=str(n))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps = [m.ts for m in standin.messages(CHANNEL)]
    assert len(set(stamps)) == 20
    assert stamps == sorted(stamps)


# ---- users, conversations -------------------------------------------------------------


def test_users_info(client: WebClient, standin: SlackStandIn) -> None:
    standin.add_user(REP, "rita", tz="Europe/Berlin", real_name="Rita Rep")
    standin.add_user(SE, "sam")
    user = client.users_info(user=REP)["user"]
    assert user["id"] == REP
    assert user["name"] == "rita"
    assert user["real_name"] == user["profile"]["real_name"] == "Rita Rep"
    assert user["profile"]["display_name"] == "rita"
    assert (user["tz"], user["tz_offset"], user["tz_label"]) == (
        "Europe/Berlin",
        3600,
        "Central European Time",
    )
    assert user["is_bot"] is False
    assert user["deleted"] is False
    assert client.users_info(user=SE)["user"]["tz_offset"] == -5 * 3600  # November: EST
    expect_error("user_not_found", client.users_info, user="U0NOBODY1")


def test_conversations_open(client: WebClient, standin: SlackStandIn) -> None:
    first = client.conversations_open(users=REP)
    assert first["channel"] == {"id": standin.dm_channel(REP)}
    assert first["already_open"] is False
    again = client.conversations_open(users=REP, return_im=True)
    assert again["already_open"] is True
    assert again["channel"]["is_im"] is True
    assert again["channel"]["user"] == REP
    group = client.conversations_open(users=f"{REP},{SE}")["channel"]["id"]
    assert group.startswith("G")
    assert group == client.conversations_open(users=f"{SE},{REP}")["channel"]["id"]
    standin.add_user("U0GONE001", "gone", deleted=True)
    expect_error("user_disabled", client.conversations_open, users="U0GONE001")


# ---- views ----------------------------------------------------------------------------


def test_views_open_update_push(client: WebClient, standin: SlackStandIn) -> None:
    trigger = standin.new_trigger_id(REP)
    opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "handoff"
    assert opened["private_metadata"] == "deal-7"
    assert opened["root_view_id"] == opened["id"]
    stored = standin.views[opened["id"]]
    assert (stored.user_id, stored.callback_id, stored.hash) == (REP, "handoff", opened["hash"])
    expect_error("exchanged_trigger_id", client.views_open, trigger_id=trigger, view=MODAL)
    expect_error("invalid_trigger_id", client.views_open, trigger_id="nonsense", view=MODAL)
    expect_error("expired_trigger_id", client.views_open, trigger_id="1.2.abc", view=MODAL)

    changed = {**MODAL, "private_metadata": "deal-8"}
    updated = client.views_update(view_id=opened["id"], view=changed, hash=opened["hash"])
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["hash"] != opened["hash"]
    assert standin.views[opened["id"]].private_metadata == "deal-8"
    expect_error(
        "hash_conflict", client.views_update, view_id=opened["id"], view=MODAL, hash="1.old"
    )
    expect_error("not_found", client.views_update, view_id="V0NOTHERE", view=MODAL)

    pushed = client.views_push(trigger_id=standin.new_trigger_id(REP), view=MODAL)["view"]
    assert pushed["id"] != opened["id"]
    assert len(standin.views) == 2


def test_views_by_external_id(client: WebClient, standin: SlackStandIn) -> None:
    view = {**MODAL, "external_id": "handoff-7"}
    opened = client.views_open(trigger_id=standin.new_trigger_id(), view=view)["view"]
    client.views_update(external_id="handoff-7", view={**view, "callback_id": "other"})
    assert standin.views[opened["id"]].callback_id == "other"
    expect_error(
        "duplicate_external_id", client.views_open, trigger_id=standin.new_trigger_id(), view=view
    )


def test_views_publish(client: WebClient, standin: SlackStandIn) -> None:
    assert standin.home(REP) is None
    first = client.views_publish(user_id=REP, view=HOME)["view"]
    second = client.views_publish(user_id=REP, view=HOME, hash=first["hash"])["view"]
    assert first["id"] == second["id"]
    home = standin.home(REP)
    assert home is not None
    assert (home.type, home.blocks) == ("home", [SECTION])
    expect_error("hash_conflict", client.views_publish, user_id=REP, view=HOME, hash="1.x")
    form = client.api_call("views.publish", data={"user_id": SE, "view": json.dumps(HOME)})
    assert form["view"]["type"] == "home"


def test_invalid_views_are_violations(client: WebClient, standin: SlackStandIn) -> None:
    no_submit = {**MODAL, "submit": None}
    expect_error(
        "invalid_arguments", client.views_open, trigger_id=standin.new_trigger_id(), view=no_submit
    )
    long_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 30}}
    expect_error(
        "invalid_arguments", client.views_open, trigger_id=standin.new_trigger_id(), view=long_title
    )
    expect_error("invalid_arguments", client.views_publish, user_id=REP, view=MODAL)
    too_many = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    data = expect_error("invalid_arguments", client.views_publish, user_id=REP, view=too_many)
    assert "no more than 100 items" in data["response_metadata"]["messages"][0]
    assert len(take_violations(standin, 4)) == 4


# ---- wrong calls ----------------------------------------------------------------------


def test_unknown_method_is_a_violation(client: WebClient, standin: SlackStandIn) -> None:
    data = expect_error("unknown_method", client.api_call, "chat.postMesage", json={"text": "x"})
    assert data["response_metadata"]["messages"] == ["[ERROR] unknown method: chat.postMesage"]
    assert take_violations(standin, 1) == [
        "chat.postMesage: unknown_method: [ERROR] unknown method: chat.postMesage"
    ]


def test_unknown_argument_is_a_violation(client: WebClient, standin: SlackStandIn) -> None:
    data = expect_error(
        "invalid_arguments", client.chat_postMessage, channel=CHANNEL, text="x", colour="red"
    )
    assert data["response_metadata"]["messages"] == ["[ERROR] unknown argument: colour"]
    assert standin.messages(CHANNEL) == []
    call = standin.calls_to("chat.postMessage")[0]
    assert (call.ok, call.error) == (False, "invalid_arguments")
    assert take_violations(standin, 1)[0].startswith("chat.postMessage: invalid_arguments")


def test_missing_argument_is_a_violation(client: WebClient, standin: SlackStandIn) -> None:
    data = expect_error("invalid_arguments", client.api_call, "chat.update", json={"text": "x"})
    assert data["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel",
        "[ERROR] missing required field: ts",
    ]
    take_violations(standin, 1)


def test_a_json_body_to_a_form_only_method_is_a_violation(
    client: WebClient, standin: SlackStandIn
) -> None:
    posted = client.chat_postMessage(channel=CHANNEL, text="x")
    body = {"channel": CHANNEL, "message_ts": posted["ts"]}
    expect_error("invalid_arguments", client.api_call, "chat.getPermalink", json=body)
    assert client.api_call("chat.getPermalink", params=body)["ok"]
    take_violations(standin, 1)


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ([{"type": "section"}], "text or fields attribute must be specified"),
        ([{"type": "no_such_block"}], "unknown block type"),
        (
            [{"type": "divider", "colour": "red"}],
            "unsupported property [json-pointer:/blocks/0/colour]",
        ),
        ([{"type": "divider"}] * 51, "no more than 50 items"),
        (
            [{**SECTION, "block_id": "a"}, {**SECTION, "block_id": "a"}],
            "block_id 'a' already exists",
        ),
    ],
)
def test_invalid_blocks_are_violations(
    client: WebClient, standin: SlackStandIn, blocks: list[dict[str, Any]], message: str
) -> None:
    data = expect_error(
        "invalid_blocks", client.chat_postMessage, channel=CHANNEL, text="x", blocks=blocks
    )
    assert message in data["response_metadata"]["messages"][0]
    assert message in take_violations(standin, 1)[0]


def test_blocks_that_are_not_json(client: WebClient, standin: SlackStandIn) -> None:
    expect_error(
        "invalid_blocks_format",
        client.api_call,
        "chat.postMessage",
        data={"channel": CHANNEL, "text": "x", "blocks": "[{"},
    )
    take_violations(standin, 1)


# ---- injected failures ----------------------------------------------------------------


def test_rate_limit_answer_has_retry_after(standin: SlackStandIn) -> None:
    standin.fail_next("auth.test", retry_after=7)
    request = urllib.request.Request(  # noqa: S310 - a local http URL
        standin.api_url + "auth.test",
        data=b"",
        headers={"Authorization": f"Bearer {standin.bot_token}"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)  # noqa: S310
    assert raised.value.code == 429
    assert raised.value.headers["Retry-After"] == "7"
    assert json.loads(raised.value.read()) == {"ok": False, "error": "ratelimited"}


def test_a_rate_limited_post_is_retried_and_arrives_once(standin: SlackStandIn) -> None:
    client = WebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    standin.fail_next("chat.postMessage", retry_after=0)
    client.chat_postMessage(channel=CHANNEL, text="Once")
    assert [m.text for m in standin.messages(CHANNEL)] == ["Once"]
    calls = standin.calls_to("chat.postMessage")
    assert [(c.ok, c.status, c.injected) for c in calls] == [(False, 429, True), (True, 200, False)]


def test_a_server_error_is_retried(standin: SlackStandIn) -> None:
    client = WebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=2)],
    )
    standin.fail_next("chat.postMessage", status=500, times=2)
    client.chat_postMessage(channel=CHANNEL, text="Eventually")
    assert [m.text for m in standin.messages(CHANNEL)] == ["Eventually"]
    assert [c.status for c in standin.calls_to("chat.postMessage")] == [500, 500, 200]


def test_an_injected_error_answer(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", error="channel_not_found")
    expect_error("channel_not_found", client.chat_postMessage, channel=CHANNEL, text="x")
    assert client.chat_postMessage(channel=CHANNEL, text="x")["ok"]


# ---- response URLs --------------------------------------------------------------------


def test_response_urls(client: WebClient, standin: SlackStandIn) -> None:
    url = standin.new_response_url(CHANNEL, REP)
    assert url.startswith(f"http://127.0.0.1:{standin.port}/response/")
    response = WebhookClient(url).send(text="Only you", response_type="ephemeral")
    assert (response.status_code, response.body) == (200, "ok")
    assert WebhookClient(url).send(text="Everyone", response_type="in_channel").status_code == 200
    assert [m.text for m in standin.ephemerals(REP)] == ["Only you"]
    assert [m.text for m in standin.messages(CHANNEL)] == ["Everyone"]
    assert [r.payload["text"] for r in standin.responses] == ["Only you", "Everyone"]
    assert WebhookClient(url + "x").send(text="lost").status_code == 404


def test_response_url_replaces_and_deletes_the_original(
    client: WebClient, standin: SlackStandIn
) -> None:
    card = client.chat_postMessage(channel=CHANNEL, text="Card", blocks=[SECTION])
    url = standin.new_response_url(CHANNEL, REP, message_ts=card["ts"])
    WebhookClient(url).send(text="Accepted", replace_original=True)
    [message] = standin.messages(CHANNEL)
    assert (message.ts, message.text, message.blocks) == (card["ts"], "Accepted", None)
    WebhookClient(url).send(delete_original=True)
    assert standin.messages(CHANNEL) == []


def test_invalid_blocks_through_a_response_url(standin: SlackStandIn) -> None:
    url = standin.new_response_url(CHANNEL, REP)
    response = WebhookClient(url).send(text="x", blocks=[{"type": "section"}])
    assert (response.status_code, response.body) == (400, "invalid_blocks")
    assert take_violations(standin, 1)[0].startswith("response_url: invalid_blocks")


# ---- inspection helpers ---------------------------------------------------------------


def test_reset_keeps_users(client: WebClient, standin: SlackStandIn) -> None:
    standin.add_user(REP, "rita")
    client.chat_postMessage(channel=CHANNEL, text="x")
    standin.fail_next("auth.test")
    standin.reset()
    assert standin.calls == []
    assert standin.messages(CHANNEL) == []
    assert client.auth_test()["ok"]  # the pending failure is gone too
    assert client.users_info(user=REP)["ok"]


def test_wait_for_calls(client: WebClient, standin: SlackStandIn) -> None:
    timer = threading.Timer(0.05, lambda: client.chat_postMessage(channel=CHANNEL, text="later"))
    timer.start()
    calls = standin.wait_for_calls("chat.postMessage", timeout=5)
    timer.join()
    assert calls[0].args["text"] == "later"
    with pytest.raises(TimeoutError):
        standin.wait_for_calls("chat.delete", timeout=0.05)


# ---- signed requests, through a Bolt app ----------------------------------------------


def test_signatures() -> None:
    body = slash_command(
        command="/handoff",
        text="acme",
        user_id=REP,
        team_id="T0DEALCO1",
        channel_id=CHANNEL,
        trigger_id="1.2.abc",
        response_url="http://127.0.0.1/response/x",
    )
    headers = sign(SECRET, body)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    event = event_callback(team_id="T0DEALCO1", event={"type": "app_home_opened", "user": REP})
    event_headers = sign(SECRET, event.decode(), timestamp=1_700_000_000)
    assert event_headers["Content-Type"] == "application/json"
    assert event_headers["X-Slack-Request-Timestamp"] == "1700000000"
    assert event_headers["X-Slack-Signature"].startswith("v0=")


def test_request_shapes() -> None:
    body = slash_command(
        command="/handoff",
        text="acme corp",
        user_id=REP,
        team_id="T0DEALCO1",
        channel_id="D0DM00001",
        trigger_id="1.2.abc",
        response_url="http://r",
    )
    fields = dict(pair.split("=", 1) for pair in body.decode().split("&"))
    assert list(fields) == [
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    ]
    assert fields["channel_name"] == "directmessage"
    event = json.loads(event_callback(team_id="T0DEALCO1", event={"type": "app_mention"}))
    assert event["type"] == "event_callback"
    assert event["event_id"].startswith("Ev")
    assert event["authorizations"][0]["is_bot"] is True


def test_a_bolt_app_round_trip(standin: SlackStandIn) -> None:
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)
    seen: dict[str, Any] = {}

    @app.command("/handoff")
    def command(ack: Any, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        seen["text"] = body["text"]
        respond("Opening the form")
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    @app.action("accept")
    def accept(ack: Any, action: dict[str, Any], respond: Any) -> None:
        ack()
        seen["action"] = action
        respond(text="Accepted", replace_original=True)

    @app.view("handoff")
    def submitted(ack: Any, view: dict[str, Any]) -> None:
        ack()
        seen["values"] = view["state"]["values"]

    @app.event("app_mention")
    def mentioned(event: dict[str, Any], say: Any) -> None:
        say(f"Hi <@{event['user']}>")

    def dispatch(body: bytes) -> int:
        headers: dict[str, str | Sequence[str]] = dict(sign(SECRET, body))
        return app.dispatch(BoltRequest(body=body.decode(), headers=headers)).status

    team = standin.workspace.team_id
    assert (
        dispatch(
            slash_command(
                command="/handoff",
                text="acme",
                user_id=REP,
                team_id=team,
                channel_id=CHANNEL,
                trigger_id=standin.new_trigger_id(REP),
                response_url=standin.new_response_url(CHANNEL, REP),
            )
        )
        == 200
    )
    assert seen["text"] == "acme"
    assert [m.text for m in standin.ephemerals(REP)] == ["Opening the form"]
    [view] = standin.views.values()

    button = {
        "type": "actions",
        "block_id": "card",
        "elements": [
            {
                "type": "button",
                "action_id": "accept",
                "text": {"type": "plain_text", "text": "Accept"},
                "value": "deal-7",
            }
        ],
    }
    card = client.chat_postMessage(channel=SE, text="Card", blocks=[button])
    clicked = block_actions(
        user_id=SE,
        team_id=team,
        action_id="accept",
        value="deal-7",
        block_id="card",
        trigger_id=standin.new_trigger_id(SE),
        channel_id=card["channel"],
        message=card["message"],
        response_url=standin.new_response_url(card["channel"], SE, message_ts=card["ts"]),
    )
    assert dispatch(clicked) == 200
    assert seen["action"]["value"] == "deal-7"
    assert seen["action"]["text"]["text"] == "Accept"
    assert [m.text for m in standin.dm_messages(SE)] == ["Accepted"]

    values = {"need": {"text": {"type": "plain_text_input", "value": "A demo"}}}
    submission = view_submission(
        user_id=REP,
        team_id=team,
        view={**view.payload, "state": {"values": values}},
        trigger_id=standin.new_trigger_id(REP),
    )
    assert dispatch(submission) == 200
    assert seen["values"] == values

    mention = {
        "type": "app_mention",
        "user": REP,
        "text": f"<@{standin.workspace.bot_user_id}> hello",
        "ts": "1700000000.000100",
        "channel": CHANNEL,
        "event_ts": "1700000000.000100",
    }
    assert dispatch(event_callback(team_id=team, event=mention)) == 200
    assert standin.messages(CHANNEL)[-1].text == f"Hi <@{REP}>"
