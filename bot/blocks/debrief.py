"""Block Kit for `/debrief`: the modal, the review the rep sees, the SE's Confirm / Correct card.

Pure functions: data in, Slack JSON out; every builder validates with slack_sdk's models.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.common import Blocks, clip, escape, mention, quote, to_dicts
from bot.blocks.deals import deal_field
from bot.coaching.paraphrase import Finding, Review
from bot.db.models import Paraphrase
from bot.domain.limits import PARAPHRASE_TEXT_MAX as TEXT_MAX
from bot.services.deals import DealOption
from bot.slack.ids import Action, Callback, Field, PerItem, per_item
from bot.slack.metadata import Correction, Debrief

Message = tuple[str, Blocks]


def _parsed(block: dict[str, Any]) -> Block:
    parsed = Block.parse(block)
    assert parsed is not None  # deal_field always builds a valid input block
    return parsed


def debrief_modal(
    *,
    deal: str | None,
    text: str | None,
    se: str | None,
    call_id: int | None,
    response_url: str | None = None,
    deal_id: int | None = None,
) -> dict[str, object]:
    """The paraphrase form: the deal (a typeahead, filled in when ``deal_id`` is known), the
    customer's problem in the rep's words, the SE."""
    metadata = Debrief(call_id=call_id, response_url=response_url)
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="Write the customer's top problems the way you'd say them back to "
                "them: what hurts, what it costs them, and why now. Leave our product out. "
                "About 30 seconds aloud is plenty."
            )
        ),
        _parsed(
            deal_field(initial=DealOption(deal_id, deal) if deal_id is not None and deal else None)
        ),
        InputBlock(
            block_id=Field.PARAPHRASE.value,
            label="The customer's problem, in your words",
            hint="Each version you submit is kept; you can revise after the check.",
            element=PlainTextInputElement(
                action_id=Field.PARAPHRASE.value,
                placeholder="Finance loses three days closing every month by hand, and the "
                "auditors arrive in March.",
                initial_value=text or None,
                multiline=True,
                max_length=TEXT_MAX,
            ),
        ),
        InputBlock(
            block_id=Field.SE.value,
            label="SE who confirms it",
            optional=True,
            hint="The SE on the call. They'll be asked to confirm or correct it.",
            element=UserSelectElement(
                action_id=Field.SE.value, placeholder="Pick the SE", initial_user=se
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=Callback.DEBRIEF.value,
        title=PlainTextObject(text="Debrief the call"),
        submit=PlainTextObject(text="Check it"),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
        private_metadata=metadata.to_json(),
    )
    view.validate_json()
    return view.to_dict()


def _finding_line(finding: Finding) -> str:
    quoted = ", ".join(f"“{escape(q)}”" for q in finding.quotes[:4])
    head = f"• *{escape(finding.summary)}*" + (f" {quoted}" if quoted else "")
    return f"{head}\n    {escape(finding.advice)}"


def review_message(version: Paraphrase, review: Review) -> Message:
    """To the rep: the score, each finding with the words that triggered it, what to do."""
    deal = escape(version.deal.name)
    text = f"Your paraphrase for {deal} (v{version.version}) scores {review.score}/100"
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{text}.* {review.verdict}\n" + quote(clip(version.text, 2000))
            )
        ),
    ]
    if review.findings:
        lines = "\n".join(_finding_line(finding) for finding in review.findings)
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=clip(f"*What to change*\n{lines}", 2900)))
        )
    if review.strengths:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=clip(
                            "Already good: " + " ".join(escape(s) for s in review.strengths), 2000
                        )
                    )
                ]
            )
        )
    buttons = [
        ButtonElement(
            text="Revise",
            action_id=Action.DEBRIEF_REVISE.value,
            value=str(version.id),
        )
    ]
    if version.se is not None:
        buttons.append(
            ButtonElement(
                text=f"Send to {version.se.display_name or 'the SE'}"[:75],
                action_id=Action.DEBRIEF_SEND.value,
                value=str(version.id),
                style="primary" if review.score >= 60 else None,
            )
        )
    else:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="No SE named: revise it and pick the SE from the call, so they "
                        "can confirm it."
                    )
                ]
            )
        )
    blocks.append(
        ActionsBlock(block_id=per_item(PerItem.DEBRIEF_REVIEW, version.id), elements=buttons)
    )
    return text, to_dicts(blocks)


def sent_note(version: Paraphrase, review: Review) -> Message:
    """The rep's review message once the version went to the SE (no more buttons)."""
    text, blocks = review_message(version, review)
    se = mention(version.se.slack_user_id) if version.se else "the SE"
    blocks = [b for b in blocks if b.get("type") != "actions"]
    blocks.extend(
        to_dicts(
            [
                ContextBlock(
                    elements=[
                        MarkdownTextObject(
                            text=f"Sent to {se} to confirm. `/debrief {escape(version.deal.name)}` "
                            "starts a new version."
                        )
                    ]
                )
            ]
        )
    )
    return text, blocks


