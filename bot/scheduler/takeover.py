"""Taking over a dead worker's claim: look in Slack before sending again."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.scheduler import delivered

if TYPE_CHECKING:
    from bot.scheduler.jobs import Sweeper, SweepReport, _Ready

log = logging.getLogger("dealcoach.sweep")


def settle(
    sweeper: Sweeper,
    ready: dict[tuple[str, str], list[_Ready]],
    taken_over: frozenset[int],
    report: SweepReport,
) -> None:
    """Rows taken over from a dead worker may be in Slack already: look before sending.

    Each is looked for where it would go, and in its recipient's DM (it may have gone out
    in a digest). Found: marked sent and dropped from ``ready``. History unreadable (no
    scope): sent as usual. Slack unreachable: retried later rather than sent blind.
    """
    places: dict[tuple[str, str, str | None], list[_Ready]] = defaultdict(list)
    for (team, recipient), items in ready.items():
        for item in items:
            if item.work_id not in taken_over:
                continue
            where = (team, item.delivery.channel, item.delivery.thread_ts)
            places[where].append(item)
            if not item.delivery.punctual and where != (team, recipient, None):
                places[(team, recipient, None)].append(item)
    found: set[int] = set()
    unsure: dict[int, str] = {}
    for (team, channel, thread_ts), items in places.items():
        try:
            client = sweeper.client_for(team)
            found |= delivered.delivered_ids(client, channel=channel, thread_ts=thread_ts)
        except delivered.HistoryUnreadable as exc:
            log.warning(
                "cannot read a conversation to check for a dead worker's nudge; sending it",
                extra={"channel": channel, "error": str(exc)},
            )
        except (SlackApiError, SlackClientError) as exc:
            unsure.update((item.work_id, delivered.describe(exc)) for item in items)
    found &= taken_over
    everything = [item for items in ready.values() for item in items]
    recovered = [item for item in everything if item.work_id in found]
    retry = [item for item in everything if item.work_id in unsure and item.work_id not in found]
    for key, items in ready.items():
        ready[key] = [item for item in items if item.work_id not in found | set(unsure)]
    if recovered:
        log.info(
            "a dead worker's nudges had reached Slack; marked sent, not sent again",
            extra={"due_work_ids": sorted(found)},
        )
        sweeper._sent(recovered, report, recovered=True)
    if retry:
        sweeper._failed(retry, SlackClientError(next(iter(unsure.values()))), report)
