"""The `kindred` CLI end to end on the real model (loaded in-process once per command)."""

import json

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli

pytestmark = pytest.mark.slow


def test_import_names_bad_lines_exits_non_zero_and_reimport_updates(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_DATABASE_URL", database_url)
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"title": "Number talks", "url": "https://example.org/nt"}) + "\n{oops\n")
    runner = CliRunner()
    first = runner.invoke(cli, ["resources", "import", str(path)])
    assert first.exit_code == 1, first.output
    assert "1 added, 0 updated, 1 rejected" in first.output and "line 2: not valid JSON" in first.output
    path.write_text(json.dumps({"title": "Number talks!", "url": "https://example.org/nt"}) + "\n")
    second = runner.invoke(cli, ["resources", "import", str(path)])
    assert second.exit_code == 0 and "0 added, 1 updated, 0 rejected" in second.output
    stats = runner.invoke(cli, ["stats"])
    assert "resources: 1" in stats.output
    rebuilt = runner.invoke(cli, ["index", "rebuild"])
    assert rebuilt.exit_code == 0 and "Rebuilt: 1 resources, 0 teachers." in rebuilt.output
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "revision" in upgraded.output