def se_card(version: Paraphrase) -> Message:
    """To the SE: is this the customer's problem as you heard it?"""
    rep = mention(version.author.slack_user_id)
    deal = escape(version.deal.name)
    text = f"{rep} put the customer's problem on {deal} in their own words. Is it what you heard?"
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text + "\n" + quote(version.text))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Version {version.version} · scored {version.score}/100 by the "
                    "paraphrase check. Once confirmed it shows on every handoff and pre-call "
                    "DM for this deal."
                )
            ]
        ),
        *_se_actions(version),
    ]
    return text, to_dicts(blocks)


def se_card_answered(version: Paraphrase, se_slack_id: str) -> Message:
    """The SE's card after they answered: the verdict instead of the buttons."""
    verb = "Corrected" if version.correction else "Confirmed"
    line = (
        f"{verb} by {mention(se_slack_id)}. It now shows on every handoff and pre-call DM "
        "for this deal."
    )
    text, blocks = se_card(version)
    blocks = [b for b in blocks if b.get("type") != "actions"]
    blocks.extend(to_dicts([ContextBlock(elements=[MarkdownTextObject(text=line)])]))
    return text, blocks


def _se_actions(version: Paraphrase) -> list[Block]:
    if version.confirmed_at is not None:
        return []
    return [
        ActionsBlock(
            block_id=per_item(PerItem.DEBRIEF_CONFIRM, version.id),
            elements=[
                ButtonElement(
                    text="Confirm",
                    action_id=Action.DEBRIEF_CONFIRM.value,
                    value=str(version.id),
                    style="primary",
                ),
                ButtonElement(
                    text="Correct",
                    action_id=Action.DEBRIEF_CORRECT.value,
                    value=str(version.id),
                ),
            ],
        )
    ]


def verdict_line(version: Paraphrase, se_slack_id: str) -> str:
    """One line for the rep (and the SE's card) once the SE answered."""
    deal = escape(version.deal.name)
    if version.correction:
        return (
            f"{mention(se_slack_id)} corrected your paraphrase for {deal}; their version is now "
            "the deal's confirmed problem:\n" + quote(version.correction)
        )
    return (
        f"{mention(se_slack_id)} confirmed your paraphrase for {deal}. It now shows on "
        "every handoff and pre-call DM for the deal."
    )


def correct_modal(version: Paraphrase) -> dict[str, object]:
    """For the SE: the problem as they heard it, starting from the rep's words."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{escape(version.deal.name)}*: write the customer's problem as you heard "
                "it. Your version becomes the deal's confirmed problem, and the rep sees it."
            )
        ),
        InputBlock(
            block_id=Field.CORRECTION.value,
            label="The customer's problem",
            element=PlainTextInputElement(
                action_id=Field.CORRECTION.value,
                initial_value=version.text,
                multiline=True,
                max_length=TEXT_MAX,
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=Callback.DEBRIEF_CORRECT.value,
        title=PlainTextObject(text="Correct the problem"),
        submit=PlainTextObject(text="Save correction"),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
        private_metadata=Correction(paraphrase_id=version.id).to_json(),
    )
    view.validate_json()
    return view.to_dict()


HELP_TEXT = (
    "*Put the customer's problem in your own words after a call*\n"
    "• `/debrief Acme Corp` — write it, get it checked, send it to your SE to confirm\n"
    "The check looks for a missing customer problem, solution talk, “no problem”, we-talk, "
    "jargon, a missing business impact or why-now, and length. Each version you submit is kept."
)
