"""Shared fixtures: isolated settings, a database per test (SQLite, or PostgreSQL when
KINDRED_TEST_DATABASE_URL is set), the fake embedder for unit tests and the real model once per run."""

from __future__ import annotations

import fcntl
import gc
import itertools
import logging
import os
import queue
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from bot.bootstrap import App, bootstrap, prepare
from bot.matching.embedder import Embedder, SentenceTransformerEmbedder, default_model_path
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


def postgres_base_url() -> str | None:
    return os.environ.get("KINDRED_TEST_DATABASE_URL") or None


def _pg_database(role: str) -> str:
    """A database name of this test process (an xdist worker is a process too): runs never collide."""
    return f"kindred_{role}_{os.getpid()}"


def postgres_url(database: str) -> str | None:
    """The URL of ``database`` on the configured PostgreSQL server; None when testing on SQLite."""
    base = postgres_base_url()
    if base is None:
        return None
    return make_url(base).set(database=database).render_as_string(hide_password=False)


def _pg_admin() -> Engine:
    """An autocommit engine on the configured database, for CREATE and DROP DATABASE."""
    from bot.storage.database import create_db_engine

    base = postgres_base_url()
    assert base is not None
    return create_db_engine(base).execution_options(isolation_level="AUTOCOMMIT")


def _pg_create(name: str, template: str = "template0") -> None:
    """(Re)create ``name`` as a copy of ``template``: WAL_LOG copies a small database without a checkpoint."""
    engine = _pg_admin()
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY WAL_LOG'))
    engine.dispose()


def _pg_drop(*names: str) -> None:
    engine = _pg_admin()
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


class _Dropper:
    """Drops finished tests' databases on a thread: DROP DATABASE waits for a checkpoint (a fraction of a
    second, seconds on a busy disk) that the next test, in a database of its own, need not wait for."""

    def __init__(self) -> None:
        self._names: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.failures: list[str] = []

    def drop(self, name: str) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="drop-test-databases", daemon=True)
            self._thread.start()
        self._names.put(name)

    def close(self) -> None:
        """Wait until every database handed over is gone."""
        if self._thread is not None:
            self._names.put(None)
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while (name := self._names.get()) is not None:
            try:
                _pg_drop(name)
            except Exception as error:  # reported at the end of the run
                self.failures.append(f"{name}: {error}")


_DROPPER = _Dropper()
_TEST_DATABASES = itertools.count(1)


@dataclass(frozen=True)
class Template:
    """A database in a known state, made once per test process, that each test starts from a copy of:
    a SQLite file copy, or on PostgreSQL ``CREATE DATABASE … TEMPLATE``. Migrating (and importing and
    indexing the sample data) per test gave the very same state, only one to two seconds later."""

    folder: Path  # the SQLite file and, for a prepared app, its data dir (index files, intent model)
    pg_database: str | None

    @property
    def url(self) -> str:
        if self.pg_database is not None:
            url = postgres_url(self.pg_database)
            assert url is not None
            return url
        return f"sqlite:///{self.folder / SQLITE_NAME}"

    def restore(self, url: str) -> None:
        """Make the database at ``url`` (this process's test database) a copy of this template."""
        if self.pg_database is not None:
            _pg_create(make_url(url).database or "", template=self.pg_database)
        else:
            shutil.copyfile(self.folder / SQLITE_NAME, make_url(url).database or "")

    def seal(self, database: Database) -> None:
        """Nothing of the template may linger in a write-ahead log or an open connection."""
        if database.is_sqlite:
            with database.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.dispose()


