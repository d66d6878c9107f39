"""District column names (any case, spaces or underscores) mapped onto the import fields."""

from __future__ import annotations

import re
from typing import Any

_COMMON: dict[str, tuple[str, ...]] = {
    "subjects": ("subject", "subject_area", "subject_areas", "content_area", "content_areas"),
    "grades": ("grade", "grade_level", "grade_levels", "grade_band", "grade_bands"),
}

RESOURCE_ALIASES: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "title": ("name", "resource", "resource_name", "resource_title"),
    "url": ("link", "href", "web_address", "resource_url", "resource_link"),
    "description": ("summary", "desc", "abstract", "notes"),
    "kind": ("type", "resource_type", "format", "category"),
    "tags": ("tag", "topics", "topic", "keywords", "keyword"),
}

TEACHER_ALIASES: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "platform_user_id": ("user_id", "slack_id", "slack_user_id", "discord_id", "discord_user_id", "id"),
    "email": ("e_mail", "email_address", "work_email", "staff_email", "mail"),
    "name": ("full_name", "display_name", "teacher", "teacher_name", "staff_name"),
    "interests": ("interest", "topics", "keywords", "tags"),
    "roles": ("role", "staff_role", "specialist_role", "specialty", "specialties"),
    "timezone": ("time_zone", "tz"),
    "years_experience": ("years", "experience", "years_of_experience", "years_teaching"),
    "school": ("school_name", "building", "campus", "site"),
    "open_to_help": ("can_help", "willing_to_help", "mentor"),
}

# An id column that also says which platform the id belongs to.
PLATFORM_OF_COLUMN = {"slack_id": "slack", "slack_user_id": "slack", "discord_id": "discord"}
PLATFORM_OF_COLUMN["discord_user_id"] = "discord"


def header_key(name: str) -> str:
    """``"User ID"``, ``"user-id"``, ``" USER_ID "`` → ``"user_id"``."""
    return re.sub(r"[\s\-./]+", "_", name.strip().lower()).strip("_")


def canonical(record: dict[str, Any], aliases: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """The record under canonical field names; a canonical column wins over its aliases, the first alias
    with a value over later ones. ``_platform_hint`` says which platform an id column named."""
    keyed = {header_key(k): v for k, v in record.items() if isinstance(k, str)}
    lookup = {alias: field for field, names in aliases.items() for alias in names}
    out: dict[str, Any] = {}
    for key, value in keyed.items():
        if (key in aliases or key not in lookup) and (key not in out or _empty(out[key])):
            out[key] = value
    for key, value in keyed.items():
        field = lookup.get(key)
        if field is None or key in aliases or not _empty(out.get(field)):
            continue
        if _empty(value):
            continue
        out[field] = value
        if key in PLATFORM_OF_COLUMN:
            out["_platform_hint"] = PLATFORM_OF_COLUMN[key]
    if "first_name" in keyed and _empty(out.get("name")):
        full = f"{keyed.get('first_name') or ''} {keyed.get('last_name') or ''}".strip()
        if full:
            out["name"] = full
    return out


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []
