"""Modals and the App Home view (Block Kit), and reading modal submissions back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.domain.requests import HelpRequest
from bot.domain.resources import Resource
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import GRADES, SUBJECT_LABELS, SUBJECTS, role_label
from bot.platforms.slack.render import MAX_TEXT, clip, escape

ASK_MODAL = "kindred_ask_modal"
SHARE_MODAL = "kindred_share_modal"
PROFILE_MODAL = "kindred_profile_modal"
EDIT_PROFILE_ACTION = "kindred.edit_profile.0"
MAX_VIEW_BLOCKS = 100

View = dict[str, Any]


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def grade_options() -> list[dict[str, Any]]:
    return [_option(g, "Kindergarten" if g == "K" else f"Grade {g}") for g in GRADES]


def subject_options() -> list[dict[str, Any]]:
    return [_option(s, SUBJECT_LABELS.get(s, s)) for s in SUBJECTS]


def _text_input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str = "",
    hint: str = "",
    max_length: int = 0,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if max_length:
        element["max_length"] = max_length
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _select(
    block_id: str,
    label: str,
    options: list[dict[str, Any]],
    *,
    multi: bool,
    optional: bool,
    initial: Iterable[str] = (),
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "multi_static_select" if multi else "static_select",
        "action_id": "value",
        "options": options,
        "placeholder": {"type": "plain_text", "text": "Choose…"},
    }
    chosen = [o for o in options if o["value"] in set(initial)]
    if chosen:
        if multi:
            element["initial_options"] = chosen
        else:
            element["initial_option"] = chosen[0]
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[dict[str, Any]], meta: dict[str, Any]
) -> View:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }


def ask_modal(channel_id: str | None) -> View:
    return _modal(
        ASK_MODAL,
        "Ask colleagues",
        "Ask",
        [
            _text_input(
                "question",
                "What would you like help with?",
                multiline=True,
                max_length=2000,
                hint="In your own words, e.g. “How do I teach equivalent fractions hands-on?”",
            ),
            _select("grade", "Grade", grade_options(), multi=False, optional=True),
            _select("subject", "Subject", subject_options(), multi=False, optional=True),
        ],
        {"channel_id": channel_id},
    )


def share_modal(channel_id: str | None) -> View:
    return _modal(
        SHARE_MODAL,
        "Share a resource",
        "Share",
        [
            _text_input(
                "url", "Link", optional=True, hint="Leave empty for a routine or idea without a link."
            ),
            _text_input("title", "Title", optional=True, hint="Optional when you give a link."),
            _text_input("why", "Why is it good?", multiline=True, max_length=2000),
            _select("grades", "Grades", grade_options(), multi=True, optional=True),
            _select("subjects", "Subjects", subject_options(), multi=True, optional=True),
        ],
        {"channel_id": channel_id},
    )


def profile_modal(
    name: str | None, timezone: str | None, teacher: Teacher | None, channel_id: str | None
) -> View:
    interests = ", ".join(teacher.interests) if teacher else ""
    roles = ", ".join(map(role_label, teacher.roles)) if teacher else ""
    return _modal(
        PROFILE_MODAL,
        "What you teach",
        "Save",
        [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Tell Kindred what you teach so it can match you with resources and colleagues.",
                },
            },
            _text_input(
                "name",
                "Your name",
                initial=(teacher.name if teacher and teacher.onboarded else "") or name or "",
                max_length=200,
            ),
            _select(
                "subjects",
                "Subjects",
                subject_options(),
                multi=True,
                optional=False,
                initial=teacher.subjects if teacher else (),
            ),
            _select(
                "grades",
                "Grades",
                grade_options(),
                multi=True,
                optional=False,
                initial=teacher.grades if teacher else (),
            ),
            _text_input(
                "roles",
                "Specialist roles",
                optional=True,
                initial=roles,
                hint="If you have any, comma-separated: special education, ELL, counselor, coach…",
            ),
            _text_input(
                "interests",
                "Interests",
                optional=True,
                initial=interests,
                hint="Comma-separated, e.g. manipulatives, number talks, project-based learning",
            ),
        ],
        {"channel_id": channel_id, "timezone": timezone},
    )


def values(view: dict[str, Any]) -> dict[str, Any]:
    """``{block_id: str | list[str] | None}`` from a submitted view's state."""
    out: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in actions.values():
            kind = element.get("type")
            if kind == "multi_static_select":
                out[block_id] = [o["value"] for o in element.get("selected_options") or []]
            elif kind == "static_select":
                out[block_id] = (element.get("selected_option") or {}).get("value")
            else:
                out[block_id] = (element.get("value") or "").strip()
    return out


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def home_view(profile_text: str | None, questions: Iterable[HelpRequest], saved: Iterable[Resource]) -> View:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Kindred"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*My profile*"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": clip(profile_text or "You haven't told me what you teach yet.", MAX_TEXT),
            },
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Edit profile"},
                    "action_id": EDIT_PROFILE_ACTION,
                    "value": "profile",
                    "style": "primary",
                }
            ],
        },
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*My open questions*"}},
    ]
    question_lines = [f"• {escape(clip(q.text, 280))} _({q.status.value})_" for q in questions]
    blocks.append(_home_list(question_lines, "No open questions. Ask with `/ask`."))
    blocks += [
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Saved resources*"}},
    ]
    saved_lines = []
    for resource in saved:
        title = escape(resource.title).replace("|", "¦")
        saved_lines.append(f"• <{resource.url}|{title}>" if resource.url else f"• {title}")
    blocks.append(_home_list(saved_lines, "Nothing saved yet — press *Save* on a suggestion."))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def _home_list(lines: list[str], empty: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip("\n".join(lines) or empty, MAX_TEXT)}}
