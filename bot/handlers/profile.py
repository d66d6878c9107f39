"""See and edit my profile: subjects, grades, specialist roles, interests, bio, open to help."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.events import Command
from bot.domain.markup import bold
from bot.domain.replies import Outcome
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import (
    GRADES,
    MAX_ROLES,
    SUBJECTS,
    grade_label,
    normalize_grade,
    normalize_roles,
    normalize_subject,
    role_label,
    subject_label,
)
from bot.handlers.identity import ensure_teacher, reindex_teacher
from bot.handlers.ports import Profiles

log = logging.getLogger(__name__)

USAGE = (
    "Update one field at a time, e.g.\n"
    "  profile subjects math, science\n"
    "  profile grades 4, 5\n"
    "  profile roles special education; instructional coach   (your specialist roles, if any)\n"
    "  profile interests manipulatives; number talks\n"
    "  profile bio I teach 4th grade and love hands-on math\n"
    "  profile open yes|no   (whether Kindred may suggest you as a helper)\n"
    "  profile timezone America/Chicago"
)
_FIELDS = {"subjects", "grades", "roles", "interests", "bio", "open", "name", "school", "timezone"}
_YES = {"yes", "y", "true", "on", "1"}
_NO = {"no", "n", "false", "off", "0"}


class ProfileDeps(Profiles, Protocol):
    """What /kindred profile uses: the profile and the teacher index it updates."""


class ProfileInputError(ValueError):
    """Friendly message for the teacher about what to fix."""


def handle(deps: ProfileDeps, command: Command, text: str) -> Outcome:
    """``text`` is what follows "profile"; structured ``command.options`` come from a modal."""
    teacher = ensure_teacher(deps, command.actor)
    try:
        changes = parse_options(command.options) if command.options else parse_text(text)
    except ProfileInputError as exc:
        return Outcome.say(f"{exc}\n{USAGE}")
    if not changes:
        return Outcome.say(describe(teacher) + "\n\n" + USAGE)
    if ("subjects" in changes or "grades" in changes) and not teacher.onboarded:
        changes["onboarded"] = True
        changes.setdefault("open_to_help", True)
    with deps.db.unit_of_work() as uow:
        updated, _ = uow.teachers.upsert(teacher.platform, teacher.platform_user_id, changes)
    if updated.onboarded:
        reindex_teacher(deps, updated)
    log.info("profile updated", extra={"teacher_id": updated.id, "fields": sorted(changes)})
    return Outcome.say("Saved. " + describe(updated))


def describe(teacher: Teacher) -> str:
    lines = [bold(teacher.name)]
    if teacher.subjects or teacher.grades:
        what = " ".join(
            p for p in (grade_label(teacher.grades), ", ".join(map(subject_label, teacher.subjects))) if p
        )
        lines.append(f"Teaches: {what}")
    else:
        lines.append("Teaches: (not set yet — add your grades and subjects so I can match you)")
    if teacher.roles:
        lines.append("Roles: " + ", ".join(map(role_label, teacher.roles)))
    if teacher.interests:
        lines.append("Interests: " + ", ".join(teacher.interests))
    if teacher.bio:
        lines.append("About: " + teacher.bio)
    lines.append("Open to help colleagues: " + ("yes" if teacher.open_to_help else "no"))
    lines.append(f"Timezone: {teacher.timezone}")
    return "\n".join(lines)


def parse_text(text: str) -> dict[str, Any]:
    text = text.strip()
    if not text:
        return {}
    field, _, value = text.partition(" ")
    field = field.lower().rstrip(":=")
    if field not in _FIELDS:
        raise ProfileInputError(f"I don't know the profile field “{field}”.")
    return parse_options({field: value})


def parse_options(options: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field, raw in options.items():
        if field not in _FIELDS:
            raise ProfileInputError(f"I don't know the profile field “{field}”.")
        values: list[Any] = list(raw) if isinstance(raw, list | tuple) else split_list(str(raw))
        if field == "subjects":
            changes["subjects"] = normalize_values(values, normalize_subject, "subject", SUBJECTS)
        elif field == "grades":
            changes["grades"] = normalize_values(values, normalize_grade, "grade", GRADES)
        elif field == "roles":
            cleared = [str(v).strip().lower() for v in values] in ([], ["none"], ["-"])
            changes["roles"] = [] if cleared else list(normalize_roles(values))[:MAX_ROLES]
        elif field == "interests":
            changes["interests"] = [v.lower() for v in values][:12]
        elif field == "open":
            changes["open_to_help"] = _boolean(str(raw))
        elif field == "timezone":
            changes["timezone"] = _timezone(str(raw).strip())
        else:
            value = str(raw).strip()
            if not value:
                raise ProfileInputError(f"Please give a value for {field}.")
            changes[field] = value[:1000]
    return changes


def split_list(raw: str) -> list[str]:
    """Accept "a, b", "a; b" or a JSON-ish list."""
    raw = raw.strip().strip("[]")
    sep = ";" if ";" in raw else ","
    return [part.strip().strip("'\"") for part in raw.split(sep) if part.strip().strip("'\"")]


def normalize_values(
    values: list[str], normalizer: Callable[[str], str | None], label: str, allowed: tuple[str, ...]
) -> list[str]:
    """Normalise grades or subjects, naming the first unknown value and the allowed ones."""
    out: list[str] = []
    for value in values:
        norm = normalizer(value)
        if norm is None:
            raise ProfileInputError(f"“{value}” isn't a {label} I know. Use one of: {', '.join(allowed)}.")
        if norm not in out:
            out.append(norm)
    if not out:
        raise ProfileInputError(f"Please list at least one {label}.")
    return out


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ProfileInputError("Please answer yes or no.")


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProfileInputError(
            f"“{raw}” isn't a timezone I know; use a name like America/Chicago."
        ) from None
    return raw
