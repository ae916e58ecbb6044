"""Retrying a CRM call that was rate limited, with backoff (tenacity).

An adapter turns the vendor's "slow down" answer into :class:`RateLimited`, carrying the
wait the vendor asked for when it said one; anything else is not retried here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bot.crm.model import CrmRateLimited

T = TypeVar("T")
log = logging.getLogger("dealcoach.crm")

#: How an adapter waits; tests pass one that records the waits instead of sleeping.
Sleep = Callable[[float], None]


class RateLimited(Exception):
    """The CRM said to slow down; ``wait`` is its own hint in seconds, when it gave one."""

    def __init__(self, wait: float | None = None) -> None:
        super().__init__("rate limited")
        self.wait = wait


class Backoff:
    """Calls a function until it is not rate limited, at most ``max_attempts`` times."""

    def __init__(
        self, *, vendor: str, max_attempts: int, max_wait: float, sleep: Sleep = time.sleep
    ) -> None:
        self.vendor = vendor
        self.max_attempts = max_attempts
        self.max_wait = max_wait
        self.sleep = sleep
        self._exponential = wait_exponential_jitter(initial=1, max=max_wait, jitter=1)

    def _wait(self, state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        hint = failure.wait if isinstance(failure, RateLimited) else None
        if hint is not None:
            return min(max(hint, 0.0), self.max_wait)
        return float(self._exponential(state))

    def _log_wait(self, state: RetryCallState) -> None:
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "%s rate limited us; trying again in %.1f s",
            self.vendor,
            wait,
            extra={"vendor": self.vendor, "attempt": state.attempt_number, "wait_seconds": wait},
        )

    def call(self, function: Callable[[], T]) -> T:
        retrying = Retrying(
            retry=retry_if_exception_type(RateLimited),
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            sleep=self.sleep,
            before_sleep=self._log_wait,
            reraise=True,
        )
        try:
            return retrying(function)
        except RateLimited:
            raise CrmRateLimited(self.vendor, self.max_attempts) from None
