"""Shared fixtures: isolated settings, a database per test (SQLite, or PostgreSQL when
KINDRED_TEST_DATABASE_URL is set), the fake embedder for unit tests and the real model once per run."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, text

from bot.bootstrap import App, bootstrap, prepare
from bot.matching.embedder import SentenceTransformerEmbedder, default_model_path
from bot.matching.hashing_embedder import HashingEmbedder
from bot.settings import Settings, load_settings
from bot.storage.database import Database
from bot.storage.migrate import upgrade

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

_KINDRED_ENV = ("KINDRED_", "SLACK_", "DISCORD_")
_TRAVEL: list[time_machine.travel] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-at",
        metavar="ISO_INSTANT",
        help="run the whole session as if the machine's clock stood at this instant (it keeps ticking); "
        "CI uses it to prove no test depends on the hour, the weekday or the time zone",
    )


def pytest_configure(config: pytest.Config) -> None:
    at = config.getoption("--clock-at")
    if at:
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise pytest.UsageError("--clock-at needs an offset, e.g. 2026-11-30T03:00:00+00:00")
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        _TRAVEL.append(travel)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _TRAVEL:
        _TRAVEL.pop().stop()


SQLITE_NAME = "kindred-test.db"


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Tests never see the developer's tokens, .env or data dir; every log call is really formatted."""
    caplog.set_level(logging.DEBUG)
    for name in list(os.environ):
        if name.startswith(_KINDRED_ENV) and name != "KINDRED_TEST_DATABASE_URL":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def postgres_url() -> str | None:
    """The PostgreSQL test URL pinned to a schema of this test process, so parallel runs never collide."""
    base = os.environ.get("KINDRED_TEST_DATABASE_URL")
    if not base:
        return None
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{_pg_schema()}"


def _pg_schema() -> str:
    return f"kindred_test_{os.getpid()}"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A clean, empty database for one test."""
    url = postgres_url()
    if url is None:
        yield f"sqlite:///{tmp_path / SQLITE_NAME}"
        return
    reset_postgres(url)
    yield url


def reset_postgres(url: str) -> None:
    from bot.storage.database import create_db_engine

    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {_pg_schema()} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {_pg_schema()}"))
    engine.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated, empty database (no sample data, no model)."""
    database = Database.from_url(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(KINDRED_DATA_DIR=tmp_path / "data", KINDRED_DATABASE_URL=database_url)


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder() -> SentenceTransformerEmbedder:
    """The bundled all-MiniLM-L6-v2, loaded once per test run."""
    embedder = SentenceTransformerEmbedder(default_model_path())
    embedder.load()
    return embedder


def make_app(settings: Settings, embedder, platforms: tuple[str, ...] = ("console",)) -> App:  # type: ignore[no-untyped-def]
    app = bootstrap(settings, embedder=embedder)
    return prepare(app, list(platforms))


def _prepare_template(folder: Path, embedder) -> Path:  # type: ignore[no-untyped-def]
    """Migrated SQLite database plus index files with the sample data, built once per test run."""
    settings = Settings(
        KINDRED_DATA_DIR=folder / "data", KINDRED_DATABASE_URL=f"sqlite:///{folder / SQLITE_NAME}"
    )  # type: ignore[call-arg]
    template = make_app(settings, embedder)
    with template.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.close()
    return folder


def _app_from_template(settings: Settings, embedder, tmp_path: Path, template: Path) -> App:  # type: ignore[no-untyped-def]
    """On SQLite, start from a copy of the prepared template instead of migrating, importing and indexing."""
    if postgres_url() is None and settings.database_url == f"sqlite:///{tmp_path / SQLITE_NAME}":
        shutil.copyfile(template / SQLITE_NAME, tmp_path / SQLITE_NAME)
        shutil.copytree(template / "data", settings.data_dir, dirs_exist_ok=True)
    return make_app(settings, embedder)


@pytest.fixture(scope="session")
def _prepared_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _prepare_template(tmp_path_factory.mktemp("prepared"), HashingEmbedder())


@pytest.fixture(scope="session")
def _prepared_real_template(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: SentenceTransformerEmbedder
) -> Path:
    """The same on the real model: the sample data is embedded once per run, not once per test."""
    return _prepare_template(tmp_path_factory.mktemp("prepared-real"), real_embedder)


@pytest.fixture
def app(
    settings: Settings, fake_embedder: HashingEmbedder, tmp_path: Path, _prepared_sqlite_template: Path
) -> Iterator[App]:
    """The whole core on the fake embedder, with the sample catalog and community loaded."""
    kindred_app = _app_from_template(settings, fake_embedder, tmp_path, _prepared_sqlite_template)
    yield kindred_app
    kindred_app.close()


@pytest.fixture
def real_app(
    settings: Settings,
    real_embedder: SentenceTransformerEmbedder,
    tmp_path: Path,
    _prepared_real_template: Path,
) -> Iterator[App]:
    """The whole core on the real model, with the sample catalog and community loaded."""
    kindred_app = _app_from_template(settings, real_embedder, tmp_path, _prepared_real_template)
    yield kindred_app
    kindred_app.close()


def pytest_report_header(config: pytest.Config) -> str:
    url = postgres_url()
    clock = config.getoption("--clock-at")
    return (
        "database: "
        + (create_engine(url).url.render_as_string() if url else "sqlite (per-test temp file)")
        + (f"; clock starts at {clock}" if clock else "")
    )


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_schema_at_end() -> Iterator[None]:
    yield
    url = postgres_url()
    if url is not None:
        from bot.storage.database import create_db_engine

        engine = create_db_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {_pg_schema()} CASCADE"))
        engine.dispose()
