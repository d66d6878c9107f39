"""An optional faster embedder: the bundled model exported locally to ONNX, int8, run by ONNX Runtime.

Nothing is downloaded: ``export_onnx`` converts the sentence-transformers folder already on disk (torch's
exporter), then ``onnxruntime.quantization.quantize_dynamic`` stores the weights as int8. It needs the
``onnx`` extra (``pip install -e ".[onnx]"``: onnxruntime and onnx). Vectors carry their own model tag
(``…+onnx-int8``), so they never mix with the torch model's stored vectors; switching backends re-embeds.
Speed and quality against the torch model are measured by ``python -m benchmarks.run`` (see README).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from bot.matching.embedder import embedding_dimension

if TYPE_CHECKING:
    import onnxruntime as ort
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

MODEL_FILE = "model_int8.onnx"
FP32_FILE = "model.onnx"
CONFIG_FILE = "kindred_onnx.json"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_onnx(model_path: str, out_dir: Path, quantize: bool = True) -> Path:
    """Export the sentence-transformers model at ``model_path`` to ``out_dir`` (ONNX, int8 by default)."""
    import torch
    from sentence_transformers import SentenceTransformer

    out_dir.mkdir(parents=True, exist_ok=True)
    st = SentenceTransformer(model_path, device="cpu")
    transformer = cast(torch.nn.Module, st[0].auto_model).eval()  # the Transformer module's model

    class _Encoder(torch.nn.Module):  # keyword arguments: positional order differs between versions
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            hidden: torch.Tensor = out.last_hidden_state
            return hidden

    sample = st.tokenizer(
        ["an example", "a second, longer example sentence"], padding=True, return_tensors="pt"
    )
    fp32 = out_dir / FP32_FILE
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # tracer notes about shape-dependent Python branches; axes are dynamic
        torch.onnx.export(
            _Encoder(),
            tuple(sample[name] for name in INPUTS),
            str(fp32),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    target = fp32
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        target = out_dir / MODEL_FILE
        # Per-channel int8 weights on the MatMuls only: cosine to the torch vectors 0.994 on average, where
        # per-tensor weights on every op drop it to 0.96 (measured on benchmark texts).
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # the quantizer logs a generic "consider pre-processing" hint
        try:
            quantize_dynamic(
                str(fp32),
                str(target),
                weight_type=QuantType.QInt8,
                per_channel=True,
                op_types_to_quantize=["MatMul"],
            )
        finally:
            root.setLevel(level)
    shutil.copy(Path(model_path) / "tokenizer.json", out_dir / "tokenizer.json")
    config = {
        "model_file": target.name,
        "max_seq_length": _max_seq_length(st),
        "dimension": embedding_dimension(st),
        "model_name": f"{_base_name(model_path)}+onnx-{'int8' if quantize else 'fp32'}",
    }
    (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2))
    log.info("onnx model exported", extra={"folder": str(out_dir), "model_file": target.name})
    return out_dir


def _max_seq_length(st: SentenceTransformer) -> int:
    if st.max_seq_length is None:
        raise ValueError("the model declares no maximum sequence length to truncate at")
    return int(st.max_seq_length)


class OnnxEmbedder:
    """Mean-pooled, L2-normalised sentence vectors from an exported folder; same Protocol as the torch one."""

    def __init__(self, folder: Path, batch_size: int = 64, threads: int | None = None) -> None:
        self.folder = Path(folder)
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self._config = json.loads((self.folder / CONFIG_FILE).read_text())
        self._session: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return str(self._config["model_name"])

    @property
    def dimension(self) -> int:
        return int(self._config["dimension"])

    def load(self) -> None:
        self._load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        session, tokenizer = self._load()
        # Longest first, like sentence-transformers: batches of similar length pad little.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            rows = order[start : start + self.batch_size]
            encodings = tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out

    def _load(self) -> tuple[ort.InferenceSession, Tokenizer]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                model_file = self.folder / str(self._config["model_file"])
                self._session = ort.InferenceSession(
                    str(model_file), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=int(self._config["max_seq_length"]))
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
                self._tokenizer = tokenizer
            session, loaded = self._session, self._tokenizer
        if session is None or loaded is None:  # both are set together, under the lock
            raise RuntimeError("the ONNX session did not load")
        return session, loaded


def is_onnx_folder(path: str) -> bool:
    """True for a folder written by ``export_onnx``."""
    return (Path(path) / CONFIG_FILE).is_file()


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.matching.onnx_embedder export DIR [--fp32]``: an export for KINDRED_MODEL."""
    import argparse

    from bot.matching.embedder import default_model_path

    parser = argparse.ArgumentParser(prog="python -m bot.matching.onnx_embedder")
    parser.add_argument("command", choices=["export"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--fp32", action="store_true", help="skip int8 quantization")
    args = parser.parse_args(argv)
    export_onnx(default_model_path(), args.folder, quantize=not args.fp32)
    print(f"Exported. Use it with KINDRED_MODEL={args.folder.resolve()}")
    return 0


def _base_name(model_path: str) -> str:
    path = Path(model_path)
    return path.parent.name if path.name == "model" else path.name


if __name__ == "__main__":
    raise SystemExit(main())
