"""District exports through the real `kindred` CLI: every usable row kept, emails resolved on Slack."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli
from tests.platforms.slack.fake_slack_thread import fake_slack_in_thread

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent.parent / "data" / "district"


def test_district_files_import_and_sync_through_the_cli(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_DATABASE_URL", database_url)
    runner = CliRunner()
    excel = runner.invoke(cli, ["resources", "import", str(DATA / "resources_excel.csv")])
    assert "9 added, 0 updated, 1 rejected" in excel.output, excel.output
    assert "line 10: no title: add a title" in excel.output and excel.exit_code == 1
    export = runner.invoke(cli, ["resources", "import", str(DATA / "resources_export.jsonl")])
    assert "4 added, 0 updated, 1 rejected" in export.output, export.output
    with fake_slack_in_thread() as fake:
        fake.users["U0BOCHEN1"] = {
            "real_name": "Bo Chen",
            "tz": "America/Denver",
            "email": "bo.chen@district.example",
        }
        fake.users["U0DEE0001"] = {"real_name": "Dee Ortiz", "email": "dee.ortiz@district.example"}
        fake.users["U0NEWONE1"] = {"real_name": "Gus New", "email": "gus@district.example"}
        fake.users["B0BOT0001"] = {"real_name": "A bot", "is_bot": True}
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("KINDRED_SLACK_API_URL", fake.base_url)
        teachers = runner.invoke(cli, ["teachers", "import", str(DATA / "teachers_sheets.csv")])
        assert "4 added, 0 updated, 1 rejected" in teachers.output, teachers.output
        assert "2 teachers found by email in the workspace" in teachers.output
        assert "line 5: no id and no email" in teachers.output
        assert len(fake.of("users.lookupByEmail")) == 2
        synced = runner.invoke(cli, ["teachers", "sync", "--platform", "slack"])
        assert synced.exit_code == 0, synced.output
        assert "Slack members: 1 added, 0 linked by email, 2 already known" in synced.output
    stats = runner.invoke(cli, ["stats"])
    assert "resources: 13" in stats.output and "teachers:  5" in stats.output
    discord = runner.invoke(cli, ["teachers", "sync", "--platform", "discord"])
    assert discord.exit_code == 2 and "Discord has no lookup by email" in discord.output
