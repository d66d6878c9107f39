"""Wires settings -> database -> embedder/indexes -> the neutral bot. Platforms get the result."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import faiss

from bot.anonymity.config import AnonymityConfig
from bot.domain.clock import Clock, system_clock
from bot.domain.packs import PackPolicy
from bot.handlers.core import Kindred
from bot.handlers.deps import Deps
from bot.importing.importer import import_resources, import_teachers
from bot.insights.config import InsightsConfig
from bot.matching.embedder import (
    BatchingEmbedder,
    Embedder,
    SentenceTransformerEmbedder,
    default_model_path,
)
from bot.matching.hashing_embedder import HashingEmbedder
from bot.matching.indexer import Indexer, Progress
from bot.matching.intent import Detector, HelpRequestDetector
from bot.matching.intent_model import LearnedDetector, load_or_train
from bot.matching.onnx_embedder import OnnxEmbedder, is_onnx_folder
from bot.matching.peer_ranker import peer_weights_for
from bot.matching.relevance import floor_for
from bot.matching.shown_chosen import ShownVsChosen
from bot.matching.suggester import Suggester
from bot.settings import Settings, load_settings
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.repositories import ResourceRepository, TeacherRepository

if TYPE_CHECKING:
    from bot.platforms.health import PlatformHealth

log = logging.getLogger(__name__)
HASHING_MODEL = "hashing"


def sample_dir() -> Path:
    """``index/`` next to the source tree (a checkout) or in the working directory (the Docker image)."""
    for candidate in (Path(__file__).resolve().parent.parent / "index", Path.cwd() / "index"):
        if (candidate / "sample_resources.jsonl").exists():
            return candidate
    return Path.cwd() / "index"


@dataclass
class App:
    """Everything one process shares: one database, one model, one set of indexes, one bot."""

    settings: Settings
    db: Database
    embedder: Embedder
    indexer: Indexer
    kindred: Kindred
    ready: bool = False
    health: PlatformHealth | None = None  # set by the launcher: which platform connections are up

    def close(self) -> None:
        self.db.dispose()


def build_embedder(settings: Settings) -> Embedder:
    """The bundled model on torch; or, when ``KINDRED_MODEL`` names a folder made by
    ``python -m bot.matching.onnx_embedder export DIR``, that int8 ONNX model (faster, see README).
    ``KINDRED_MODEL=hashing`` is the test-only word-hashing fake: a process ready in a second (no model)."""
    if settings.model == HASHING_MODEL:
        return HashingEmbedder()
    if settings.model and is_onnx_folder(settings.model):
        return OnnxEmbedder(Path(settings.model))
    return SentenceTransformerEmbedder(settings.model or default_model_path())


def _share_cores(workers: int) -> None:
    """Worker processes split the cores: each model's intra-op pool gets its share, not all of them."""
    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))


def build_detector(settings: Settings, embedder: Embedder) -> Detector:
    """The learned detector (its model loads in ``prepare``), or the phrase rules when so configured."""
    learned = settings.intent_detector == "learned" or (
        settings.intent_detector == "auto" and not isinstance(embedder, HashingEmbedder)
    )
    if learned:
        return LearnedDetector(embedder, settings.intent_threshold)
    return HelpRequestDetector(settings.intent_threshold)


def load_intent_model(app: App) -> None:
    """Train the learned detector from the shipped data on first start; later starts load the cached fit."""
    detector = app.kindred.deps.detector
    if isinstance(detector, LearnedDetector) and detector.model is None:
        detector.model = load_or_train(app.embedder, app.settings.data_dir / "intent")


def bootstrap(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    migrate: bool = True,
    clock: Clock = system_clock,
) -> App:
    """Build the app without touching the network or loading data; call ``prepare`` to get ready."""
    settings = settings or load_settings()
    # One question at a time on 2 cores: FAISS's own OpenMP pool only fights torch's for the CPU.
    faiss.omp_set_num_threads(1)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_url(settings.database_url or "")
    if migrate:
        upgrade(db.engine)
    if embedder is None:
        embedder = build_embedder(settings)
        if settings.workers > 1 and isinstance(embedder, SentenceTransformerEmbedder):
            _share_cores(settings.workers)
        if not isinstance(embedder, HashingEmbedder):  # concurrent questions share one model call
            embedder = BatchingEmbedder(embedder)
    indexer = Indexer(db, embedder, settings.index_dir)
    deps = Deps(
        db=db,
        indexer=indexer,
        suggester=Suggester(
            db,
            indexer,
            clock=clock,
            relevance=floor_for(embedder.model_name),
            peer_weights=peer_weights_for(embedder.model_name),
            catalog_scope=settings.catalog_scope,
            shown_chosen=ShownVsChosen(db),
        ),
        detector=build_detector(settings, embedder),
        nudge_after=settings.nudge_after,
        packs=PackPolicy(
            settings.pack_size, every=settings.pack_every, avoid_rounds=settings.pack_avoid_rounds
        ),
        anonymity=AnonymityConfig.from_settings(settings),
        clock=clock,
        insights=InsightsConfig.from_settings(settings),
        help_channels={"slack": settings.slack_help_channel, "discord": settings.discord_help_channel},
    )
    return App(settings=settings, db=db, embedder=embedder, indexer=indexer, kindred=Kindred(deps))


def load_sample_data(app: App, include_teachers: bool) -> None:
    """Seed the sample catalog (and, for the console, the sample community) into an empty database."""
    samples = sample_dir()
    with app.db.session() as session:
        no_resources = ResourceRepository(session).count() == 0
        no_console_teachers = TeacherRepository(session).count("console") == 0
    if no_resources and (samples / "sample_resources.jsonl").exists():
        report = import_resources(app.db, samples / "sample_resources.jsonl")
        log.info("sample catalog loaded", extra={"added": report.created})
    if include_teachers and no_console_teachers and (samples / "sample_teachers.jsonl").exists():
        report = import_teachers(app.db, samples / "sample_teachers.jsonl")
        log.info("sample community loaded", extra={"added": report.created})


def prepare(app: App, platforms: list[str], progress: Progress | None = None) -> App:
    """Seed samples if wanted, embed what is new, load or rebuild the indexes; then the app is ready."""
    if app.settings.sample_data:
        load_sample_data(app, include_teachers="console" in platforms)
    sizes = app.indexer.prepare(progress)
    load_intent_model(app)
    app.ready = True
    log.info("kindred ready", extra={"resources": sizes["resource"], "teachers": sizes["teacher"]})
    return app
