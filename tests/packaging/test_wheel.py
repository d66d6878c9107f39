"""An installed wheel carries the data the code reads at run time: goals link to framework components."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = (
    "from bot.matching.frameworks import load_catalog, DANIELSON_FILE; "
    "import bot, sys; assert bot.__file__.startswith(sys.prefix), bot.__file__; "
    "c = load_catalog(); print(len(c.components), c.match('ask better discussion questions').code)"
)

CLEAN = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}  # no PYTHONPATH: only the installed wheel


@pytest.mark.slow
def test_installed_wheel_links_goals_to_framework_components(tmp_path: Path) -> None:
    source = tmp_path / "src"  # build from a copy, as the Dockerfile does: no build/ left in the checkout
    shutil.copytree(ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("kindred-*.whl")
    venv = tmp_path / "venv"
    base_python = getattr(sys, "_base_executable", sys.executable)  # a venv made from a venv loses its path
    subprocess.run([base_python, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, cwd=tmp_path, env=CLEAN
    )
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # dependencies (torch, numpy...) from this interpreter, added after the install so pip cannot see
    # the checkout's editable kindred there
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"  # no checkout, no config/ next to it
    elsewhere.mkdir()
    result = subprocess.run([python, "-c", CHECK], cwd=elsewhere, capture_output=True, text=True, env=CLEAN)
    assert result.returncode == 0, result.stderr
    count, code = result.stdout.split()
    assert int(count) >= 22
    assert code.lower() == "3b"
