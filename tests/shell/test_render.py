"""The terminal's reading of Block Kit: mrkdwn as text, numbered buttons, modals as fields."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.blocks import handoff as handoff_blocks
from bot.blocks.home import HandoffRow, Line, Section, home_view, settings_section
from bot.db.models import Deal, Handoff, HandoffEvent, HandoffEventKind, HandoffState, Person
from bot.domain.deal_context import DealContext
from bot.shell.render import (
    Choice,
    FormField,
    form_fields,
    mrkdwn_to_text,
    render_blocks,
    render_message,
    view_submit_label,
    view_title,
)
from bot.slack.metadata import NewHandoff

NAMES = {"U0REP0001": "riley", "U0SE00001": "sam"}
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, **extra}


def button(label: str, action_id: str, value: str | None = None, **extra: Any) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(label), "action_id": action_id}
    if value is not None:
        element["value"] = value
    return {**element, **extra}


def make(state: HandoffState = HandoffState.OPEN, problem: str = "SSO <fails> & more") -> Handoff:
    """A transient handoff, as tests/blocks/test_handoff_blocks.py builds one."""
    return Handoff(
        id=12,
        deal=Deal(name="Acme Corp"),
        rep=Person(slack_user_id="U0REP0001", display_name="Riley"),
        assignee=Person(slack_user_id="U0SE00001", display_name="Sam"),
        state=state,
        problem=problem,
        business_impact="200 people locked out",
        tried="Re-uploaded metadata",
        deadline=date(2026, 11, 27),
        deal_value=1500,
        rep_hours=8,
        created_at=NOW,
    )


def reads_clean(lines: list[str]) -> str:
    """The lines as one text, with no Slack markup left in it."""
    text = "\n".join(lines)
    for raw in ("<@", "<#", "<!", "&lt;", "&gt;", "&amp;", "*The", "_open"):
        assert raw not in text, (raw, text)
    return text


# --- mrkdwn -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # mentions
        ("<@U0SE00001> accepted", "@sam accepted"),
        ("<@U0SE00001|someone> accepted", "@sam accepted"),  # the name map wins
        ("<@U999|dana> and <@U998>", "@dana and @U998"),
        ("<@W123ABC|@ann>", "@ann"),
        ("<#C123|general> and <#C456>", "#general and #C456"),
        ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
        ("<!subteam^S123|@se-team> look", "@se-team look"),
        ("<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014"),
        # links
        ("See <https://example.com/a|the doc>.", "See the doc (https://example.com/a)."),
        ("See <https://example.com/a>.", "See https://example.com/a."),
        ("<https://x.io/?a=1&amp;b=2|A &amp; B>", "A & B (https://x.io/?a=1&b=2)"),
        ("<mailto:sam@acme.com|sam@acme.com>", "sam@acme.com"),
        ("<https://x.io|https://x.io>", "https://x.io"),
        # escapes: unescaped after markup, so escaped text stays literal
        ("SSO &lt;fails&gt; &amp; more", "SSO <fails> & more"),
        ("&lt;@U0SE00001&gt; is text", "<@U0SE00001> is text"),
        ("&lt;https://x.io|y&gt;", "<https://x.io|y>"),
        ("&amp;lt; stays", "&lt; stays"),
        ("R&D &copy &notes", "R&D &copy &notes"),  # only Slack's three escapes
        # emphasis
        ("*Deadline* Fri 27 Nov", "Deadline Fri 27 Nov"),
        ("Status: *Open*", "Status: Open"),
        ("_open, due in 3h_", "open, due in 3h"),
        ("~old~ new", "old new"),
        ("*_both at once_*", "both at once"),
        ("*#12 <@U0REP0001>* · open", "#12 @riley · open"),
        ("5 * 3 * 2 = 30", "5 * 3 * 2 = 30"),
        ("2*3*4", "2*3*4"),
        ("a_snake_case_name", "a_snake_case_name"),
        ("* not bold *", "* not bold *"),
        ("*one\ntwo*", "*one\ntwo*"),  # emphasis does not span lines
        ("*From* <@U0REP0001> · *To* <@U0SE00001>", "From @riley · To @sam"),
        # code is kept as written
        ("Try `/handoff list` now", "Try `/handoff list` now"),
        ("`*not bold* :wave:`", "`*not bold* :wave:`"),
        ("```a *b*\n_c_```", "```a *b*\n_c_```"),
        ("`a &lt; b`", "`a < b`"),
        # quotes
        (">SSO fails", "│ SSO fails"),
        ("> SSO fails", "│ SSO fails"),
        ("*Problem*\n>line one\n>line two", "Problem\n│ line one\n│ line two"),
        ("&gt; not a quote", "> not a quote"),
        ("a > b", "a > b"),
        (">>> all\nof this", "│ all\n│ of this"),
        # emoji
        (":handshake: Done", "🤝 Done"),
        (":warning: :white_check_mark: :wave: :bell:", "⚠️ ✅ 👋 🔔"),
        (":joy: stays", ":joy: stays"),
        ("10:30:00", "10:30:00"),
        # newlines survive
        ("one\n\ntwo", "one\n\ntwo"),
    ],
)
def test_mrkdwn_to_text(text: str, expected: str) -> None:
    assert mrkdwn_to_text(text, NAMES) == expected


# --- blocks -----------------------------------------------------------------------------------


def test_header_is_underlined_to_its_length() -> None:
    lines, choices = render_blocks([{"type": "header", "text": plain("Deals &amp; more")}], {})
    assert lines == ["Deals & more", "────────────"]
    assert choices == []


def test_section_text_wraps_and_keeps_newlines_and_quote_bars() -> None:
    text = "*Problem*\n>" + "word " * 30 + "\nafter"
    lines, _ = render_blocks([{"type": "section", "text": mrkdwn(text)}], {}, width=40)
    assert lines[0] == "Problem"
    quoted = lines[1:-1]
    assert len(quoted) > 1 and all(line.startswith("│ word") for line in quoted)
    assert all(len(line) <= 40 for line in lines)
    assert lines[-1] == "after"


def test_wrapped_bullets_hang_and_long_urls_stay_whole() -> None:
    url = "https://example.com/" + "x" * 60
    text = "• " + "item " * 12 + "\n" + url
    lines, _ = render_blocks([{"type": "section", "text": mrkdwn(text)}], {}, width=30)
    assert lines[0].startswith("• item") and lines[1].startswith("  item")
    assert lines[-1] == url


def test_section_fields_pair_short_ones_and_read_label_colon_value() -> None:
    block = {
        "type": "section",
        "fields": [
            mrkdwn("*Deal*\nAcme Corp"),
            mrkdwn("*Owner*\n<@U0REP0001>"),
            mrkdwn("*Problem*\n" + "long " * 20),
            plain("Plain field"),
        ],
    }
    lines, _ = render_blocks([block], NAMES, width=60)
    assert lines[0].startswith("  Deal: Acme Corp") and lines[0].endswith("Owner: @riley")
    assert lines[1].startswith("  Problem: long long")
    assert lines[-1] == "  Plain field"
    assert all(len(line) <= 60 for line in lines)


def test_section_with_text_and_accessory_button() -> None:
    block = {
        "type": "section",
        "block_id": "home_handoff_7",
        "text": mrkdwn("*#7 Acme* · from <@U0REP0001>"),
        "accessory": button("Accept", "handoff_accept", "7"),
    }
    lines, choices = render_blocks([block], NAMES, first_choice=4)
    assert lines == ["#7 Acme · from @riley", "  [4] Accept"]
    assert choices == [Choice(4, "Accept", "handoff_accept", "home_handoff_7", "7")]


def test_context_joins_elements() -> None:
    block = {
        "type": "context",
        "elements": [
            mrkdwn("Status: *Open*"),
            plain("3h old"),
            {"type": "image", "image_url": "https://x.io/a.png", "alt_text": "logo"},
        ],
    }
    lines, _ = render_blocks([block], {})
    assert lines == ["  Status: Open · 3h old · [image: logo]"]


def test_actions_number_buttons_from_first_choice() -> None:
    block = {
        "type": "actions",
        "block_id": "handoff_actions_12",
        "elements": [
            button("Accept", "handoff_accept", "12", style="primary"),
            button("Ask for detail", "handoff_ask_detail", "12"),
            button("Decline", "handoff_decline", "12", style="danger"),
        ],
    }
    lines, choices = render_blocks([block], {})
    assert lines == ["  [1] Accept   [2] Ask for detail   [3] Decline"]
    assert [(c.number, c.action_id, c.value) for c in choices] == [
        (1, "handoff_accept", "12"),
        (2, "handoff_ask_detail", "12"),
        (3, "handoff_decline", "12"),
    ]
    _, later = render_blocks([block, block], {}, first_choice=5)
    assert [c.number for c in later] == [5, 6, 7, 8, 9, 10]


def test_actions_with_a_valueless_button_a_link_button_and_a_select() -> None:
    block = {
        "type": "actions",
        "elements": [
            button("Settings", "coach_settings"),
            button("Docs", "docs", url="https://x.io"),
            {"type": "static_select", "action_id": "pick", "placeholder": plain("Pick one")},
        ],
    }
    lines, choices = render_blocks([block], {})
    assert lines == ["  [1] Settings   [2] Docs (https://x.io)   [static_select: Pick one]"]
    assert choices[0] == Choice(1, "Settings", "coach_settings", "", None)


def test_many_buttons_wrap_onto_more_lines() -> None:
    block = {"type": "actions", "elements": [button(f"Option {n}", f"a{n}") for n in range(8)]}
    lines, choices = render_blocks([block], {}, width=40)
    assert len(lines) > 1 and all(len(line) <= 40 and line.startswith("  [") for line in lines)
    assert len(choices) == 8


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"type": "divider"}, "─" * 40),
        (
            {"type": "image", "image_url": "https://x.io/c.png", "alt_text": "chart"},
            "[image: chart]",
        ),
        ({"type": "video", "title": plain("demo")}, "[video block]"),
        ({"type": "rich_text", "elements": []}, "[rich_text block]"),
    ],
)
def test_single_line_blocks(block: dict[str, Any], expected: str) -> None:
    assert render_blocks([block], {}) == ([expected], [])


@pytest.mark.parametrize(
    ("element", "shown"),
    [
        ({"type": "plain_text_input", "action_id": "a"}, ""),
        ({"type": "plain_text_input", "action_id": "a", "initial_value": "Acme"}, "Acme"),
        ({"type": "datepicker", "action_id": "a", "initial_date": "2026-11-27"}, "2026-11-27"),
        ({"type": "number_input", "is_decimal_allowed": False, "initial_value": "8"}, "8"),
        ({"type": "users_select", "action_id": "a", "initial_user": "U0SE00001"}, "@sam"),
        ({"type": "users_select", "action_id": "a", "initial_user": "U777"}, "@U777"),
        (
            {
                "type": "static_select",
                "options": [{"text": plain("Weekly"), "value": "w"}],
                "initial_option": {"text": plain("Weekly"), "value": "w"},
            },
            "Weekly",
        ),
    ],
)
def test_input_blocks_list_label_and_initial_value(element: dict[str, Any], shown: str) -> None:
    block = {"type": "input", "block_id": "b", "label": plain("Field"), "element": element}
    lines, choices = render_blocks([block], NAMES)
    assert lines == [f"  Field: {shown}".rstrip()]
    assert choices == []


def test_plain_text_shows_emoji_codes() -> None:
    lines, _ = render_blocks([{"type": "header", "text": plain(":wave: Hi", emoji=True)}], {})
    assert lines[0] == "👋 Hi"


def test_render_message_uses_blocks_else_text() -> None:
    blocks = [{"type": "section", "text": mrkdwn("From blocks")}]
    assert render_message("fallback", blocks, {}) == (["From blocks"], [])
    lines, choices = render_message("*Hi* <@U0SE00001>\n>quoted", None, NAMES)
    assert lines == ["Hi @sam", "│ quoted"] and choices == []
    assert render_message("*Hi*", [], {})[0] == ["Hi"]
    long_lines, _ = render_message("word " * 40, None, {}, width=30)
    assert len(long_lines) > 1 and all(len(line) <= 30 for line in long_lines)


# --- modals -----------------------------------------------------------------------------------


def test_form_fields_kinds_initials_and_options() -> None:
    options = [
        {"text": plain("Daily &amp; more"), "value": "d"},
        {"text": mrkdwn("*Weekly*"), "value": "w"},
    ]
    view = {
        "type": "modal",
        "title": plain("Settings"),
        "blocks": [
            {"type": "section", "text": mrkdwn("Intro")},
            {
                "type": "input",
                "block_id": "b1",
                "label": plain("Name"),
                "hint": plain("Your name"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "a1",
                    "placeholder": plain("Sam"),
                },
            },
            {
                "type": "input",
                "block_id": "b2",
                "optional": True,
                "label": plain("Often"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": "a2",
                    "options": options,
                    "initial_option": options[1],
                },
            },
            {
                "type": "input",
                "block_id": "b3",
                "label": plain("Pick"),
                "element": {
                    "type": "static_select",
                    "action_id": "a3",
                    "option_groups": [{"label": plain("G"), "options": options}],
                },
            },
        ],
    }
    fields = form_fields(view)
    labels = (("d", "Daily & more"), ("w", "Weekly"))
    assert fields == [
        FormField("b1", "a1", "Name", "text", False, None, "Your name", (), "Sam"),
        FormField("b2", "a2", "Often", "select", True, "w", None, labels, None),
        FormField("b3", "a3", "Pick", "select", False, None, None, labels, None),
    ]
    assert view_title(view) == "Settings"
    assert view_submit_label(view) == "Submit"


def test_new_handoff_modal_fields() -> None:
    view = handoff_blocks.new_handoff_modal(
        private_metadata=NewHandoff(channel_id="C1"),
        deal="Acme Corp",
        deal_id=7,
        assignee="U0SE00001",
        deadline=date(2026, 11, 27),
    )
    fields = form_fields(view)
    assert [(f.block_id, f.kind, f.optional) for f in fields] == [
        ("deal", "lookup", False),
        ("problem", "multiline", False),
        ("business_impact", "multiline", True),
        ("tried", "multiline", True),
        ("deadline", "date", True),
        ("deal_value", "text", True),
        ("rep_hours", "number", True),
        ("assignee", "user", True),
    ]
    by_id = {f.block_id: f for f in fields}
    assert all(f.action_id == f.block_id for f in fields)
    assert by_id["deal"].initial == "deal:7" and by_id["deal"].placeholder == "Customer name"
    assert by_id["problem"].initial is None
    assert by_id["deadline"].initial == "2026-11-27"
    assert by_id["assignee"].initial == "U0SE00001"
    assert by_id["assignee"].hint == "Leave empty to route it to the SE on your team who fits best."
    assert by_id["problem"].label == "The customer's problem, in their words"
    assert view_title(view) == "Hand off to an SE"
    assert view_submit_label(view) == "Hand off"

    lines, choices = render_blocks(view["blocks"], NAMES)  # type: ignore[arg-type]
    text = reads_clean(lines)
    assert lines[0].startswith("Give the SE the customer's view")
    assert "  Deal: Acme Corp" in lines and "  Deadline: 2026-11-27" in lines
    assert "  Sales engineer: @sam" in lines and "  Business impact:" in lines
    assert "*" not in text and choices == []


# --- the bot's real messages and views --------------------------------------------------------


def test_assignee_card_reads_well() -> None:
    context = DealContext(
        gaps=("Economic buyer met: unknown", "Budget <unconfirmed>"),
        paraphrase="They need SSO for EU staff",
        history=(
            HandoffEvent(
                kind=HandoffEventKind.OPENED, at=NOW, actor=Person(slack_user_id="U0REP0001")
            ),
            HandoffEvent(
                kind=HandoffEventKind.DETAIL_REQUESTED,
                at=NOW + timedelta(hours=1),
                actor=Person(slack_user_id="U0SE00001"),
            ),
        ),
    )
    text, blocks = handoff_blocks.assignee_card(make(), context)
    lines, choices = render_message(text, blocks, NAMES)
    out = reads_clean(lines)
    assert lines[0] == "Handoff #12 · Acme Corp"
    assert lines[1] == "─" * len(lines[0])
    assert "From @riley · To @sam · Deadline Fri 27 Nov 2026 · Deal value $1,500" in lines
    assert "The customer's problem" in lines and "│ SSO <fails> & more" in lines
    assert "│ 200 people locked out" in lines and "│ Re-uploaded metadata" in lines
    assert "│ They need SSO for EU staff" in lines
    assert "• Budget <unconfirmed>" in lines
    assert "  Status: Open, waiting for the SE to accept" in lines
    assert "  Mon 23 Nov 09:00 · opened by @riley" in lines
    assert lines[-1] == "  [1] Accept   [2] Ask for detail   [3] Decline"
    assert [c.action_id for c in choices] == [
        "handoff_accept",
        "handoff_ask_detail",
        "handoff_decline",
    ]
    assert {c.value for c in choices} == {"12"} and {c.block_id for c in choices} == {
        "handoff_actions_12"
    }
    assert "U0REP0001" not in out and "U0SE00001" not in out


def test_accepted_card_numbers_continue() -> None:
    text, blocks = handoff_blocks.assignee_card(make(HandoffState.ACCEPTED))
    lines, choices = render_message(text, blocks, NAMES, first_choice=4)
    assert lines[-1] == "  [4] Mark resolved   [5] Ask for detail   [6] Reassign"
    assert [c.number for c in choices] == [4, 5, 6]


def test_rep_confirmation_and_nudge_read_well() -> None:
    from bot.coaching.expert_trap import assess
    from bot.config import RevenueProfile

    trap = assess(hours=8, deal_value=1500, profile=RevenueProfile(), threshold=3)
    lines, choices = render_message(*handoff_blocks.rep_confirmation(make(), trap), NAMES)
    out = reads_clean(lines)
    assert out.startswith("🤝 Handoff #12 for Acme Corp is with @sam.") and choices == []
    assert "$12,500" in out

    lines, choices = render_message(
        *handoff_blocks.acknowledge_nudge(make(), business_hours=4), NAMES
    )
    out = reads_clean(lines)
    assert "A gentle nudge: @riley has been waiting about 4 business hours" in out
    assert [c.label for c in choices] == ["Accept", "Ask for detail", "Decline"]


def test_home_view_reads_well() -> None:
    def row(number: int, as_se: bool) -> HandoffRow:
        handoff = make()
        handoff.id = number
        return HandoffRow(handoff, "open, answer due in 3h", as_se=as_se)

    sections = [
        Section("as_se", "Assigned to you", [row(n, True) for n in range(1, 8)], "none"),
        Section("as_rep", "Handed off by you", [row(20, False)], "none"),
        Section("gaps", "Gaps", [Line("*Acme Corp*: no champion &amp; no budget")], "none"),
        Section(
            "calls", "Calls", [], "No calls scheduled.", extra=settings_section("Digest at 9:00")
        ),
    ]
    view = home_view(sections, now=NOW)
    lines, choices = render_blocks(view["blocks"], NAMES)
    out = reads_clean(lines)
    assert lines[:2] == ["Your deals in flight", "─" * len("Your deals in flight")]
    assert "─" * 40 in lines and "Assigned to you" in lines and "Handed off by you" in lines
    assert "#1 Acme Corp · from @riley · 0h old · open, answer due in 3h" in lines
    assert "#20 Acme Corp · with @sam · 0h old · open, answer due in 3h" in lines
    assert "│" not in out  # problems on the Home tab are plain lines, not quotes
    assert "Acme Corp: no champion & no budget" in lines
    assert "  No calls scheduled." in lines and "  …and 2 more" in lines
    assert "  Digest at 9:00" in lines
    labels = [(c.number, c.label) for c in choices]
    assert labels[:5] == [(n, "Accept") for n in range(1, 6)]
    assert labels[5:] == [(6, "Change my settings"), (7, "Show more")]
    assert "  [1] Accept" in lines and "  [7] Show more" in lines
    assert choices[0].block_id == "home_handoff_1" and choices[0].value == "1"
