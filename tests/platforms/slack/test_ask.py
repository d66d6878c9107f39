"""/ask end to end: signed slash command -> fast ack -> ephemeral Block Kit suggestions via response_url."""

from __future__ import annotations

import json
import time

from tests.platforms.slack.conftest import ASKER, MARIA, TEAM, SlackHarness, block_actions

QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"


def _texts(blocks: list[dict]) -> str:
    return json.dumps(blocks)


async def test_ask_acks_fast_then_posts_ephemeral_suggestions(slack: SlackHarness) -> None:
    started = time.monotonic()
    response = await slack.command("ask", QUESTION)
    acked = time.monotonic()
    assert response.status == 200
    assert acked - started < 3.0
    assert "Looking" in await response.text()

    (call,) = await slack.fake.wait_for("response_url")
    assert call.params["response_type"] == "ephemeral"
    assert call.params["replace_original"] is False
    blocks = call.params["blocks"]
    assert len(blocks) <= 50
    text = _texts(blocks)
    assert "fraction" in text.lower()
    assert f"<@{MARIA}>" in text
    action_ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(action_ids) == len(set(action_ids))
    assert any(a.startswith("kindred.helped.") for a in action_ids)
    assert any(a.startswith("kindred.post_to_help.") for a in action_ids)
    assert any(a.startswith("kindred.onboard.") for a in action_ids), "first contact offers onboarding"
    # the first resource card is a linked title
    first_card = next(b for b in blocks if b["type"] == "section" and "<https://" in b["text"]["text"])
    assert "fraction" in first_card["text"]["text"].lower()


async def test_ack_returns_before_the_suggestions_are_sent(slack: SlackHarness) -> None:
    response = await slack.command("ask", QUESTION)
    assert response.status == 200
    assert not slack.fake.of("response_url"), "suggestions must come after the ack, not inside it"
    await slack.fake.wait_for("response_url")


async def test_ask_without_text_opens_a_modal_whose_submission_runs_the_ask(slack: SlackHarness) -> None:
    response = await slack.command("ask", "", channel="CGENERAL01")
    assert response.status == 200
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    assert opened.params["trigger_id"].startswith("1337.42."), "the modal opens on the command's own trigger"
    assert view["callback_id"] == "kindred_ask_modal"
    assert {b["block_id"] for b in view["blocks"]} >= {"question", "grade", "subject"}

    view["state"] = {
        "values": {
            "question": {"value": {"type": "plain_text_input", "value": "Hands-on ideas for fractions?"}},
            "grade": {"value": {"type": "static_select", "selected_option": {"value": "4"}}},
            "subject": {"value": {"type": "static_select", "selected_option": {"value": "math"}}},
        }
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": ASKER, "team_id": TEAM},
        "api_app_id": "A1",
        "trigger_id": "1.2.3",
        "view": view,
    }
    response = await slack.interaction(payload)
    assert response.status == 200
    (ephemeral,) = await slack.fake.wait_for("chat.postEphemeral")
    assert ephemeral.params["channel"] == "CGENERAL01"
    assert ephemeral.params["user"] == ASKER
    assert "fraction" in _texts(ephemeral.params["blocks"]).lower()


async def test_empty_modal_question_is_rejected_inline(slack: SlackHarness) -> None:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": ASKER},
        "view": {
            "type": "modal",
            "callback_id": "kindred_ask_modal",
            "private_metadata": "{}",
            "state": {"values": {"question": {"value": {"type": "plain_text_input", "value": ""}}}},
        },
    }
    response = await slack.interaction(payload)
    assert response.status == 200
    assert (await response.json())["response_action"] == "errors"


def _button_payload(blocks: list[dict], prefix: str, user: str = ASKER) -> dict:
    button = next(
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith(prefix)
    )
    return block_actions(button, user)


async def test_post_to_help_posts_publicly_and_dms_suggested_peers(slack: SlackHarness) -> None:
    await slack.command("ask", QUESTION)
    (suggestions,) = await slack.fake.wait_for("response_url")
    payload = _button_payload(suggestions.params["blocks"], "kindred.post_to_help.")
    payload["response_url"] = slack.fake.response_url("second")
    response = await slack.interaction(payload)
    assert response.status == 200

    await slack.fake.wait_for("response_url", count=2)
    posts = await slack.fake.wait_for("chat.postMessage", count=1)
    await slack.settle(0.3)
    posts = slack.fake.of("chat.postMessage")
    assert slack.fake.of("conversations.list"), "help channel name resolved to an id"
    public = [p for p in posts if p.params["channel"] == "CHELP00001"]
    assert len(public) == 1
    assert QUESTION in public[0].params["text"]
    dms = [p.params["channel"] for p in posts if p.params["channel"] != "CHELP00001"]
    assert MARIA in dms
    assert "Posted to #help" in slack.fake.of("response_url")[-1].params["text"]


async def test_save_button_records_feedback_and_home_shows_it(slack: SlackHarness) -> None:
    await slack.command("ask", QUESTION)
    (suggestions,) = await slack.fake.wait_for("response_url")
    payload = _button_payload(suggestions.params["blocks"], "kindred.save.")
    payload["response_url"] = slack.fake.response_url("save")
    await slack.interaction(payload)
    calls = await slack.fake.wait_for("response_url", count=2)
    assert "Saved" in calls[-1].params["text"]

    await slack.event({"type": "app_home_opened", "user": ASKER, "channel": "D1", "tab": "home"}, "EvHome")
    (published,) = await slack.fake.wait_for("views.publish")
    assert published.params["user_id"] == ASKER
    home = json.dumps(published.params["view"])
    assert "Saved resources" in home
    assert "fraction" in home.lower()
    assert QUESTION[:20] in home, "my open questions"


async def test_onboard_button_opens_profile_modal_and_submission_saves_profile(slack: SlackHarness) -> None:
    slack.fake.users[ASKER] = {"real_name": "Pat Rivera", "tz": "America/Denver"}
    await slack.command("ask", QUESTION)
    (suggestions,) = await slack.fake.wait_for("response_url")
    await slack.interaction(_button_payload(suggestions.params["blocks"], "kindred.onboard."))
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "kindred_profile_modal"
    name_block = next(b for b in view["blocks"] if b.get("block_id") == "name")
    assert name_block["element"]["initial_value"] == "Pat Rivera"

    view["state"] = {
        "values": {
            "name": {"value": {"type": "plain_text_input", "value": "Pat Rivera"}},
            "subjects": {
                "value": {"type": "multi_static_select", "selected_options": [{"value": "science"}]}
            },
            "grades": {"value": {"type": "multi_static_select", "selected_options": [{"value": "5"}]}},
            "interests": {"value": {"type": "plain_text_input", "value": "labs, inquiry"}},
        }
    }
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": ASKER}, "view": view}
    response = await slack.interaction(payload)
    assert response.status == 200
    await slack.fake.wait_for("views.publish")

    from bot.storage.repositories import TeacherRepository

    with slack.app.db.session() as session:
        teacher = TeacherRepository(session).find("slack", ASKER)
    assert teacher is not None and teacher.onboarded
    assert teacher.subjects == ("science",) and teacher.grades == ("5",)
    assert teacher.interests == ("labs", "inquiry")
    assert teacher.timezone == "America/Denver"
