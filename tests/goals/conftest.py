"""Preferences and goals reuse the scheduling fixtures: an injected clock and a migrated database."""

from tests.scheduling.conftest import clock, db  # noqa: F401  (fixtures)
