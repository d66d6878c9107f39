"""``kindred intent train``: fit the learned help-request detector from the shipped data, seeded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.bootstrap import App

intent_app = typer.Typer(help="The help-request detector.")


@intent_app.command("train")
def train_command(
    with_corrections: Annotated[
        bool, typer.Option(help="Also learn from stored corrections (labelled embeddings, no text).")
    ] = False,
) -> None:
    """Train (seeded) and cache the model in the data dir; Kindred loads it at start."""
    from bot.bootstrap import bootstrap
    from bot.matching.intent_data import HELDOUT_PATH, load_split, scored
    from bot.matching.intent_model import MODEL_TAG, LearnedDetector, load_or_train
    from bot.settings import load_settings

    settings = load_settings()
    app = bootstrap(settings)
    try:
        corrections = _corrections(app) if with_corrections else []
        model = load_or_train(app.embedder, settings.data_dir / "intent", corrections)
        detector = LearnedDetector(app.embedder, settings.intent_threshold, model)
        texts, labels = scored(load_split(HELDOUT_PATH))
        hits = [detector.is_help_request(t) for t in texts]
        tp = sum(h and y for h, y in zip(hits, labels, strict=True))
        precision, recall = tp / max(1, sum(hits)), tp / max(1, sum(labels))
        typer.echo(
            f"intent model {MODEL_TAG} {model.key} on {model.embedder}"
            f" ({len(corrections)} corrections): held-out precision {precision:.3f}, recall {recall:.3f}"
        )
    finally:
        app.close()


def _corrections(app: App) -> list[tuple[list[float], int]]:
    from bot.storage.intent_corrections import IntentCorrectionRepository

    with app.db.session() as session:
        return IntentCorrectionRepository(session).training_rows(app.embedder.model_name)
