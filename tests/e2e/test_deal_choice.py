"""Which deal a command means, end to end: "did you mean", "New deal named …", bad names,
the typeahead's options and `/coach merge`, over HTTP against the stand-in.

Nothing is written before the person chooses: each test counts the rows first.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.db.models import Call, Deal, DealEvent, Handoff, Paraphrase
from bot.standin.store import Message
from tests.conftest import MANAGER, REP, SE1
from tests.e2e.conftest import Bot

pytestmark = pytest.mark.usefixtures("known_deals")

SAM = f"<@{SE1}|sam>"


def counts(bot: Bot) -> dict[str, int]:
    with bot.session_factory() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Deal, Handoff, Call, Paraphrase)
        }


def ask(bot: Bot, command: str, text: str, user: str = REP) -> Message:
    assert bot.slack.command(user, text, command=command).status == 200
    bot.settle()
    replies = bot.standin.ephemerals(user)
    assert replies, "no private reply"
    return replies[-1]


def shown(message: Message) -> str:
    return message.text + json.dumps(message.blocks or [], ensure_ascii=False)


def deal_of(bot: Bot, model: type[Handoff] | type[Call]) -> str:
    with bot.session_factory() as session:
        row = session.scalars(select(model)).one()
        return row.deal.name


def test_handoff_to_a_misspelt_deal_asks_and_writes_nothing_until_a_pick(bot: Bot) -> None:
    before = counts(bot)
    question = ask(bot, "/handoff", f"{SAM} Acme Crop: SSO with Okta fails for EU users")
    assert "Did you mean *Acme Corp*" in question.text
    assert counts(bot) == before  # nothing written before the choice
    bot.slack.click(REP, question, "deal_pick.0")
    bot.settle()
    assert deal_of(bot, Handoff) == "Acme Corp"
    assert counts(bot)["deal"] == before["deal"] and counts(bot)["handoff"] == 1


def test_a_new_deal_is_created_only_on_new_deal_named(bot: Bot) -> None:
    before = counts(bot)
    question = ask(bot, "/handoff", f"{SAM} Umbrella Health: the nightly export times out")
    assert "Is it a new one?" in question.text
    assert counts(bot) == before
    bot.slack.click(REP, question, "deal_create")
    bot.settle()
    assert deal_of(bot, Handoff) == "Umbrella Health"
    assert counts(bot)["deal"] == before["deal"] + 1


def test_precall_asks_then_schedules_for_the_deal_picked(bot: Bot) -> None:
    before = counts(bot)
    question = ask(bot, "/precall", f"Acme Crop tomorrow 10am with {SAM} demo")
    assert "Did you mean *Acme Corp*" in question.text
    assert counts(bot) == before
    bot.slack.click(REP, question, "deal_pick.0")
    bot.settle()
    assert deal_of(bot, Call) == "Acme Corp"
    assert "Scheduled" in bot.standin.ephemerals(REP)[-1].text


def test_a_name_written_another_way_is_the_same_deal_without_asking(bot: Bot) -> None:
    ask(bot, "/handoff", f"{SAM} ACME corp., inc: SSO with Okta fails")
    assert deal_of(bot, Handoff) == "Acme Corp"


def test_debrief_asks_then_opens_the_form_for_the_deal_picked(bot: Bot) -> None:
    question = ask(bot, "/debrief", "Glbex")
    assert "Did you mean *Globex*" in question.text
    assert not [v for v in bot.standin.views.values() if v.callback_id == "debrief"]
    bot.slack.click(REP, question, "deal_pick.0")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "debrief"]
    assert "Globex" in json.dumps(view.blocks)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("!!! ???", "no letters or digits"),
        ("A" * 300, "keep a deal's name under 150"),
    ],
)
def test_a_name_that_cannot_be_a_deal_says_how_to_write_it(bot: Bot, name: str, words: str) -> None:
    before = counts(bot)
    reply = ask(bot, "/precall", f"{name} tomorrow 10am")
    assert words in reply.text and "Acme Corp" in reply.text  # an example of a good name
    assert counts(bot) == before


def test_a_name_that_fits_forty_deals_asks_for_more_of_it(bot: Bot) -> None:
    with bot.session_factory.begin() as session:
        workspace_id = session.scalars(select(Deal.workspace_id)).first()
        for n in range(40):
            name = f"Northwind Region {n}"
            session.add(
                Deal(
                    workspace_id=workspace_id,
                    name=name,
                    name_key=name.casefold(),
                    created_at=bot.clock.now(),
                )
            )
    before = counts(bot)
    reply = ask(bot, "/handoff", f"{SAM} Northwind: SSO fails")
    assert "fits 40 deals" in reply.text and "Write more of the name" in reply.text
    assert counts(bot) == before


def test_coach_merge_moves_everything_after_the_manager_confirms(bot: Bot) -> None:
    bot.slack.click(
        REP, ask(bot, "/handoff", f"{SAM} Acme Crop Ltd Holdings: SSO fails"), "deal_create"
    )
    bot.settle()
    merge = '"Acme Crop Ltd Holdings" into "Acme Corp"'
    refused = ask(bot, "/coach", f"merge {merge}")
    assert "Only SE managers merge deals" in refused.text
    same = ask(bot, "/coach", 'merge "Acme Corp" into "Acme"', MANAGER)
    assert "the same deal" in same.text
    confirmation = ask(bot, "/coach", f"merge {merge}", MANAGER)
    assert "This moves 1 handoff" in confirmation.text
    assert deal_of(bot, Handoff) == "Acme Crop Ltd Holdings"  # nothing moved yet
    bot.slack.click(MANAGER, confirmation, "deal_merge_confirm")
    bot.settle()
    assert deal_of(bot, Handoff) == "Acme Corp"
    with bot.session_factory() as session:
        assert session.scalar(select(Deal).where(Deal.name == "Acme Crop Ltd Holdings")) is None
        (event,) = session.scalars(select(DealEvent)).all()
        assert event.actor.slack_user_id == MANAGER
    assert "Merged" in bot.standin.ephemerals(MANAGER)[-1].text


def test_coach_merge_written_wrong_says_how_to_write_it(bot: Bot) -> None:
    reply = ask(bot, "/coach", "merge Acme Corp Globex", MANAGER)
    assert 'Write it as `/coach merge "Acme Crop" into "Acme Corp"`' in reply.text


def test_the_debrief_deal_field_is_a_typeahead_answered_by_the_real_app(bot: Bot) -> None:
    with bot.session_factory.begin() as session:
        workspace_id = session.scalars(select(Deal.workspace_id)).first()
        for n in range(150):
            name = f"Northwind Region {n}"
            session.add(
                Deal(
                    workspace_id=workspace_id,
                    name=name,
                    name_key=name.casefold(),
                    created_at=bot.clock.now(),
                )
            )
    bot.slack.command(REP, "", command="/debrief")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "debrief"]
    globex = bot.slack.suggest(REP, view, "deal", "glob").choices
    assert [text for text, _ in globex] == ["Globex", "Create “glob”"]
    assert len(bot.slack.suggest(REP, view, "deal", "northwind").choices) == 100
    typo = bot.slack.suggest(REP, view, "deal", "acme crop").choices
    assert typo[0][0] == "Acme Corp" and typo[-1][0] == "Create “acme crop”"
    before = counts(bot)
    bot.slack.submit(
        REP,
        view,
        {"deal": globex[0][1], "paraphrase": "Finance loses three days closing the month."},
    )
    bot.settle()
    with bot.session_factory() as session:
        (paraphrase,) = session.scalars(select(Paraphrase)).all()
        assert paraphrase.deal.name == "Globex"
    assert counts(bot)["deal"] == before["deal"]


def test_precall_says_back_how_it_read_a_date_that_could_be_read_two_ways(bot: Bot) -> None:
    reply = ask(bot, "/precall", "Acme Corp 12/11 10am")  # 11 Dec or 12 Nov: the config decides
    assert "Scheduled" in reply.text and "read 12/11 as 11 Dec 2026 (month first)" in reply.text


def test_a_problem_too_long_to_wait_in_a_button_opens_the_form_filled_in(bot: Bot) -> None:
    import random

    pick = random.Random(10)
    problem = "".join(chr(pick.randrange(0x4E00, 0x9FFF)) for _ in range(1990))  # incompressible
    before = counts(bot)
    bot.slack.command(REP, f"{SAM} Acme Crop: {problem}")
    bot.settle()
    (view,) = bot.standin.views.values()
    fields = {b["block_id"]: b["element"] for b in view.blocks if b["type"] == "input"}
    assert fields["problem"]["initial_value"] == problem
    # The deal is the typeahead, left for the person to pick: "Acme Crop" is not a known
    # deal, so neither it nor a guess is filled in.
    assert fields["deal"]["type"] == "external_select"
    assert "initial_option" not in fields["deal"]
    assert counts(bot) == before