class Templates:
    """The starting states, each built on first use: migrated; migrated with the sample catalog and
    community loaded and indexed on the fake embedder; the same on the real model. A SQLite template is a
    folder built by the first xdist worker that needs it and copied by all; PostgreSQL's are per process."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._made: dict[str, Template] = {}

    def get(self, kind: str, embedder: Embedder | None = None) -> Template:
        """The template ``kind``; an app template is built (on first use) with ``embedder``."""
        if kind not in self._made:
            self._made[kind] = self._shared(kind, embedder)
        return self._made[kind]

    def _shared(self, kind: str, embedder: Embedder | None) -> Template:
        if postgres_base_url() is not None:
            return self._make(self._root / f"{kind}-{os.getpid()}", kind, embedder)
        folder = self._root / kind
        with open(self._root / f"{kind}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not (folder / "ready").exists():
                shutil.rmtree(folder, ignore_errors=True)  # a worker that died half-way
                self._make(folder, kind, embedder)
                (folder / "ready").touch()
        return Template(folder, None)

    def _make(self, folder: Path, kind: str, embedder: Embedder | None) -> Template:
        folder.mkdir()
        template = Template(folder, _pg_database(f"tpl_{kind}") if postgres_base_url() else None)
        if template.pg_database is not None:
            _pg_create(template.pg_database)
        if kind == "migrated":
            database = Database.from_url(template.url)
            upgrade(database.engine)
            template.seal(database)
            return template
        assert embedder is not None, f"the {kind} template is built with the test's embedder"
        settings = Settings(KINDRED_DATA_DIR=folder / "data", KINDRED_DATABASE_URL=template.url)  # type: ignore[call-arg]
        prepared = make_app(settings, embedder)
        template.seal(prepared.db)
        return template

    def drop(self) -> None:
        names = [t.pg_database for t in self._made.values() if t.pg_database is not None]
        if names:
            _pg_drop(*names)


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """One folder for the whole run: xdist workers share it (their base temps are its children)."""
    run = tmp_path_factory.getbasetemp()
    root = run.parent / "templates" if os.environ.get("PYTEST_XDIST_WORKER") else run / "templates"
    root.mkdir(exist_ok=True)
    templates = Templates(root)
    yield templates
    templates.drop()


_STARTED_FROM = pytest.StashKey[str | None]()


def _starting_state(request: pytest.FixtureRequest) -> str | None:
    """What the test's fixtures would have built in its database: the template to copy instead."""
    names = request.fixturenames
    if "real_app" in names:
        return "real"
    if "app" in names:
        return "prepared"
    if "db" in names:
        return "migrated"
    return None  # the test migrates (or not) by itself: an empty database


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path, _templates: Templates) -> Iterator[str]:
    """This test's own database: empty, or (for ``db``, ``app``, ``real_app``) a copy of their template."""
    name = _pg_database(f"test_{next(_TEST_DATABASES)}")  # PostgreSQL: a new database for every test
    url = postgres_url(name) or f"sqlite:///{tmp_path / SQLITE_NAME}"
    kind = _starting_state(request)
    request.node.stash[_STARTED_FROM] = kind
    if kind is not None:
        embedder = request.getfixturevalue("real_embedder") if kind == "real" else HashingEmbedder()
        _templates.get(kind, embedder).restore(url)
    elif postgres_base_url() is not None:
        _pg_create(name)
    yield url
    if postgres_base_url() is not None:
        _DROPPER.drop(name)


@pytest.fixture
def db(database_url: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database (no sample data, no model)."""
    database = Database.from_url(database_url)
    if request.node.stash[_STARTED_FROM] is None:  # asked for late (getfixturevalue): migrate it here
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


def make_app(settings: Settings, embedder: Embedder, migrate: bool = True) -> App:
    app = bootstrap(settings, embedder=embedder, migrate=migrate)
    return prepare(app, ["console"])


def _app_from_template(settings: Settings, embedder: Embedder, template: Template) -> App:
    """The database is already a copy of the template (migrated when it was built); its index files and
    intent model join it, so the app starts without migrating, importing or embedding anything."""
    shutil.copytree(template.folder / "data", settings.data_dir, dirs_exist_ok=True)
    return make_app(settings, embedder, migrate=False)


@pytest.fixture
def app(settings: Settings, fake_embedder: HashingEmbedder, _templates: Templates) -> Iterator[App]:
    """The whole core on the fake embedder, with the sample catalog and community loaded."""
    kindred_app = _app_from_template(settings, fake_embedder, _templates.get("prepared"))
    yield kindred_app
    kindred_app.close()


@pytest.fixture
def real_app(
    settings: Settings, real_embedder: SentenceTransformerEmbedder, _templates: Templates
) -> Iterator[App]:
    """The whole core on the real model, with the sample catalog and community loaded."""
    kindred_app = _app_from_template(settings, real_embedder, _templates.get("real"))
    yield kindred_app
    kindred_app.close()


def pytest_report_header(config: pytest.Config) -> str:
    base = postgres_base_url()
    clock = config.getoption("--clock-at")
    return (
        "database: "
        + (
            make_url(base).render_as_string() + "'s server, a new database per test copied from a template"
            if base
            else "sqlite (per-test temp file)"
        )
        + (f"; clock starts at {clock}" if clock else "")
    )


@pytest.fixture(scope="session", autouse=True)
def _drop_postgres_databases_at_end() -> Iterator[None]:
    yield
    _DROPPER.close()
    assert not _DROPPER.failures, f"test databases left behind: {_DROPPER.failures}"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what importing and collecting made: a full ``gc.collect()`` (the indexer runs one after every
    build, so every app fixture does) then walks only what tests create, not torch, SQLAlchemy and the
    rest of the imported world again — a quarter of a second per app on this machine."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that open a database: every other test never reaches it, so it
    already ran, identically, in the SQLite run."""
    if postgres_base_url() is None:
        return
    kept = [item for item in items if "database_url" in getattr(item, "fixturenames", ())]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
