"""Run the suggestion-latency benchmark: ``python -m benchmarks.run [--sizes sample,100k] [--out PATH]``."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from rich.console import Console
from rich.table import Table

from benchmarks.suggestion_latency import (
    STAGES,
    TARGET_NOTE,
    TARGET_P99_MS,
    BenchConfig,
    SizeResult,
    bench_sample,
    bench_synthetic,
    load_embedder,
    parse_size,
)

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"
TARGET_SIZE = (100_000, 10_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default="sample,100k", help="comma-separated: sample, 10k, 100k, …")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON results")
    parser.add_argument("--questions", type=int, default=BenchConfig.questions)
    parser.add_argument("--warmup", type=int, default=BenchConfig.warmup)
    parser.add_argument("--seed", type=int, default=BenchConfig.seed)
    parser.add_argument(
        "--distinct",
        type=int,
        default=BenchConfig.distinct_resources,
        help="distinct resource texts embedded with the real model",
    )
    parser.add_argument(
        "--distinct-teachers",
        type=int,
        default=BenchConfig.distinct_teachers,
        help="distinct teacher texts embedded with the real model",
    )
    parser.add_argument(
        "--faiss-threads",
        type=int,
        default=None,
        help="set FAISS's OpenMP threads (default: leave as the app runs it) — to try a tuning idea",
    )
    args = parser.parse_args(argv)
    if args.faiss_threads:
        import faiss

        faiss.omp_set_num_threads(args.faiss_threads)
    config = BenchConfig(
        questions=args.questions,
        warmup=args.warmup,
        seed=args.seed,
        distinct_resources=args.distinct,
        distinct_teachers=args.distinct_teachers,
    )
    try:
        sizes = [(s.strip(), parse_size(s)) for s in args.sizes.split(",") if s.strip()]
    except ValueError as exc:
        parser.error(str(exc))

    console = Console()
    started = time.perf_counter()
    with console.status("loading all-MiniLM-L6-v2 …"):
        load_start = time.perf_counter()
        embedder = load_embedder()
        model_load_s = time.perf_counter() - load_start

    results: list[SizeResult] = []
    for label, counts in sizes:
        console.print(f"[bold]▶ {label}[/bold]")
        if counts is None:
            result = bench_sample(embedder, config)
        else:
            result = bench_synthetic(
                embedder,
                *counts,
                config,
                name=label,
                progress=lambda msg: console.print(f"  [dim]{msg}[/dim]"),
            )
        setup = ", ".join(f"{k.removesuffix('_s')} {v:.1f}s" for k, v in result.setup_s.items())
        load = result.load_avg_1m
        console.print(f"  [dim]setup: {setup}; load avg {load['before']} → {load['after']}[/dim]")
        results.append(result)

    console.print(_table(results))
    console.print(_breakdown(results))
    verdict = _verdict(results)
    console.print(verdict)

    payload = {
        "benchmark": "suggestion_latency",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "target": {"p99_ms": TARGET_P99_MS, "resources": TARGET_SIZE[0], "teachers": TARGET_SIZE[1]},
        "target_note": TARGET_NOTE,
        "config": config.__dict__,
        "environment": _environment(embedder.model_name, model_load_s),
        "results": [r.to_json() for r in results],
        "wall_s": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    console.print(f"results saved to {args.out} (whole run {payload['wall_s']:.0f}s)")
    return 0


def _table(results: list[SizeResult]) -> Table:
    table = Table(title="Suggestion latency per question (ms, after warm-up)")
    for column in ("data", "resources", "teachers", "n", "p50", "p95", "p99", "max"):
        table.add_column(column, justify="left" if column == "data" else "right")
    for r in results:
        total = r.latency_ms["total"]
        style = "green" if total["p99"] <= TARGET_P99_MS else "red"
        table.add_row(
            r.name,
            f"{r.resources:,}",
            f"{r.teachers:,}",
            str(r.questions),
            f"{total['p50']:.1f}",
            f"{total['p95']:.1f}",
            f"[{style}]{total['p99']:.1f}[/{style}]",
            f"{total['max']:.1f}",
        )
    return table


def _breakdown(results: list[SizeResult]) -> Table:
    table = Table(title="Breakdown (ms): p50 / p95 / p99")
    table.add_column("data")
    labels = {
        "total": "total",
        "embed": "embed query",
        "search": "FAISS search (both)",
        "rank_db": "context+db+rank",
        "reply": "reply",
    }
    for stage in STAGES:
        table.add_column(labels[stage], justify="right")
    for r in results:
        cells = [" / ".join(f"{r.latency_ms[s][f'p{p}']:.1f}" for p in (50, 95, 99)) for s in STAGES]
        table.add_row(r.name, *cells)
    return table


def _verdict(results: list[SizeResult]) -> str:
    at_target = [r for r in results if (r.resources, r.teachers) == TARGET_SIZE]
    if not at_target:
        return f"[yellow]{TARGET_NOTE} — not measured in this run (add 100k to --sizes)[/yellow]"
    p99 = at_target[0].p99
    if p99 <= TARGET_P99_MS:
        return f"[green]{TARGET_NOTE} — met (p99 {p99:.1f} ms)[/green]"
    return f"[red]{TARGET_NOTE} — not met yet (p99 {p99:.1f} ms)[/red]"


def _environment(model: str, model_load_s: float) -> dict[str, object]:
    import faiss
    import numpy
    import sqlalchemy
    import torch

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "faiss": faiss.__version__,
        "faiss_omp_threads": faiss.omp_get_max_threads(),
        "numpy": numpy.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "model": model,
        "model_load_s": round(model_load_s, 2),
        "database": "sqlite (temp file)",
    }


if __name__ == "__main__":
    sys.exit(main())
