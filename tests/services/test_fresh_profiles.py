"""What a process remembers about fresh profiles, and for how long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.people import PROFILE_TTL, FreshProfiles

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_fresh_profile_is_trusted_for_a_few_minutes_only() -> None:
    known = FreshProfiles()
    known.saw("T1", "U1", NOW, now=NOW)
    assert known.fresh("T1", "U1", now=NOW + FreshProfiles.TRUST - timedelta(seconds=1))
    assert not known.fresh("T1", "U1", now=NOW + FreshProfiles.TRUST)
    assert not known.fresh("T2", "U1", now=NOW)  # another workspace is another person


def test_a_profile_about_to_go_stale_is_trusted_only_until_then() -> None:
    known = FreshProfiles()
    fetched = NOW - PROFILE_TTL + timedelta(minutes=1)
    known.saw("T1", "U1", fetched, now=NOW)
    assert known.fresh("T1", "U1", now=NOW + timedelta(seconds=30))
    assert not known.fresh("T1", "U1", now=NOW + timedelta(minutes=1))


def test_never_fetched_or_stale_is_not_remembered_and_uninstall_forgets() -> None:
    known = FreshProfiles()
    known.saw("T1", "U1", None, now=NOW)
    known.saw("T1", "U2", NOW - PROFILE_TTL, now=NOW)
    known.saw("T1", "U3", NOW, now=NOW)
    known.saw("T2", "U3", NOW, now=NOW)
    assert not known.fresh("T1", "U1", now=NOW) and not known.fresh("T1", "U2", now=NOW)
    known.forget("T1")
    assert not known.fresh("T1", "U3", now=NOW) and known.fresh("T2", "U3", now=NOW)
