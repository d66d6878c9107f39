"""/share: add a resource with as few as two fields — a title or link, and one line on why it is good."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlparse

from bot.domain.events import Command
from bot.domain.replies import Outcome
from bot.domain.user_text import user_text
from bot.domain.vocabulary import normalize_grade, normalize_subject
from bot.handlers.adapt import MAX_NOTE_CHARS
from bot.handlers.identity import ensure_teacher
from bot.handlers.ports import Profiles
from bot.handlers.profile import ProfileInputError, normalize_values, split_list
from bot.handlers.registry import Registry
from bot.matching.context import extract_grades, extract_subjects
from bot.matching.indexer import RESOURCE
from bot.privacy.hooks import core as user_data

log = logging.getLogger(__name__)

USAGE = (
    "Share like this: `/share https://example.org/fraction-strips | My 4th graders finally got equivalence`"
)
# What pages without a real title call themselves (and what a video link's path gives), "|"-separated.
_GENERIC = (
    "watch|youtube|youtu|video|videos|vimeo|home|home page|homepage|index|untitled|untitled document|"
    "document|page|view|edit|file|files|open|link|login|log in|sign in|welcome|default|new tab|docs|drive|"
    "preview|shorts|embed|share|post|article|d|p|v|s|u"
)
GENERIC_TITLES = frozenset(_GENERIC.split("|"))
# What the /share form (Slack's and Discord's modal) says about a field it cannot take.
NOT_A_LINK = "That doesn't look like a link (it should start with https://)."
NO_TITLE = "Give a title or a link."
NO_WHY = "One line on why it's good, please."
_DOMAIN = re.compile(r"[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"<?(https?://[^\s|>]+)(?:\|[^>]*)?>?")


class ShareDeps(Profiles, Protocol):
    """What /share uses: profiles and the index the shared resource joins."""


def register(registry: Registry) -> None:
    registry.command(
        "share",
        "Share a resource colleagues can grab and use",
        "/share <link or title> | <why it's good>",
        handle,
    )
    registry.form("share", form_errors)
    registry.user_data_hooks(user_data.SHARED_RESOURCES)


def form_errors(fields: Mapping[str, object]) -> dict[str, str]:
    """What is wrong with a submitted /share form ("url", "title", "why"); empty when it can be shared."""
    errors: dict[str, str] = {}
    url = str(fields.get("url") or "")
    if url and (not url.startswith(("http://", "https://")) or not urlparse(url).netloc):
        errors["url"] = NOT_A_LINK
    if not url and not fields.get("title"):
        errors["title"] = NO_TITLE
    if not fields.get("why"):
        errors["why"] = NO_WHY
    return errors


class NeedsTitle(ProfileInputError):
    """A link whose title cannot be read (a video page, "Home", a bare domain…): ask rather than guess."""

    def __init__(self, url: str, why: str) -> None:
        super().__init__(
            "I couldn't read a title for that link, and I'd rather not save it as something like “Watch”. "
            f"What should colleagues see? Add the title after the link: `/share {url} <title> | {why}`"
        )
        self.url, self.why = url, why


def handle(deps: ShareDeps, command: Command) -> Outcome:
    if command.options and (errors := form_errors(command.options)):  # a form: the form's own words
        return Outcome.say(" ".join(errors.values()))
    try:
        fields = parse_options(command.options) if command.options else parse_text(command.text)
    except NeedsTitle as exc:
        return _already_shared(deps, command, exc.url, exc.why) or Outcome.say(str(exc))
    except ProfileInputError as exc:
        return Outcome.say(f"{exc}\n{USAGE}")
    if (
        known := _already_shared(deps, command, fields["url"], fields["description"], fields["title"])
    ) is not None:
        return known
    teacher = ensure_teacher(deps, command.actor)
    fields["shared_by"] = teacher.id
    fields["workspace_id"] = command.actor.workspace_id
    with deps.db.unit_of_work() as uow:
        resource, created = uow.resources.upsert(fields)
    deps.indexer.upsert(RESOURCE, resource.id, resource.embedding_text())
    log.info("resource shared", extra={"resource_id": resource.id, "new": created})
    return Outcome.say(f"Added “{resource.title}” — thank you! Colleagues asking about this will see it.")


def _already_shared(
    deps: ShareDeps, command: Command, url: str | None, why: str, title: str | None = None
) -> Outcome | None:
    """A link (or link-less title) already in the catalog keeps its entry and its credit; the re-sharer's
    "why" becomes their "how I used it" note on it. None when it is new."""
    with deps.db.unit_of_work() as uow:
        resources = uow.resources
        existing = resources.find_by_url(url) if url else resources.find_unlinked(title or "")
    if existing is None:
        return None
    teacher = ensure_teacher(deps, command.actor)
    note = " ".join(why.split())[:MAX_NOTE_CHARS]
    with deps.db.unit_of_work() as uow:
        uow.resources.add_adaptation(existing.id, teacher.id, note)
        sharer = uow.teachers.get(existing.shared_by) if existing.shared_by else None
    credit = f", shared by {user_text(sharer.name)}" if sharer is not None and sharer.id != teacher.id else ""
    log.info("re-shared resource kept; note added", extra={"resource_id": existing.id})
    return Outcome.say(
        f"“{existing.title}” is already in the catalog{credit}, so I kept it as it is and added what you "
        f"wrote as your “how I used it” note — colleagues who get it will see:\n  ✎ {user_text(note)}"
    )


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
    if url and not readable_title(title, url):
        raise NeedsTitle(url, why or "why it's good")
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


def readable_title(title: str, url: str) -> bool:
    """False for what a page calls itself when it says nothing: "Watch", "YouTube", "Home", "Untitled",
    a bare domain, or an id-like slug (``dQw4w9WgXcQ``)."""
    words = " ".join(title.split()).strip(" -–—:|.").casefold()
    host = urlparse(url).netloc.casefold().removeprefix("www.")
    if not words or words in GENERIC_TITLES or words in (host, f"www.{host}", host.split(".")[0]):
        return False
    if _DOMAIN.fullmatch(words) or words.replace(" ", "").isdigit():
        return False
    id_like = " " not in words and len(words) >= 8 and any(c.isdigit() for c in words)
    return not (id_like and any(c.isalpha() for c in words))


def _title_from_url(url: str) -> str:
    parsed = urlparse(url)
    slug = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    words = re.sub(r"[-_]+", " ", re.sub(r"\.\w+$", "", slug)).strip()
    return words.capitalize() if words else parsed.netloc
