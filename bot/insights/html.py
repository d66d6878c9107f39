"""Render insights as one self-contained HTML page: inline CSS and SVG bar charts, no CDN, no script."""

from __future__ import annotations

from html import escape

from bot.insights.advice import EXPLAIN, actions
from bot.insights.report import Chart, Insights
from bot.insights.summary import charts, figures

BAR_HEIGHT = 26
BAR_GAP = 8
LABEL_WIDTH = 300
BAR_WIDTH = 360
VALUE_WIDTH = 60
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; margin: 2rem auto;
       max-width: 820px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.period { color: #52606d; margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: .8rem; margin: 0; }
.card { background: #f5f7fa; border-radius: 10px; padding: .8rem 1rem; }
.card dt { font-size: .85rem; color: #52606d; }
.card dd { font-size: 1.5rem; font-weight: 600; margin: .2rem 0 0; }
section { margin-top: 2rem; }
svg text { font-size: 13px; fill: #1f2933; }
rect.bar { fill: #3f7cac; }
.note, footer, .explain { color: #52606d; font-size: .9rem; }
.card .explain { font-size: .8rem; margin: .3rem 0 0; }
.trend { font-size: .85rem; margin: .2rem 0 0; }
#actions li { margin: .3rem 0; }
"""


def render_html(insights: Insights) -> str:
    k = insights.min_group
    card_html = "\n".join(
        f'<div class="card" data-metric="{escape(name)}">'
        f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>"
        + (f'<p class="trend">{escape(trend)}</p>' if trend else "")
        + f'<p class="explain">{escape(EXPLAIN[key])}</p></div>'
        for key, name, value, trend in figures(insights)
    )
    todo = actions(insights)
    actions_html = (
        '<section id="actions"><h2>What to do about it</h2><ul>'
        + "".join(f"<li>{escape(line)}</li>" for line in todo)
        + "</ul></section>"
        if todo
        else ""
    )
    chart_html = "\n".join(_chart_section(section_id, chart, k) for section_id, chart in charts(insights))
    period = f"{insights.since:%d %b %Y} – {insights.until:%d %b %Y}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kindred insights, {escape(period)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>Kindred insights</h1>
<p class="period">{escape(period)}</p>
<section id="summary"><dl class="cards">
{card_html}
</dl></section>
{actions_html}
{chart_html}
</main>
<footer><p>Aggregated and anonymised: no names and no question text. Totals are always shown; in a breakdown,
any group of fewer than {k} people is merged into "Other".</p></footer>
</body>
</html>
"""


def bar_svg(chart: Chart) -> str:
    """A horizontal bar chart; each bar is a ``<g class="bar">`` with its label and value as data."""
    if not chart.bars:
        return ""
    top = max(b.value for b in chart.bars) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = len(chart.bars) * (BAR_HEIGHT + BAR_GAP)
    rows = []
    for i, bar in enumerate(chart.bars):
        y = i * (BAR_HEIGHT + BAR_GAP)
        length = max(2.0, BAR_WIDTH * bar.value / top)
        value = _number(bar.value)
        rows.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{value}">'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.68:.1f}" text-anchor="end">'
            f"{escape(_clip(bar.label))}</text>"
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" rx="3"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR_HEIGHT * 0.68:.1f}">{value}</text></g>'
        )
    label = f"{chart.title} ({chart.unit})"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">' + "".join(rows) + "</svg>"
    )


def _chart_section(section_id: str, chart: Chart, k: int) -> str:
    body = (
        bar_svg(chart) or f'<p class="note empty">Not enough activity yet to show this (groups of {k}+).</p>'
    )
    where = "not shown: together under" if chart.other_hidden else "merged into Other: each under"
    note = (
        f'<p class="note suppressed" data-count="{chart.suppressed}">{chart.suppressed} smaller group(s) '
        f"{where} {k} people.</p>"
        if chart.suppressed
        else ""
    )
    explain = f'<p class="explain">{escape(EXPLAIN[section_id])}</p>'
    return f'<section id="{section_id}"><h2>{escape(chart.title)}</h2>\n{explain}\n{body}\n{note}</section>'


def _clip(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
