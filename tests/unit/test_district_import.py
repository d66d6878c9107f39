"""District exports (Excel/Sheets CSV, JSONL with their own column names) import without a fight."""

from pathlib import Path

from bot.importing.importer import import_resources, import_teachers
from bot.importing.sync import sync_members
from bot.platforms.slack.directory import SlackDirectory
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.repositories import ResourceRepository, TeacherRepository
from tests.platforms.slack.fake_slack_thread import fake_slack_in_thread

DATA = Path(__file__).parent.parent / "data" / "district"


def make_db(database_url) -> Database:
    db = Database.from_url(database_url)
    upgrade(db.engine)
    return db


def resources(db) -> dict:
    with db.session() as session:
        return {r.title: r for r in ResourceRepository(session).all()}


def test_excel_csv_with_bom_semicolons_and_multiline_cells_keeps_every_usable_row(database_url):
    db = make_db(database_url)
    report = import_resources(db, DATA / "resources_excel.csv")
    # Ten data rows, one blank (;;;;;;) skipped; the one without a title (line 10, after a two-line cell)
    # is the only rejection, saying what to fix.
    assert (report.created, report.updated) == (9, 0)
    assert report.errors == [(10, "no title: add a title (or name) for this resource")]
    got = resources(db)
    meeting = got["Morning Meeting Protocol"]
    assert meeting.kind == "protocol" and meeting.behaves_as == "link"
    assert meeting.grades == ("K", "1", "2")
    assert meeting.description == "Greeting, share, activity, message.\nFour parts, 20 minutes."
    assert "classroom management" in meeting.tags and {"community", "routines"} <= set(meeting.tags)
    lesson = got["Fraction Number Line Lesson Plan"]
    assert lesson.kind == "lesson plan" and lesson.grades == ("3", "4", "5")
    assert lesson.url == "https://example.org/fraction-line" and lesson.subjects == ("math",)
    assert "adult ed" in got["PLC Norms Guide"].tags and got["PLC Norms Guide"].grades == ()
    assert "pre-k" in got["Pre-K Circle Time Songs"].tags and "pre-k" in got["TK Play Centers"].tags
    assert got["Lab Safety Contract"].grades == ("6", "7", "8")
    assert got["Socratic Seminar Guide"].grades == ("9", "10", "11", "12")
    assert got["Socratic Seminar Guide"].subjects == ("ela",)
    circles = got["Restorative Circles"]
    assert circles.grades == ("K", "1", "2") and "pre-k" in circles.tags
    assert got["Graphing Stories"].url is None  # ftp link dropped with a warning, the row kept
    # One warning line per distinct value, naming the lines it applies to.
    summary = report.summary("resources_excel.csv")
    assert summary.count("'Classroom Management'") == 1
    assert (
        "warning: subject 'Professional Learning' is not in the shared vocabulary — kept as a tag" in summary
    )
    assert "line 10: no title" in summary


def test_jsonl_export_with_its_own_field_names(database_url):
    db = make_db(database_url)
    report = import_resources(db, DATA / "resources_export.jsonl")
    assert (report.created, report.errors) == (4, [(4, "no title: add a title (or name) for this resource")])
    got = resources(db)
    iep = got["IEP Accommodations Checklist"]
    assert iep.kind == "checklist" and iep.url == "https://example.org/iep" and iep.description
    assert (
        iep.subjects == ("sped",) and "inclusion" in iep.tags and {"iep", "accommodations"} <= set(iep.tags)
    )
    assert len(iep.grades) == 13
    assert (
        got["Newcomer Welcome Kit"].subjects == ("ell",)
        and "family engagement" in got["Newcomer Welcome Kit"].tags
    )
    assert got["Bell Ringers"].kind == "routine" and got["Bell Ringers"].grades == ("7",)
    assert "adult ed" in got["Adult ESL Conversation Cards"].tags


def test_unknown_kind_is_shown_on_the_card(app):
    from bot.handlers.suggestion_reply import build_suggestion_reply
    from bot.matching.suggester import Suggestions

    with app.db.session() as session:
        resource, _ = ResourceRepository(session).upsert(
            {"title": "Norms", "kind": "protocol", "grades": ["4"], "subjects": ["math"]}
        )
    match = type("M", (), {"reason": "fits"})()
    reply = build_suggestion_reply(1, Suggestions(resources=[(match, resource)], peers=[]), "Here")
    assert reply.resources[0].context == "protocol · 4th grade · math"


