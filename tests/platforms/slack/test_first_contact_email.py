"""A teacher the district imported by email only is linked to their Slack account on first contact."""

from __future__ import annotations

from pathlib import Path

from bot.importing.importer import import_teachers
from bot.storage.repositories import TeacherRepository
from tests.platforms.slack.conftest import SlackHarness

DATA = Path(__file__).parent.parent.parent / "data" / "district"
BO = "U0BOCHEN1"


async def test_first_command_links_the_imported_profile(slack: SlackHarness) -> None:
    helpers_before = len(slack.app.indexer.index("teacher"))
    report = import_teachers(slack.app.db, DATA / "teachers_sheets.csv")  # no token at import: Bo waits
    assert report.pending == 2
    slack.fake.users[BO] = {"real_name": "Bo C.", "tz": "America/Denver", "email": "Bo.Chen@district.example"}
    response = await slack.command("kindred", "profile", user=BO)
    assert response.status == 200
    await slack.fake.wait_for("users.info")
    await slack.settle()
    with slack.app.db.session() as session:
        repo = TeacherRepository(session)
        bo = repo.find("slack", BO)
        assert repo.find_by_email("slack", "dee.ortiz@district.example").platform_user_id.startswith("email:")
    assert bo is not None and bo.name == "Bo Chen"  # the district's profile, not a blank first-contact one
    assert "classroom management" in bo.interests and bo.onboarded
    assert len(slack.app.indexer.index("teacher")) == helpers_before + 1  # now a possible helper
