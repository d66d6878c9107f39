"""/goal: linking to Danielson components, the private learning log round trip, and progress."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from bot.domain.events import Actor, ButtonPress, Command
from bot.matching.frameworks import DANIELSON_FILE, Catalog, Component, load_catalog, parse_framework
from bot.matching.hashing_embedder import HashingEmbedder
from bot.scheduling.goal_checkins import LOG_REFLECTION
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.goals import GoalRepository
from tests.scheduling.conftest import START

MARIA = Actor("console", "maria.lopez", "Maria Lopez")
DEREK = Actor("console", "derek.thompson", "Derek Thompson")


@pytest.fixture(scope="module")
def danielson() -> Catalog:
    return load_catalog([DANIELSON_FILE])


def test_the_danielson_file_has_all_22_components_in_four_domains(danielson):
    codes = [c.code for c in danielson.components]
    assert codes == [f"{d}{c}" for d, n in (("1", 6), ("2", 5), ("3", 5), ("4", 6)) for c in "abcdef"[:n]]
    assert danielson.by_code("[3B]").name == "Using questioning and discussion techniques"


@pytest.mark.parametrize(
    ("goal", "code"),
    [
        ("Ask more open-ended questions and get students talking to each other", "3b"),
        ("I want better class discussions", "3b"),
        ("Smoother transitions and routines at the start of class", "2c"),
        ("Use exit tickets to check for understanding every day", "3d"),
        ("Communicate more regularly with parents", "4c"),
        ("Build stronger relationships with my students", "2a"),
        ("Improve classroom management", "2d"),
        ("keep kids engaged with hands-on activities", "3c"),
        ("get better at lesson planning", "1e"),
    ],
)
def test_free_text_goals_link_to_the_closest_component(danielson, goal, code):
    assert danielson.match(goal).code == code


def test_embedding_fallback_links_when_no_keyword_matches(danielson):
    embedder = HashingEmbedder()
    assert danielson.match("zzz qqq") is None and danielson.match("zzz qqq", embedder) is None
    catalog = Catalog([Component("x", "A1", "Demonstrations"), Component("x", "B2", "Parents")])
    assert catalog.keyword_scores("demonstrate more") == {}
    assert catalog.match("demonstrate more") is None
    assert catalog.match("demonstrate more", embedder).code == "A1"


def test_school_goals_file_is_optional_and_joins_the_catalog(tmp_path: Path):
    school = tmp_path / "school_goals.yml"
    school.write_text(
        "id: school\ngoals:\n  - {code: SG1, name: Raise reading proficiency, keywords: [guided reading]}\n"
    )
    catalog = load_catalog([DANIELSON_FILE, school, tmp_path / "missing.yml"])
    assert catalog.match("more guided reading groups").label == "SG1 Raise reading proficiency"
    assert (
        parse_framework({"id": "f", "domains": [{"components": [{"code": "z", "name": "Z"}]}]})[0].code == "z"
    )


def goal(app, actor: Actor, text: str, at=START):
    with time_machine.travel(at, tick=False):
        return app.kindred.handle_command(Command(actor, "goal", text)).reply.text


def test_goal_set_show_log_round_trip(app):
    assert "You haven't set a goal yet" in goal(app, MARIA, "")
    assert "Set a goal first" in goal(app, MARIA, "log tried something")
    saved = goal(app, MARIA, "set Ask more open-ended questions during math talks")
    assert "linked to 3b Using questioning and discussion techniques" in saved
    assert "Mondays at 08:30" in saved

    goal(app, MARIA, "log Tried think-pair-share; quieter kids talked more", at=START + timedelta(days=2))
    logged = goal(app, MARIA, "log Used 'what makes you say that?' twice", at=START + timedelta(days=9))
    assert logged.startswith("Logged privately — that's 2 reflection(s)")
    shown = goal(app, MARIA, "", at=START + timedelta(days=10))
    assert "**Your goal:** Ask more open-ended questions during math talks" in shown
    assert "Linked to 3b Using questioning and discussion techniques" in shown
    assert "Week 2 · 2 reflection(s)" in shown
    assert "“Used 'what makes you say that?' twice”" in shown

    assert "You haven't set a goal yet" in goal(app, DEREK, ""), "a learning log is private"
    with app.db.session() as session:
        maria = TeacherRepository(session).find("console", "maria.lopez")
        repo = GoalRepository(session)
        active = repo.active(maria.id)
        assert [e.text for e in repo.logs(active.id)] == [
            "Used 'what makes you say that?' twice",
            "Tried think-pair-share; quieter kids talked more",
        ]


def test_explicit_code_wins_and_a_new_goal_replaces_the_old_one(app):
    assert "linked to 4c Communicating with families" in goal(app, MARIA, "set Weekly notes home [4c]")
    assert "linked to 2d Managing student behavior" in goal(app, MARIA, "set Calmer afternoons 2d")
    shown = goal(app, MARIA, "")
    assert "**Your goal:** Calmer afternoons" in shown and "0 reflection(s)" in shown
    assert "not linked" in goal(app, MARIA, "set zzz qqq")
    assert "Please keep your goal under" in goal(app, MARIA, "set " + "x" * 600)
    assert "goal is put aside" in goal(app, MARIA, "clear")
    assert "I don't know “/goal dance”" in goal(app, MARIA, "dance")


def test_log_button_explains_how_to_reflect_and_goal_is_a_registered_command(app):
    outcome = app.kindred.handle_button(ButtonPress(MARIA, LOG_REFLECTION, "1"))
    assert "/goal log" in outcome.reply.text
    assert "goal" in {spec.name for spec in app.kindred.commands()}
