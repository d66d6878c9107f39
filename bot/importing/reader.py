"""Read JSONL or CSV files into (line number, record) pairs, naming lines that cannot be parsed."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RawRow:
    line: int
    record: dict[str, Any] | None
    error: str | None = None


def read_rows(path: Path) -> Iterator[RawRow]:
    """JSONL (``.jsonl``/``.json``) or CSV (``.csv``) by extension."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _read_jsonl(path)
    elif suffix == ".csv":
        yield from _read_csv(path)
    else:
        raise ValueError(f"{path.name}: unsupported file type {suffix!r} (use .jsonl or .csv)")


def _read_jsonl(path: Path) -> Iterator[RawRow]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawRow(number, None, f"not valid JSON ({exc.msg})")
                continue
            if not isinstance(record, dict):
                yield RawRow(number, None, "expected a JSON object")
                continue
            yield RawRow(number, record)


def _read_csv(path: Path) -> Iterator[RawRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            line = reader.line_num
            if None in record:
                yield RawRow(line, None, "more values than columns")
                continue
            yield RawRow(line, {k.strip(): v for k, v in record.items() if k})
