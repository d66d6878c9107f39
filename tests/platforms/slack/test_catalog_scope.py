"""``KINDRED_CATALOG_SCOPE``: two schools installed through OAuth share one district catalog by default;
with ``workspace`` what a teacher shares in one school is never suggested in the other, while the
district's imported resources (shared by nobody) stay visible to both. Signed requests end to end."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.matching.catalog_scope import WORKSPACE
from bot.platforms.slack.runner import EVENTS_PATH
from bot.storage.models import ResourceRow
from bot.storage.repositories import ResourceRepository
from tests.platforms.slack.conftest import block_actions, signed_headers
from tests.platforms.slack.test_oauth import ASKERS, Installs, installs  # noqa: F401 (the fixture)

SHARED = "Cursive Handwriting Warm-Ups with Sky, Plane and Grass Lines"
IMPORTED = "Cursive Letter Formation Cards for Sky, Plane and Grass Lines"
QUESTION = "Any cursive handwriting warm-ups with sky, plane and grass lines for my 3rd graders?"
_IDS = itertools.count(1)


async def slash(harness: Installs, team_id: str, command: str, text: str) -> str:
    """A signed slash command from ``team_id``; returns what reached its response_url (JSON)."""
    reply_to = f"{team_id}-{next(_IDS)}"
    body = urlencode(
        {
            "team_id": team_id,
            "channel_id": "CGENERAL01",
            "user_id": ASKERS[team_id],
            "command": f"/{command}",
            "text": text,
            "api_app_id": "A1",
            "response_url": harness.fake.response_url(reply_to),
            "trigger_id": f"77.1.{next(_IDS)}",
        }
    )
    return await signed(harness, body, reply_to)


async def signed(harness: Installs, body: str, reply_to: str) -> str:
    """Post a signed form ``body``; returns what then reached the response_url ``reply_to`` (JSON)."""
    response = await harness.client.post(
        EVENTS_PATH, data=body, headers=signed_headers(body, "application/x-www-form-urlencoded")
    )
    assert response.status == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for call in harness.fake.of("response_url"):
            if call.token == reply_to:
                return json.dumps(call.params)
        await asyncio.sleep(0.02)
    raise AssertionError(f"nothing reached {reply_to}")


async def press(harness: Installs, team_id: str, button: dict[str, Any]) -> str:
    """``team_id``'s asker presses ``button`` (signed ``block_actions``); returns its response_url call."""
    reply_to = f"{team_id}-press-{next(_IDS)}"
    payload = block_actions(button, ASKERS[team_id], harness.fake.response_url(reply_to))
    payload["team"] = {"id": team_id}
    payload["user"]["team_id"] = team_id
    return await signed(harness, urlencode({"payload": json.dumps(payload)}), reply_to)


async def two_schools_and_a_share(harness: Installs) -> None:
    await harness.install("code-1", "T1")
    await harness.install("code-2", "T2")
    with harness.app.db.session() as session:
        ResourceRepository(session).upsert(
            {"title": IMPORTED, "description": "district cards: cursive on sky, plane and grass lines"}
        )
    harness.app.indexer.prepare()
    await slash(harness, "T1", "share", f"{SHARED} | cursive letters on sky, plane and grass lines")
    with harness.app.db.session() as session:
        assert session.scalar(select(ResourceRow.id).where(ResourceRow.title == SHARED)) is not None


@pytest.fixture
def per_workspace(installs: Installs) -> Installs:  # noqa: F811
    installs.app.kindred.deps.suggester.catalog_scope = WORKSPACE
    return installs


async def test_per_workspace_catalog_keeps_a_share_in_its_school(per_workspace: Installs) -> None:
    await two_schools_and_a_share(per_workspace)
    mine = await slash(per_workspace, "T1", "ask", QUESTION)
    theirs = await slash(per_workspace, "T2", "ask", QUESTION)
    assert SHARED in mine, "the sharer's own school is offered it"
    assert SHARED not in theirs, "another school never is"
    assert IMPORTED in mine and IMPORTED in theirs, "the district's imported resources reach every school"


async def test_a_forgotten_sharers_resource_stays_in_its_school(per_workspace: Installs) -> None:
    await two_schools_and_a_share(per_workspace)
    offer = json.loads(await slash(per_workspace, "T1", "kindred", "forget-me"))
    buttons = [e for b in offer.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]
    confirm = next(b for b in buttons if ".forget_me_confirm." in b["action_id"])
    assert "deleted everything" in await press(per_workspace, "T1", confirm)
    with per_workspace.app.db.session() as session:
        row = session.scalars(select(ResourceRow).where(ResourceRow.title == SHARED)).one()
        assert row.shared_by is None, "the sharer is forgotten"
    assert SHARED not in await slash(per_workspace, "T2", "ask", QUESTION), (
        "still not offered to another school"
    )
    assert SHARED in await slash(per_workspace, "T1", "ask", QUESTION), "still offered in its own school"


async def test_the_default_is_one_shared_district_catalog(installs: Installs) -> None:  # noqa: F811
    assert installs.app.settings.catalog_scope == "shared"
    await two_schools_and_a_share(installs)
    assert SHARED in await slash(installs, "T2", "ask", QUESTION)
