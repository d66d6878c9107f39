"""Validate and normalise one imported record into repository fields (documented in index/README.md)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.resources import RESOURCE_KINDS
from bot.domain.vocabulary import normalize_grade, normalize_subject


class RowError(ValueError):
    """Why a row was rejected."""


def as_list(value: Any, field: str) -> list[str]:
    """JSON lists, JSON-encoded lists, or ``;``-separated strings."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return as_list(json.loads(text), field)
            except json.JSONDecodeError:
                raise RowError(f"{field}: not a valid JSON list") from None
        return [part.strip() for part in text.split(";") if part.strip()]
    raise RowError(f"{field}: expected a list or ;-separated text")


def _vocab(values: list[str], normalizer, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for value in values:
        norm = normalizer(value)
        if norm is None:
            raise RowError(f"{field}: unknown value {value!r}")
        if norm not in out:
            out.append(norm)
    return out


def _text(record: dict[str, Any], field: str, required: bool = False, limit: int = 2000) -> str:
    value = record.get(field)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise RowError(f"{field}: required")
    if len(text) > limit:
        raise RowError(f"{field}: longer than {limit} characters")
    return text


def _bool(value: Any, field: str, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1"):
        return True
    if text in ("false", "no", "n", "0"):
        return False
    raise RowError(f"{field}: expected true or false, got {value!r}")


def resource_fields(record: dict[str, Any]) -> dict[str, Any]:
    title = _text(record, "title", required=True, limit=300)
    url = _text(record, "url", limit=1000) or None
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        raise RowError(f"url: not an http(s) link: {url!r}")
    kind = _text(record, "kind") or "link"
    if kind not in RESOURCE_KINDS:
        raise RowError(f"kind: {kind!r} is not one of {', '.join(RESOURCE_KINDS)}")
    return {
        "title": title,
        "url": url,
        "description": _text(record, "description"),
        "subjects": _vocab(as_list(record.get("subjects"), "subjects"), normalize_subject, "subjects"),
        "grades": _vocab(as_list(record.get("grades"), "grades"), normalize_grade, "grades"),
        "tags": [t.lower() for t in as_list(record.get("tags"), "tags")],
        "kind": kind,
    }


def teacher_fields(record: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """Returns (platform, platform_user_id, profile fields)."""
    platform = _text(record, "platform") or "console"
    if platform not in ("console", "slack", "discord"):
        raise RowError(f"platform: {platform!r} is not console, slack or discord")
    user_id = _text(record, "platform_user_id", required=True, limit=64)
    timezone = _text(record, "timezone") or "America/New_York"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RowError(f"timezone: unknown {timezone!r}") from None
    years_raw = record.get("years_experience")
    try:
        years = None if years_raw in (None, "") else int(years_raw)
    except (TypeError, ValueError):
        raise RowError(f"years_experience: not a whole number: {years_raw!r}") from None
    if years is not None and not 0 <= years <= 60:
        raise RowError(f"years_experience: out of range: {years}")
    fields = {
        "name": _text(record, "name", required=True, limit=200),
        "subjects": _vocab(as_list(record.get("subjects"), "subjects"), normalize_subject, "subjects"),
        "grades": _vocab(as_list(record.get("grades"), "grades"), normalize_grade, "grades"),
        "interests": [i.lower() for i in as_list(record.get("interests"), "interests")],
        "bio": _text(record, "bio"),
        "timezone": timezone,
        "open_to_help": _bool(record.get("open_to_help"), "open_to_help", True),
        "years_experience": years,
        "school": _text(record, "school", limit=200),
        "workspace_id": _text(record, "workspace_id", limit=64) or None,
        "onboarded": True,
    }
    return platform, user_id, fields
