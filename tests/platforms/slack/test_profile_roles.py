"""Specialist roles over Slack: a signed ``/kindred profile roles …`` command and the profile modal."""

from __future__ import annotations

import json

from bot.storage.repositories import TeacherRepository
from tests.platforms.slack.conftest import MARIA, TEAM, SlackHarness


def _teacher(slack: SlackHarness, user_id: str):  # type: ignore[no-untyped-def]
    with slack.app.db.session() as session:
        return TeacherRepository(session).find("slack", user_id)


async def test_a_signed_profile_roles_command_saves_and_shows_the_roles(slack: SlackHarness) -> None:
    response = await slack.command("kindred", "profile roles special ed; ESL teacher; Librarian", user=MARIA)
    assert response.status == 200
    (answer,) = await slack.fake.wait_for("response_url")
    text = json.dumps(answer.params, ensure_ascii=False)
    assert "Roles: special education teacher, ELL specialist, library/media specialist" in text
    assert _teacher(slack, MARIA).roles == ("sped", "ell", "library media")

    await slack.command("kindred", "profile", user=MARIA)
    calls = await slack.fake.wait_for("response_url", count=2)
    assert "Roles: special education teacher, ELL specialist" in json.dumps(calls[-1].params)


async def test_the_profile_modal_shows_and_saves_roles(slack: SlackHarness) -> None:
    await slack.command("kindred", "profile roles counselor", user=MARIA)
    await slack.fake.wait_for("response_url")
    opening = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": MARIA, "team_id": TEAM},
        "api_app_id": "A1",
        "trigger_id": "9.9.9",
        "channel": {"id": "CGENERAL01"},
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": slack.fake.response_url(),
        "actions": [
            {"action_id": "kindred.edit_profile.0", "value": "0", "block_id": "b1", "type": "button"}
        ],
    }
    await slack.interaction(opening)
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    roles_block = next(b for b in view["blocks"] if b.get("block_id") == "roles")
    assert roles_block["element"]["initial_value"] == "school counsellor"

    view["state"] = {
        "values": {
            "subjects": {"value": {"type": "multi_static_select", "selected_options": [{"value": "math"}]}},
            "grades": {"value": {"type": "multi_static_select", "selected_options": [{"value": "4"}]}},
            "roles": {"value": {"type": "plain_text_input", "value": "school counsellor, math coach"}},
        }
    }
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": MARIA}, "view": view}
    assert (await slack.interaction(payload)).status == 200
    await slack.fake.wait_for("views.publish")
    assert _teacher(slack, MARIA).roles == ("counsellor", "math coach")
