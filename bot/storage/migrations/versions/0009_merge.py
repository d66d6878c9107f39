"""merge: one schema line again (packs, goals and anonymity branched from the same base)

Revision ID: 0009_merge
Revises: 0005_packs, 0007_goals, 0008_anonymity
"""

from __future__ import annotations

revision = "0009_merge"
down_revision = ("0005_packs", "0007_goals", "0008_anonymity")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the three branches touch separate tables."""


def downgrade() -> None:
    """Nothing to change."""
