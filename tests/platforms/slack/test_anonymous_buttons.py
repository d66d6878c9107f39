"""Item: pressing any button of an anonymous answer never stores a link between the asker and the question."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.anonymity import redaction
from bot.anonymity.config import AnonymityConfig
from tests.platforms.slack.conftest import SlackHarness, block_actions
from tests.privacy import db_scan

ANON = "UANONSLK88"
ANON_NAME = "Priya Secretname"
QUESTION = "How do I teach equivalent fractions hands-on to my 4th graders with fraction strips?"


@pytest.fixture(autouse=True)
def _forget() -> None:
    yield
    redaction.forget_all()


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                found.append(element)
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            found.append(accessory)
    return found


def press(button: dict[str, Any], response_url: str) -> dict[str, Any]:
    return block_actions(button, ANON, response_url, name="priya")


async def test_every_button_of_an_anonymous_answer_links_nobody(slack: SlackHarness) -> None:
    slack.app.kindred.deps.anonymity = AnonymityConfig(
        identity_key=Fernet.generate_key().decode(), post_delay=lambda: 0.0
    )
    slack.fake.users[ANON] = {"real_name": ANON_NAME, "tz": "America/Chicago"}
    await slack.command("ask", f"anon {QUESTION}", user=ANON)
    (answer,) = await slack.fake.wait_for("response_url")
    with slack.app.db.session() as session:
        request_id = session.execute(text("SELECT id FROM help_requests")).scalar_one()
    pressable = buttons(answer.params["blocks"])
    actions = {b["action_id"].split(".")[1] for b in pressable}
    assert {"helped", "save", "not_relevant"} <= actions, actions
    for b in pressable:  # no resource button names the question
        if b["action_id"].split(".")[1] in ("helped", "save", "not_relevant"):
            assert ":" not in b["value"], "a resource id only"

    for n, button in enumerate(pressable):
        response = await slack.interaction(press(button, slack.fake.response_url(f"p{n}")))
        assert response.status == 200
        await slack.fake.wait_for("response_url", count=n + 2)
    # and a hand-made button carrying the question id, as an old answer had
    resource = next(b for b in pressable if b["action_id"].startswith("kindred.save."))
    forged = {**resource, "action_id": "kindred.helped.99", "value": f"{request_id}:{resource['value']}"}
    await slack.interaction(press(forged, slack.fake.response_url("forged")))
    await slack.fake.wait_for("response_url", count=len(pressable) + 2)
    assert "Already noted" in json.dumps(slack.fake.of("response_url")[-1].params), "kept without the id"

    with slack.app.db.session() as session:
        teacher_ids = set(
            session.execute(
                text("SELECT id FROM teachers WHERE platform_user_id = :u"), {"u": ANON}
            ).scalars()
        )
        kept = session.execute(text("SELECT request_id, kind FROM feedback")).all()
    assert teacher_ids, "Save keeps the resource for the teacher (without the question)"
    assert kept and all(r.request_id is None for r in kept), kept
    assert db_scan.links(slack.app.db, request_id, {ANON, ANON_NAME}, teacher_ids) == []

    # typing: flagging your own question stores nothing that names you
    await slack.command("kindred", f"flag {request_id}", user=ANON)
    await slack.fake.wait_for("response_url", count=len(pressable) + 3)
    assert db_scan.links(slack.app.db, request_id, {ANON, ANON_NAME}, teacher_ids) == []