def test_teachers_by_user_id_and_email_without_a_token_wait_for_first_contact(database_url):
    db = make_db(database_url)
    report = import_teachers(db, DATA / "teachers_sheets.csv")
    assert (report.created, report.pending) == (4, 2)
    assert report.errors == [
        (5, "no id and no email: add a user_id (Slack/Discord id) or an email for this teacher")
    ]
    summary = report.summary("teachers_sheets.csv")
    assert "timezone 'Mars/Olympus' is not an IANA name" in summary and "(line 4)" in summary
    with db.session() as session:
        repo = TeacherRepository(session)
        ana = repo.find("slack", "U0TEACH001")
        bo = repo.find_by_email("slack", "bo.chen@district.example")
        dee = repo.find_by_email("slack", "dee.ortiz@district.example")
        cy = repo.find("slack", "U0TEACH003")
    assert (
        ana.subjects == ("math", "science")
        and ana.timezone == "America/Chicago"
        and ana.years_experience == 12
    )
    assert bo.platform_user_id == "email:bo.chen@district.example" and "pre-k" in bo.interests
    assert "classroom management" in bo.interests and bo.years_experience == 3
    assert dee.name == "dee.ortiz" and dee.grades == ("K", "1", "2")
    assert cy.timezone == "America/New_York" and cy.grades == ("9", "10", "11", "12")


def test_discord_rows_need_an_id_and_say_so(database_url):
    db = make_db(database_url)
    report = import_teachers(db, DATA / "teachers_discord.jsonl")
    assert report.created == 1 and report.errors[0][0] == 2
    assert "Discord has no lookup by email" in report.errors[0][1]
    with db.session() as session:
        assert TeacherRepository(session).find("discord", "123456789012345678").grades == ("6", "7", "8")


def test_emails_are_resolved_with_users_lookup_by_email_at_import(database_url):
    db = make_db(database_url)
    with fake_slack_in_thread() as fake:
        fake.users["U0BOCHEN1"] = {
            "real_name": "Bo Chen",
            "tz": "America/Denver",
            "email": "bo.chen@district.example",
        }
        directory = SlackDirectory.connect("xoxb-test", fake.base_url)
        report = import_teachers(db, DATA / "teachers_sheets.csv", directory=directory)
        looked_up = [c.params["email"] for c in fake.of("users.lookupByEmail")]
    assert looked_up == ["bo.chen@district.example", "dee.ortiz@district.example"]
    assert (report.created, report.resolved, report.pending) == (4, 1, 1)
    assert "email not found in the Slack workspace" in report.summary("t")
    with db.session() as session:
        bo = TeacherRepository(session).find("slack", "U0BOCHEN1")
    assert bo is not None and bo.name == "Bo Chen" and bo.email == "bo.chen@district.example"


def test_sync_adds_members_skips_bots_links_emails_and_never_overwrites(database_url):
    db = make_db(database_url)
    import_teachers(db, DATA / "teachers_sheets.csv")  # Bo and Dee wait, known by email only
    with db.session() as session:
        TeacherRepository(session).upsert(
            "slack", "U0TEACH001", {"bio": "My own words", "timezone": "Asia/Tokyo"}
        )
    with fake_slack_in_thread() as fake:
        fake.users.update(
            {
                "U0TEACH001": {
                    "real_name": "Ana R.",
                    "tz": "America/Chicago",
                    "email": "ana.ruiz@district.example",
                },
                "U0BOCHEN1": {
                    "real_name": "Bo Chen",
                    "tz": "America/Denver",
                    "email": "bo.chen@district.example",
                },
                "U0NEWONE1": {
                    "real_name": "Gus New",
                    "tz": "America/Los_Angeles",
                    "email": "gus@district.example",
                },
                "U0GONE001": {"real_name": "Left", "deleted": True},
                "B0BOT0001": {"real_name": "Some bot", "is_bot": True},
                "USLACKBOT": {"real_name": "Slackbot"},
            }
        )
        seen: list[int] = []
        report = sync_members(db, SlackDirectory.connect("xoxb-test", fake.base_url), seen.append)
        pages = len(fake.of("users.list"))
    assert (report.added, report.linked, report.unchanged) == (1, 1, 1)
    assert pages == 3 and seen == [1, 2, 3]
    with db.session() as session:
        repo = TeacherRepository(session)
        ana, bo, gus = (
            repo.find("slack", "U0TEACH001"),
            repo.find("slack", "U0BOCHEN1"),
            repo.find("slack", "U0NEWONE1"),
        )
        assert repo.find("slack", "U0GONE001") is None and repo.find("slack", "B0BOT0001") is None
    assert ana.name == "Ana Ruiz" and ana.bio == "My own words" and ana.timezone == "Asia/Tokyo"
    assert bo.subjects == () and "classroom management" in bo.interests  # the imported profile, now linked
    assert gus.name == "Gus New" and gus.timezone == "America/Los_Angeles" and not gus.onboarded
