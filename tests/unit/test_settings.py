import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_are_the_embedded_setup(tmp_path):
    settings = load_settings()
    assert settings.platforms() == ["console"]
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/kindred.db")
    assert settings.http_port == 3000
    assert settings.nudge_after.total_seconds() == 2 * 3600


def test_nudge_after_reads_human_durations(monkeypatch):
    monkeypatch.setenv("KINDRED_NUDGE_AFTER", "1h30m")
    assert load_settings().nudge_after.total_seconds() == 5400


def test_env_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("KINDRED_HTTP_PORT=4000\nDISCORD_TOKEN=abc\nDISCORD_GUILD_IDS=1, 2\n")
    settings = load_settings()
    assert settings.http_port == 4000
    assert settings.platforms() == ["discord"]
    assert settings.guild_ids == [1, 2]


def test_tokens_choose_platforms(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("DISCORD_TOKEN", "d")
    assert load_settings().platforms() == ["slack", "discord"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KINDRED_HTTP_PORT", "not-a-port"),
        ("KINDRED_LOG_LEVEL", "LOUD"),
        ("DISCORD_GUILD_IDS", "12,abc"),
        ("KINDRED_DATABASE_URL", "mysql://x"),
        ("KINDRED_NUDGE_AFTER", "soon"),
    ],
)
def test_bad_settings_fail_with_one_clear_message(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert name in str(info.value) or "KINDRED_DATABASE_URL" in str(info.value)
    assert "\n" not in str(info.value)


def test_worker_processes_are_for_slack_over_http_only(monkeypatch):
    monkeypatch.setenv("KINDRED_WORKERS", "2")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "0123456789abcdef0123456789abcdef")
    assert load_settings().platform_problems(["slack"]) == []
    monkeypatch.setenv("DISCORD_TOKEN", "d")
    assert load_settings().platform_problems(["slack", "discord"]) == [
        "KINDRED_WORKERS above 1 needs --platform slack in HTTP mode (no app token)"
    ]
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings().platform_problems(["slack"]) != []


def test_each_worker_keeps_its_own_index_files(monkeypatch):
    assert load_settings().index_dir.name == "index"
    monkeypatch.setenv("KINDRED_WORKER", "1")
    assert load_settings().index_dir.name == "index-worker1"
