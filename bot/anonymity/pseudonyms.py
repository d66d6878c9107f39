"""Pseudonyms like *Quiet Heron*: one per question (stable in its thread, different across threads)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Sequence

ADJECTIVES = (
    "Quiet", "Gentle", "Curious", "Bright", "Patient", "Brave", "Calm", "Kind", "Clever", "Sunny",
    "Steady", "Thoughtful", "Cheerful", "Hopeful", "Wise", "Nimble", "Merry", "Humble", "Bold", "Swift",
    "Golden", "Silver", "Misty", "Rosy", "Amber", "Breezy", "Cozy", "Lively", "Mellow", "Plucky",
)  # fmt: skip
ANIMALS = (
    "Heron", "Otter", "Fox", "Owl", "Badger", "Finch", "Hare", "Wren", "Lynx", "Robin",
    "Sparrow", "Beaver", "Falcon", "Panda", "Koala", "Dolphin", "Seal", "Marten", "Puffin", "Crane",
    "Deer", "Swan", "Tortoise", "Lark", "Bison", "Moose", "Heron", "Ibis", "Kestrel", "Magpie",
)  # fmt: skip


def new_pseudonym(
    taken: Collection[str] = (), choice: Callable[[Sequence[str]], str] = secrets.choice
) -> str:
    """A fresh "Adjective Animal" not in ``taken`` (falls back to a numbered one when all are taken)."""
    for _ in range(50):
        name = f"{choice(ADJECTIVES)} {choice(ANIMALS)}"
        if name not in taken:
            return name
    n = 2
    base = f"{choice(ADJECTIVES)} {choice(ANIMALS)}"
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"
