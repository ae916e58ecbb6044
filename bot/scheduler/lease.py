"""A claim's lease, renewed while its worker is alive.

A claim is short (``nudges.CLAIM_LEASE``, a minute) so a dead worker's rows go out again
soon; a live worker with a slow batch keeps them by renewing every third of the lease.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.deps import Deps
from bot.services import nudges

log = logging.getLogger("dealcoach.sweep")


@contextmanager
def kept(deps: Deps, *, worker: str, ids: Collection[int], lease: timedelta) -> Iterator[None]:
    """Renew ``worker``'s claims on ``ids`` every third of ``lease`` until the block ends."""
    stop = threading.Event()
    every = max(lease.total_seconds() / 3, 0.05)

    def renew() -> None:
        while not stop.wait(every):
            try:
                with deps.transaction() as session:
                    nudges.renew(session=session, worker=worker, ids=ids, now=deps.clock.now())
            except SQLAlchemyError as exc:
                log.warning(
                    "could not renew the sweep's claims; another worker may take them over",
                    extra={"worker": worker, "error": type(exc).__name__},
                )

    thread = threading.Thread(target=renew, name="claim-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
