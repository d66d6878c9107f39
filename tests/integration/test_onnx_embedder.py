"""The optional ONNX int8 backend: exported locally, close to the bundled model, picked by KINDRED_MODEL."""

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="the onnx extra is not installed (pip install -e '.[onnx]')")

from bot.bootstrap import build_embedder
from bot.matching.embedder import default_model_path
from bot.matching.onnx_embedder import OnnxEmbedder, export_onnx
from bot.settings import load_settings

pytestmark = pytest.mark.slow

TEXTS = [
    "How do I teach equivalent fractions hands-on to 4th graders?",
    "Fraction Strips: students fold and cut paper strips into halves, thirds and fourths.",
    "Reminder: staff meeting at 3 in the library",
    "Any tips for a calm down corner in kindergarten?",
]


@pytest.fixture(scope="module")
def onnx_folder(tmp_path_factory):
    return export_onnx(default_model_path(), tmp_path_factory.mktemp("onnx"))


def test_int8_vectors_stay_close_to_the_torch_model(onnx_folder, real_embedder):
    fast = OnnxEmbedder(onnx_folder)
    vectors = fast.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), real_embedder.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = np.sum(vectors * real_embedder.embed(TEXTS), axis=1)
    assert cosine.min() >= 0.97, cosine
    # Same order whatever the batch: vectors do not depend on what they were batched with.
    assert np.allclose(fast.embed(TEXTS[::-1])[::-1], vectors, atol=1e-5)
    assert fast.model_name.endswith("+onnx-int8") and fast.model_name != real_embedder.model_name
    assert fast.embed([]).shape == (0, real_embedder.dimension)


def test_kindred_model_pointing_at_an_export_selects_it(onnx_folder, tmp_path):
    settings = load_settings(KINDRED_DATA_DIR=tmp_path, KINDRED_MODEL=str(onnx_folder))
    assert isinstance(build_embedder(settings), OnnxEmbedder)
