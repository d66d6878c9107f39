"""docker-compose.yml agrees with the Dockerfile and the settings (docker itself cannot run here)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_kindred_on_postgresql_with_the_dockerfile_port_and_data_dir() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / "Dockerfile").read_text()
    kindred, db = compose["services"]["kindred"], compose["services"]["db"]
    env = kindred["environment"]
    for name in env:
        assert name in {f.alias for f in Settings.model_fields.values()}, f"{name} is not a Kindred setting"
    (exposed,) = re.findall(r"^EXPOSE (\d+)", dockerfile, re.M)
    assert env["KINDRED_HTTP_PORT"] == exposed
    assert kindred["ports"] == [f"{exposed}:{exposed}"]
    assert re.search(rf"KINDRED_DATA_DIR={env['KINDRED_DATA_DIR']}\b", dockerfile)
    assert any(v.endswith(":" + env["KINDRED_DATA_DIR"]) for v in kindred["volumes"])
    assert (
        env["KINDRED_DATABASE_URL"].startswith("postgresql://") and "@db:5432/" in env["KINDRED_DATABASE_URL"]
    )
    assert db["environment"]["POSTGRES_DB"] == env["KINDRED_DATABASE_URL"].rsplit("/", 1)[1]
    assert kindred["depends_on"]["db"]["condition"] == "service_healthy"
