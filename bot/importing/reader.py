"""Read JSONL or CSV files into (line number, record) pairs, naming lines that cannot be parsed."""

from __future__ import annotations

import csv
import io
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
    """Excel and Google Sheets exports: UTF-8 with or without BOM (else Windows-1252), ``,``, ``;`` or tab
    delimited, quoted cells spanning lines. Line numbers are where a row starts; blank rows are skipped."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    line = 1
    for values in reader:
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if header is None:
            header = [h.strip() for h in values]
            continue
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            problem = f"{len(values)} values but {len(header)} columns: quote cells holding the delimiter"
            yield RawRow(start, None, problem)
            continue
        yield RawRow(start, {k: v for k, v in zip(header, values, strict=False) if k})


def _delimiter(text: str) -> str:
    """The header line's most frequent of ``,`` ``;`` and tab (Excel in many locales writes ``;``)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
