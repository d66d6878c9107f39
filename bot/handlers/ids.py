"""Reads a number typed by a teacher or carried in a button: ASCII digits that fit a database id."""

from __future__ import annotations

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; larger ids cannot exist


def parse_id(text: str) -> int | None:
    """``"12"`` or ``"#12"`` -> 12; anything else (``"²"``, 20 digits, ``"{}"``) -> None."""
    digits = text.strip().removeprefix("#")
    if not digits or len(digits) > 10 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(digits)
    return number if number <= MAX_ID else None
