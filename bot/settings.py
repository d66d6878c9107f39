"""Typed settings from the environment and ``.env``; built in ``bootstrap()``, never at import time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.scheduling.durations import parse_duration

PLATFORMS = ("console", "slack", "discord")
SLACK_SECRET_LENGTH = 32
MIN_SIGNING_SECRET = 16


class SettingsError(RuntimeError):
    """One clear message naming the bad setting(s)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(Path("./var"), alias="KINDRED_DATA_DIR")
    database_url: str | None = Field(None, alias="KINDRED_DATABASE_URL")
    model: str | None = Field(None, alias="KINDRED_MODEL")
    http_port: int = Field(3000, alias="KINDRED_HTTP_PORT", ge=1, le=65535)
    # Slack HTTP mode: worker processes sharing the port (SO_REUSEPORT); ``worker`` is set for each by
    # ``kindred run`` (docs/deploy.md).
    workers: int = Field(1, alias="KINDRED_WORKERS", ge=1, le=64)
    worker: int = Field(0, alias="KINDRED_WORKER", ge=0, le=63)
    log_level: str = Field("INFO", alias="KINDRED_LOG_LEVEL")
    intent_threshold: float = Field(0.5, alias="KINDRED_INTENT_THRESHOLD", ge=0.0, le=1.0)  # P(help)
    # learned: logistic regression over the embedding; phrases: the phrase rules; auto: learned unless the
    # embedder is the test-only hashing fake.
    intent_detector: Literal["auto", "learned", "phrases"] = Field("auto", alias="KINDRED_INTENT_DETECTOR")
    sample_data: bool = Field(True, alias="KINDRED_SAMPLE_DATA")
    # The emoji that asks Kindred about a message (Slack name; Discord uses the same emoji): once per message.
    ask_reaction: str = Field("raising_hand", alias="KINDRED_ASK_REACTION")
    nudge_after: timedelta = Field(timedelta(hours=2), alias="KINDRED_NUDGE_AFTER")
    pack_size: int = Field(4, alias="KINDRED_PACK_SIZE", ge=3, le=5)  # packs of 3–5, aiming at this
    pack_every: timedelta = Field(timedelta(days=14), alias="KINDRED_PACK_EVERY")
    pack_avoid_rounds: int = Field(3, alias="KINDRED_PACK_AVOID_ROUNDS", ge=0, le=52)
    # shared: one catalog for every workspace (a district's); workspace: what a teacher shares stays in theirs
    catalog_scope: Literal["shared", "workspace"] = Field("shared", alias="KINDRED_CATALOG_SCOPE")
    dispatch_interval: int = Field(30, alias="KINDRED_DISPATCH_INTERVAL", ge=1, le=3600)  # follow-up ticks, s
    retention_days: int = Field(365, alias="KINDRED_RETENTION_DAYS", ge=1)  # then question text goes

    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_redirect_uri: str | None = Field(None, alias="SLACK_REDIRECT_URI")  # OAuth; else the app's own
    slack_help_channel: str = Field("help", alias="KINDRED_SLACK_HELP_CHANNEL")
    slack_api_url: str | None = Field(None, alias="KINDRED_SLACK_API_URL")  # Web API base (tests, proxies)

    discord_token: str | None = Field(None, alias="DISCORD_TOKEN")
    discord_guild_ids: str = Field("", alias="DISCORD_GUILD_IDS")
    discord_shard_count: int | None = Field(None, alias="DISCORD_SHARD_COUNT", ge=1)  # else Discord's advice
    discord_help_channel: str = Field("help", alias="KINDRED_DISCORD_HELP_CHANNEL")

    identity_key: str | None = Field(None, alias="KINDRED_IDENTITY_KEY")  # Fernet key: anonymous asks
    allow_escrow_reveal: bool = Field(False, alias="KINDRED_ALLOW_ESCROW_REVEAL")
    slack_moderator_group: str | None = Field(None, alias="KINDRED_SLACK_MODERATOR_GROUP")
    discord_moderator_role: str | None = Field(None, alias="KINDRED_DISCORD_MODERATOR_ROLE")
    slack_leader_group: str | None = Field(None, alias="KINDRED_SLACK_LEADER_GROUP")  # /kindred report
    discord_leader_role: str | None = Field(None, alias="KINDRED_DISCORD_LEADER_ROLE")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("is blank; copy the Signing Secret from your Slack app's Basic Information page")
        if value != value.strip() or len(value) < MIN_SIGNING_SECRET:
            raise ValueError(
                f"looks wrong (Slack signing secrets are {SLACK_SECRET_LENGTH} characters, no spaces)"
            )
        return value

    @field_validator("identity_key")
    @classmethod
    def _identity_key(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # anonymous asking is off
        from cryptography.fernet import Fernet

        try:
            Fernet(value.strip())
        except (ValueError, TypeError):
            raise ValueError(
                "is not a Fernet key (make one with: python -c "
                '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
            ) from None
        return value.strip()

    @field_validator("nudge_after", "pack_every", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("discord_shard_count", "slack_redirect_uri", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_guild_ids")
    @classmethod
    def _guilds(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            if not part.isdigit():
                raise ValueError(f"{part!r} is not a numeric guild id (comma-separated list expected)")
        return value

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'kindred.db').resolve()}"
        elif not self.database_url.startswith(("sqlite", "postgresql")):
            raise ValueError("KINDRED_DATABASE_URL must start with sqlite:// or postgresql://")
        return self

    @property
    def guild_ids(self) -> list[int]:
        return [int(p) for p in (p.strip() for p in self.discord_guild_ids.split(",")) if p]

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token or self.slack_client_id)

    @property
    def discord_enabled(self) -> bool:
        return bool(self.discord_token)

    def platforms(self) -> list[str]:
        """Platforms to run by default: those with tokens, else the console."""
        chosen = [p for p, on in (("slack", self.slack_enabled), ("discord", self.discord_enabled)) if on]
        return chosen or ["console"]

    def platform_problems(self, platforms: list[str]) -> list[str]:
        """What stops these platforms from starting, one line per missing setting."""
        problems = []
        if "slack" in platforms:
            if not self.slack_bot_token:
                problems.append("SLACK_BOT_TOKEN is not set (see docs/connect-slack.md)")
            elif not self.slack_app_token and not self.slack_signing_secret:
                problems.append(
                    "SLACK_SIGNING_SECRET is not set: HTTP mode needs it (or set SLACK_APP_TOKEN)"
                )
        if self.workers > 1 and (platforms != ["slack"] or self.slack_app_token):
            problems.append("KINDRED_WORKERS above 1 needs --platform slack in HTTP mode (no app token)")
        if "discord" in platforms and not self.discord_token:
            problems.append("DISCORD_TOKEN is not set (see docs/connect-discord.md)")
        return problems

    @property
    def index_dir(self) -> Path:
        """Worker 0 (and a single process) keeps ``index/``; other workers save their own copy."""
        return self.data_dir / ("index" if self.worker == 0 else f"index-worker{self.worker}")


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = _env_name(str(error["loc"][0])) if error["loc"] else "settings"
            problems.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
        raise SettingsError("Invalid configuration — " + "; ".join(problems)) from None


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    return info.alias if info and info.alias else field
