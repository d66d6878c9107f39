"""Validate and normalise one imported record into repository fields (documented in index/README.md).

A row is rejected only when it cannot be used at all; anything else unusual is kept (as a tag, or the
default) and reported through ``warn`` so the importer can print one line per distinct value.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.vocabulary import MAX_ROLES, normalize_roles
from bot.importing.columns import RESOURCE_ALIASES, TEACHER_ALIASES, canonical
from bot.importing.district_vocabulary import understand_grades, understand_subjects
from bot.storage.repositories.teachers import PENDING_PREFIX

Warn = Callable[[str], None]
KIND_LIMIT = 32  # the resources.kind column
_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")
_DISCORD_ID = re.compile(r"^\d{15,21}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RowError(ValueError):
    """Why a row was rejected, saying what to fix."""


def _ignore(_: str) -> None:
    return None


def as_list(value: Any, field: str) -> list[str]:
    """JSON lists, JSON-encoded lists, or text separated by ``;``, ``,`` or ``|`` (spreadsheet cells)."""
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
                pass
        return [part.strip() for part in re.split(r"[;,|\n]", text.strip("[]")) if part.strip()]
    return [str(value).strip()]


def _text(record: dict[str, Any], field: str, limit: int = 2000) -> str:
    value = record.get(field)
    text = "" if value is None else " ".join(str(value).split()) if field != "description" else str(value)
    return text.strip()[:limit]


def _bool(value: Any, field: str, default: bool, warn: Warn) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1", "x", "✓"):
        return True
    if text in ("false", "no", "n", "0"):
        return False
    warn(f"{field}: {value!r} is not yes/no — used {'yes' if default else 'no'}")
    return default


def _vocabulary(record: dict[str, Any], warn: Warn) -> tuple[list[str], list[str], list[str]]:
    """(subjects, grades, extra tags) with unknown values kept as tags."""
    subjects = understand_subjects(as_list(record.get("subjects"), "subjects"))
    grades = understand_grades(as_list(record.get("grades"), "grades"))
    for value in subjects.unknown:
        warn(f"subject {value!r} is not in the shared vocabulary — kept as a tag")
    for value in grades.unknown:
        warn(f"grade {value!r} is not understood — kept as a tag")
    tags = [*subjects.tags, *(t for t in grades.tags if t not in subjects.tags)]
    return subjects.known, grades.known, tags


def _merge(*lists: list[str]) -> list[str]:
    out: list[str] = []
    for values in lists:
        out.extend(v for v in values if v not in out)
    return out


def resource_fields(record: dict[str, Any], warn: Warn = _ignore) -> dict[str, Any]:
    record = canonical(record, RESOURCE_ALIASES)
    title = _text(record, "title", limit=300)
    if not title:
        raise RowError("no title: add a title (or name) for this resource")
    url = _text(record, "url", limit=1000) or None
    if url and "://" not in url and "." in url.split("/")[0] and " " not in url:
        url = "https://" + url
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        warn(f"url: {url!r} is not an http(s) link — kept without a link")
        url = None
    kind = _text(record, "kind").lower() or "link"
    if len(kind) > KIND_LIMIT:
        warn(f"kind: {kind!r} is longer than {KIND_LIMIT} characters — shortened")
        kind = kind[:KIND_LIMIT].rstrip()
    subjects, grades, vocab_tags = _vocabulary(record, warn)
    tags = [t.lower() for t in as_list(record.get("tags"), "tags")]
    return {
        "title": title,
        "url": url,
        "description": _text(record, "description"),
        "subjects": subjects,
        "grades": grades,
        "tags": _merge(tags, vocab_tags),
        "kind": kind,
    }


def _platform(record: dict[str, Any], user_id: str, email: str) -> str:
    """The platform column, else the id column's name, else the id's shape; email-only rows are Slack's."""
    platform = _text(record, "platform").lower()
    if platform:
        if platform not in ("console", "slack", "discord"):
            raise RowError(f"platform: {platform!r} — write slack, discord or console")
        return platform
    if record.get("_platform_hint"):
        return str(record["_platform_hint"])
    if _SLACK_ID.match(user_id) or (email and not user_id):
        return "slack"
    if _DISCORD_ID.match(user_id):
        return "discord"
    return "console"


def teacher_fields(record: dict[str, Any], warn: Warn = _ignore) -> tuple[str, str, dict[str, Any]]:
    """Returns (platform, platform_user_id, profile fields); the id is ``email:<address>`` while only the
    email is known (the importer or the first contact resolves it)."""
    record = canonical(record, TEACHER_ALIASES)
    user_id = _text(record, "platform_user_id", limit=64)
    email = _text(record, "email", limit=254).lower()
    if email and not _EMAIL.match(email):
        if not user_id:
            raise RowError(f"email {email!r} is not an address: fix it or add the user's id (user_id column)")
        warn(f"email {email!r} is not an address — ignored")
        email = ""
    if not user_id and not email:
        raise RowError("no id and no email: add a user_id (Slack/Discord id) or an email for this teacher")
    platform = _platform(record, user_id, email)
    if not user_id and platform == "discord":
        raise RowError(
            "Discord has no lookup by email: add the member's Discord id (discord_id column; "
            "Developer Mode → right-click the member → Copy User ID)"
        )
    if not user_id and platform == "console":
        user_id = email.split("@")[0]
    timezone = _text(record, "timezone") or "America/New_York"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        warn(f"timezone {timezone!r} is not an IANA name (like America/Chicago) — used America/New_York")
        timezone = "America/New_York"
    years_raw = _text(record, "years_experience")
    years: int | None = None
    if years_raw:
        match = re.match(r"^\d{1,2}", years_raw)
        years = int(match.group()) if match else None
        if years is None or years > 60:
            warn(f"years_experience {years_raw!r} is not a whole number of years — left empty")
            years = None
    subjects, grades, vocab_tags = _vocabulary(record, warn)
    name = _text(record, "name", limit=200) or (email.split("@")[0] if email else user_id)
    fields = {
        "name": name,
        "subjects": subjects,
        "grades": grades,
        "interests": _merge([i.lower() for i in as_list(record.get("interests"), "interests")], vocab_tags),
        "bio": _text(record, "bio"),
        "timezone": timezone,
        "open_to_help": _bool(record.get("open_to_help"), "open_to_help", True, warn),
        "years_experience": years,
        "school": _text(record, "school", limit=200),
        "workspace_id": _text(record, "workspace_id", limit=64) or None,
        "onboarded": bool(user_id),  # known only by email: not suggested as a helper until linked
    }
    if email:
        fields["email"] = email
    if "roles" in record:  # a sheet without a roles column leaves the roles teachers typed alone
        fields["roles"] = list(normalize_roles(as_list(record["roles"], "roles")))[:MAX_ROLES]
    if not _text(record, "timezone"):
        del fields["timezone"]  # the platform's (Slack users.info/list) or the default, never overwritten
    return platform, user_id or pending_id(email), fields


def pending_id(email: str) -> str:
    """The stand-in platform id of a teacher known only by email (fits the 64-character column)."""
    if len(PENDING_PREFIX + email) <= 64:
        return PENDING_PREFIX + email
    return PENDING_PREFIX + hashlib.sha256(email.encode()).hexdigest()[:40]
