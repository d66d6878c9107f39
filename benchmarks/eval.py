"""``make eval``: runs each quality evaluation in ``EVALUATIONS`` and prints its tables."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from benchmarks import eval_intent, eval_matching


def _intent(console: Console) -> dict[str, Any]:
    """The help-request detector on its held-out split, next to the phrase rules (prints its own table)."""
    return {"targets_met": eval_intent.main() == 0}


EVALUATIONS: dict[str, Callable[[Console], dict[str, Any]]] = {
    "matching": eval_matching.run,
    "intent": _intent,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(EVALUATIONS), action="append", help="run only these")
    parser.add_argument("--out", type=Path, help="also write the numbers as JSON here")
    parser.add_argument(
        "--split", choices=eval_matching.SPLITS, help="matching on this split only (develop on tuning)"
    )
    args = parser.parse_args(argv)
    console = Console()
    evaluations = dict(EVALUATIONS)
    if args.split:
        evaluations["matching"] = lambda c: eval_matching.run(c, splits=(args.split,))
    results = {name: run(console) for name, run in evaluations.items() if not args.only or name in args.only}
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
