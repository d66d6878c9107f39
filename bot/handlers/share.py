"""/share: add a resource with as few as two fields — a title or link, and one line on why it is good."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlparse

from bot.domain.events import Command
from bot.domain.replies import Outcome
from bot.domain.vocabulary import normalize_grade, normalize_subject
from bot.handlers.deps import Deps
from bot.handlers.identity import ensure_teacher
from bot.handlers.profile import ProfileInputError, normalize_values, split_list
from bot.handlers.registry import Registry
from bot.matching.context import extract_grades, extract_subjects
from bot.matching.indexer import RESOURCE
from bot.privacy.hooks import core as user_data
from bot.storage.repositories import ResourceRepository

log = logging.getLogger(__name__)

USAGE = (
    "Share like this: `/share https://example.org/fraction-strips | My 4th graders finally got equivalence`"
)
_URL = re.compile(r"<?(https?://[^\s|>]+)(?:\|[^>]*)?>?")


def register(registry: Registry) -> None:
    registry.command(
        "share",
        "Share a resource colleagues can grab and use",
        "/share <link or title> | <why it's good>",
        handle,
    )
    registry.user_data_hooks(user_data.SHARED_RESOURCES)


def handle(deps: Deps, command: Command) -> Outcome:
    try:
        fields = parse_options(command.options) if command.options else parse_text(command.text)
    except ProfileInputError as exc:
        return Outcome.say(f"{exc}\n{USAGE}")
    teacher = ensure_teacher(deps, command.actor)
    fields["shared_by"] = teacher.id
    with deps.db.session() as session:
        resource, created = ResourceRepository(session).upsert(fields)
    deps.indexer.upsert(RESOURCE, resource.id, resource.embedding_text())
    log.info("resource shared", extra={"resource_id": resource.id, "new": created})
    verb = "Added" if created else "Updated"
    return Outcome.say(f"{verb} “{resource.title}” — thank you! Colleagues asking about this will see it.")


def parse_text(text: str) -> dict[str, Any]:
    text = text.strip()
    if not text:
        raise ProfileInputError("What would you like to share?")
    head, _, why = text.partition("|")
    head, why = head.strip(), why.strip()
    url_match = _URL.search(head)
    url = url_match.group(1) if url_match else None
    title = _URL.sub("", head).strip(" -–—:") if url_match else head
    if url and not title and not why:
        raise ProfileInputError("Add one line on why it's good after a `|`.")
    if not why:
        raise ProfileInputError("Add one line on why it's good after a `|`.")
    return parse_options({"url": url, "title": title, "why": why})


def parse_options(options: dict[str, Any]) -> dict[str, Any]:
    url = (options.get("url") or "").strip() or None
    title = (options.get("title") or "").strip()
    why = (options.get("why") or options.get("description") or "").strip()
    if url and not urlparse(url).netloc:
        raise ProfileInputError(f"“{url}” doesn't look like a link.")
    if not title and url:
        title = _title_from_url(url)
    if not title:
        raise ProfileInputError("Please give a title or a link.")
    if not why:
        raise ProfileInputError("Please add one line on why it's good.")
    grades = options.get("grades")
    subjects = options.get("subjects")
    about = f"{title} {why}"
    return {
        "title": title[:300],
        "url": url,
        "description": why[:2000],
        "grades": normalize_values(_as_list(grades), normalize_grade, "grade", ())
        if grades
        else sorted(extract_grades(about)),
        "subjects": (
            normalize_values(_as_list(subjects), normalize_subject, "subject", ())
            if subjects
            else sorted(extract_subjects(about))
        ),
        "tags": [t.lower() for t in _as_list(options.get("tags"))][:8],
        "kind": "link" if url else "routine",
    }


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return list(value) if isinstance(value, list | tuple) else split_list(str(value))


def _title_from_url(url: str) -> str:
    parsed = urlparse(url)
    slug = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    words = re.sub(r"[-_]+", " ", re.sub(r"\.\w+$", "", slug)).strip()
    return words.capitalize() if words else parsed.netloc
