"""Leader insights on a seeded community with an injected clock; the HTML is checked by its structure."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.insights.html import render_html
from bot.insights.report import build_insights, percentile
from bot.storage.database import Database
from bot.storage.models import FeedbackRow, HelpRequestRow, ResourceRow, SuggestionRow, TeacherRow

NOW = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


def seed(db: Database, now: datetime) -> None:
    """12 teachers; math (6 askers) and science (5) are big enough to show, ELA (3) is not."""
    with db.session() as s:
        teachers = [
            TeacherRow(platform="console", platform_user_id=f"t{i}", name=f"Secret Name {i}")
            for i in range(12)
        ]
        s.add_all(teachers)
        s.flush()
        t = [x.id for x in teachers]
        old = now - timedelta(days=90)
        math = ResourceRow(
            title="Fraction Strips", subjects=["math"], tags=["fractions"], shared_by=t[11], created_at=old
        )
        science = ResourceRow(
            title="Water Cycle in a Bag", subjects=["science"], tags=["water cycle"], created_at=old
        )
        ela = ResourceRow(title="Phonics Phones", subjects=["ela"], tags=["phonics"], created_at=old)
        s.add_all([math, science, ela])
        s.add_all(
            ResourceRow(title=f"Shared {i}", shared_by=t[i], created_at=now - timedelta(days=3))
            for i in range(5)
        )
        s.flush()

        def ask(asker, resource, days_ago, reply_hours=None, status="open", text="private question text"):
            created = now - timedelta(days=days_ago)
            row = HelpRequestRow(
                asker_id=t[asker],
                text=text,
                platform="console",
                status=status,
                created_at=created,
                first_human_reply_at=created + timedelta(hours=reply_hours) if reply_hours else None,
            )
            s.add(row)
            s.flush()
            if resource is not None:
                s.add(
                    SuggestionRow(
                        request_id=row.id, kind="resource", resource_id=resource.id, rank=1, score=0.9
                    )
                )

        for i, hours in enumerate([1, 2, 3, 4, 5, None]):
            ask(i, math, days_ago=2 + i, reply_hours=hours)
        for i, hours in zip(range(6, 11), [2, 4, 6, None, None], strict=True):
            ask(i, science, days_ago=3, reply_hours=hours, status="solved" if i == 10 else "open")
        for i in (0, 1, 11):
            ask(i, ela, days_ago=4)
        ask(6, None, days_ago=1 / 24)  # an hour old: too new to call unanswered; no topic
        ask(7, math, days_ago=40, text="outside the period")
        for i in range(6):
            s.add(
                FeedbackRow(
                    teacher_id=t[i], resource_id=math.id, kind="helped", created_at=now - timedelta(days=1)
                )
            )
        for i in range(2):
            s.add(
                FeedbackRow(
                    teacher_id=t[i], resource_id=ela.id, kind="save", created_at=now - timedelta(days=1)
                )
            )


def test_numbers_are_right_and_small_groups_are_suppressed(db):
    seed(db, NOW)
    insights = build_insights(db, NOW, timedelta(days=30))
    assert insights.questions == 15 and insights.askers == 12
    assert insights.first_response_median_hours == pytest.approx(3.5)
    assert insights.first_response_p90_hours == pytest.approx(5.3)
    assert insights.unanswered_rate == pytest.approx(5 / 14)
    assert (insights.unanswered, insights.settled) == (5, 14)
    assert insights.active_helpers == 6
    assert [(b.label, b.value) for b in insights.topics.bars] == [
        ("Math · fractions", 7 - 1),
        ("Science · water cycle", 5),
    ]
    assert insights.topics.suppressed == 2  # ELA · phonics (3 people) and no topic (1) merged…
    assert insights.topics.other_hidden  # …into an Other of 4 people: still too few to show
    assert [b.label for b in insights.subjects.bars] == ["Math", "Science"]
    assert [(b.label, b.value, b.people) for b in insights.reused.bars] == [("Fraction Strips", 6, 6)]
    assert insights.reused.suppressed == 1


def test_a_small_community_sees_every_total_but_no_breakdown_that_could_point_at_someone(db):
    seed(db, NOW)
    insights = build_insights(db, NOW, timedelta(days=30), min_group=13)
    assert insights.askers == 12 and insights.first_response_median_hours == pytest.approx(3.5)
    assert insights.unanswered == 5 and insights.active_helpers == 6
    assert not insights.topics.bars and not insights.reused.bars and insights.topics.other_hidden


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([4.0], 90) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5


class Page(HTMLParser):
    """Collects tags with attributes and text per section."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict, str | None]] = []
        self.section: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id")
        self.tags.append((tag, attrs, self.section))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, section=None, cls=None):
        return [
            a
            for t, a, s in self.tags
            if t == tag and (section is None or s == section) and (cls is None or a.get("class") == cls)
        ]


def test_html_report_structure(db):
    seed(db, NOW)
    html = render_html(build_insights(db, NOW, timedelta(days=30)))
    page = Page()
    page.feed(html)
    assert html.startswith("<!doctype html>") and page.find("title")
    assert {a["id"] for a in page.find("section")} == {
        "summary",
        "actions",
        "topics",
        "subjects",
        "reused",
        "goals",
    }
    metrics = {a["data-metric"] for a in page.find("div", "summary", "card")}
    assert {"Median time to first reply", "Unanswered", "Active helpers"} <= metrics
    topics = page.find("g", "topics", "bar")
    assert [(a["data-label"], a["data-value"]) for a in topics] == [
        ("Math · fractions", "6"),
        ("Science · water cycle", "5"),
    ]
    assert len(page.find("rect", "topics", "bar")) == 2 and len(page.find("svg", "topics")) == 1
    assert [a["data-label"] for a in page.find("g", "reused", "bar")] == ["Fraction Strips"]
    assert page.find("p", "reused", "note suppressed")[0]["data-count"] == "1"
    text = " ".join(page.text)
    assert "3.5 h" in text and "36%" in text
    for hidden in ("Phonics", "phonics", "Secret Name", "private question text"):
        assert hidden not in html, f"{hidden!r} leaked into the report"
    assert not page.find("script") and not page.find("link") and not page.find("img")
    assert "src=" not in html and "href=" not in html and "url(" not in html and "@import" not in html


def test_cli_report_prints_and_writes_html(db, database_url, tmp_path, monkeypatch):
    seed(db, datetime.now(UTC))
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_DATABASE_URL", database_url)
    out = tmp_path / "out.html"
    result = CliRunner().invoke(cli, ["report", "--since", "30d", "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "Questions asked:            15" in result.stdout and "Math · fractions" in result.stdout
    assert "Secret Name" not in result.stdout and out.read_text().startswith("<!doctype html>")
    bad = CliRunner().invoke(cli, ["report", "--since", "a month"])
    assert bad.exit_code == 2
