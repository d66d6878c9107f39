"""Preferences and goals reuse the scheduling fixtures: an injected clock and a migrated database."""

from tests.scheduling.conftest import clock  # noqa: F401  (fixture; `db` comes from tests/conftest.py)
