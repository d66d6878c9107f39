"""Event ledger (dedup with TTL, reprocessing after failure) and quiet channels, on the migrated DB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect

from bot.platforms.slack.store import EventLedger
from bot.storage.repositories.quiet_channels import QuietChannelRepository


def test_migration_creates_slack_tables(app) -> None:  # type: ignore[no-untyped-def]
    tables = set(inspect(app.db.engine).get_table_names())
    assert {"slack_events", "quiet_channels"} <= tables and "slack_quiet_channels" not in tables


def test_claim_done_and_duplicates(app) -> None:  # type: ignore[no-untyped-def]
    ledger = EventLedger(app.db)
    assert ledger.claim("Ev1")
    assert not ledger.claim("Ev1"), "in progress: a concurrent retry is dropped"
    ledger.done("Ev1")
    assert not ledger.claim("Ev1")
    assert EventLedger(app.db).status("Ev1") == "done", "survives a new ledger (restart)"


def test_failed_or_stale_claims_can_be_reclaimed(app) -> None:  # type: ignore[no-untyped-def]
    ledger = EventLedger(app.db, timeout=timedelta(seconds=0))
    assert ledger.claim("Ev2")
    ledger.failed("Ev2")
    assert ledger.claim("Ev2")
    assert ledger.claim("Ev2"), "a processing claim older than the timeout is presumed dead"


def test_purge_drops_old_events(app) -> None:  # type: ignore[no-untyped-def]
    ledger = EventLedger(app.db, ttl=timedelta(hours=1))
    ledger.claim("Ev3")
    ledger.done("Ev3")
    assert ledger.purge(datetime.now(UTC) + timedelta(hours=2)) == 1
    assert ledger.status("Ev3") is None


def test_quiet_channels(app) -> None:  # type: ignore[no-untyped-def]
    with app.db.unit_of_work() as uow:
        quiet = QuietChannelRepository(uow.session)
        assert not quiet.is_quiet("slack", "T1", "C1")
        quiet.set("slack", "T1", "C1", True, "U1")
        quiet.set("slack", "T1", "C1", True, "U1")
        assert quiet.is_quiet("slack", "T1", "C1") and not quiet.is_quiet("slack", "T2", "C1")
        assert not quiet.is_quiet("discord", "T1", "C1"), "each platform's channels are its own"
        quiet.set("slack", "T1", "C1", False, "U1")
        assert not quiet.is_quiet("slack", "T1", "C1")
