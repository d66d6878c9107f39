"""`kindred run` refuses a bad start with one line naming the setting, before the model loads."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

import bot.cli as cli
from bot.cli import common
from bot.storage.database import create_db_engine

GOOD_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    loaded: list[str] = []
    monkeypatch.setattr(
        common, "load_app", lambda settings: loaded.append("model") or (_ for _ in ()).throw(SystemExit(9))
    )
    return loaded


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "   "}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "short"}, "SLACK_SIGNING_SECRET"),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_SIGNING_SECRET": GOOD_SECRET,
                "KINDRED_IDENTITY_KEY": "nope",
            },
            "KINDRED_IDENTITY_KEY",
        ),
    ],
    ids=["missing", "whitespace", "short", "identity-key"],
)
def test_bad_start_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, no_model: list[str], env: dict[str, str], named: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli.app, ["run"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and named in lines[0], result.output
    assert "Traceback" not in result.output
    assert not no_model, "stopped before the model loads"


def test_no_token_and_no_tty_exits_with_which_token_to_set(no_model: list[str]) -> None:
    result = CliRunner().invoke(cli.app, ["run"], input="")  # CliRunner's stdin is not a TTY
    assert result.exit_code == 2
    assert "SLACK_BOT_TOKEN" in result.output and "DISCORD_TOKEN" in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    assert not no_model


def test_explicit_console_on_piped_input_still_starts(no_model: list[str]) -> None:
    result = CliRunner().invoke(cli.app, ["run", "--platform", "console"], input="")
    assert no_model == ["model"]  # went on to load the model
    assert result.exit_code == 9


def test_database_errors_never_show_sql_parameters(tmp_path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (v TEXT NOT NULL UNIQUE)"))
        conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": "my private question"})
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": "my private question"})
    assert "my private question" not in str(caught.value)
