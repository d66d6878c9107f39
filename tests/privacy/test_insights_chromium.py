"""The HTML report rendered by real headless Chromium: laid-out page and screenshot, not the HTML string.

CI installs Chromium (.ci/run); there a missing browser fails the test instead of skipping it.
"""

import json
import os
import re
import struct
import subprocess
import zlib
from datetime import timedelta
from pathlib import Path

import pytest

from bot.insights.html import render_html
from bot.insights.report import build_insights
from tests.privacy.test_insights import NOW, seed

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=900,1600"]

# Run inside the rendered page: what the browser laid out, written into the DOM that --dump-dom prints.
PROBE = """<script>
window.addEventListener("load", () => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
  const out = {
    cards: [...document.querySelectorAll(".card")].map((c) => ({metric: c.dataset.metric, box: box(c),
             background: getComputedStyle(c).backgroundColor})),
    bars: [...document.querySelectorAll("#topics g.bar")].map((g) => ({label: g.dataset.label,
             value: Number(g.dataset.value), width: g.querySelector("rect").getBoundingClientRect().width,
             fill: getComputedStyle(g.querySelector("rect")).fill})),
    actions: [...document.querySelectorAll("#actions li")].map((li) => li.innerText),
    visibleText: document.body.innerText,
  };
  const pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs it (apt-get install -y chromium)")
        pytest.skip("renders only where /usr/bin/chromium exists (CI installs it)")
    return CHROMIUM


def _report(db, tmp_path: Path) -> Path:
    seed(db, NOW)
    page = tmp_path / "report.html"
    page.write_text(render_html(build_insights(db, NOW, timedelta(days=30))), encoding="utf-8")
    return page


def test_rendered_report_lays_out_cards_bars_and_actions(db, tmp_path, chromium):
    page = _report(db, tmp_path)
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text().replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [str(chromium), *FLAGS, "--virtual-time-budget=5000", "--dump-dom", probed.as_uri()],
        check=True, timeout=90, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, "the page did not finish rendering"
    layout = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    cards = layout["cards"]
    assert [c["metric"] for c in cards][:2] == ["Questions asked", "Teachers who asked"]
    assert all(c["box"][2] > 120 and c["box"][3] > 40 for c in cards), "cards have a real size"
    assert len({c["box"][1] for c in cards[:3]}) == 1, "the grid puts several cards on one row at 900 px"
    assert cards[0]["background"] == "rgb(245, 247, 250)", "the inline stylesheet applied"
    bars = layout["bars"]
    assert [b["label"] for b in bars] == ["Math · fractions", "Science · water cycle"]
    ratio = bars[1]["width"] / bars[0]["width"]
    assert ratio == pytest.approx(bars[1]["value"] / bars[0]["value"], rel=0.02), "bar length follows value"
    assert bars[0]["fill"] == "rgb(63, 124, 172)"
    text = layout["visibleText"]
    assert "3.5 h" in text and "Half of the answered questions" in text
    assert "Secret Name" not in text and "private question text" not in text


def test_screenshot_is_a_rendered_page_not_a_blank_one(db, tmp_path, chromium):
    page = _report(db, tmp_path)
    shot = tmp_path / "report.png"
    subprocess.run(
        [str(chromium), *FLAGS, f"--screenshot={shot}", page.as_uri()],
        check=True,
        timeout=90,
        capture_output=True,
    )
    width, height, pixels = _png_bytes(shot.read_bytes())
    assert (width, height) == (900, 1600)
    assert len(set(pixels)) > 40, "a blank page has only a handful of distinct byte values"


def _png_bytes(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) image bytes of a PNG — enough to tell blank."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)
