import io
import re

from sqlalchemy import select

from bot.platforms.console import ConsoleSession
from bot.storage.models import ResourceRow


def run_script(app, script: str) -> str:
    out = io.StringIO()
    ConsoleSession(app.kindred, out=out).run(io.StringIO(script))
    return out.getvalue()


def test_console_transcript(app):
    output = run_script(
        app,
        "/as Maria Lopez\n"
        "/ask How do I teach equivalent fractions hands-on to 4th graders?\n"
        "who else needs coffee\n"
        "/as Nobody Here\n"
        "/press 99\n"
        "/quit\n"
        "/ask never reached\n",
    )
    assert "You are now Maria Lopez" in output
    assert "Grab n' go resources:" in output and "Kindred spirits who can help:" in output
    assert "(no reply — Kindred only answers requests for help)" in output
    assert "No sample teacher called “Nobody Here”" in output
    assert "Press a button by number" in output
    assert "never reached" in output.split("Bye!")[0] or "Bye!" in output
    assert "[Kindred" not in output.split("Bye!")[1]


def test_console_press_posts_to_help_and_dms_peers(app):
    output = run_script(
        app, "/as Maria Lopez\n/ask How do you teach long division to 4th graders?\n/press 1\n"
    )
    assert "[#help] Question from @maria.lopez:" in output
    assert "[DM to @" in output


def test_names_with_apostrophes_and_quotes(app):
    output = run_script(app, '/as Kevin O\'Connell\n/as "Maria Lopez"\n')
    assert "You are now Kevin O'Connell" in output
    assert "You are now Maria Lopez" in output


def test_console_kindred_report_shows_the_leader_report(app):
    from tests.privacy.test_insights_scale import NOW, seed

    seed(app.db, 40, 15, seed=40)
    app.kindred.deps.clock = lambda: NOW
    output = run_script(app, "/as Maria Lopez\n/kindred report 30d\n/kindred report soon\n")
    assert "Questions asked:            40" in output and "What to do about it:" in output
    assert "Danielson components teachers' goals link to" in output
    assert "couldn't read “soon” as a period" in output


def test_console_reply_reaches_the_named_asker(app):
    output = run_script(
        app,
        "/as Maria Lopez\n/ask How do you teach long division to 4th graders?\n/press 1\n"
        "/as Derek Thompson\n/reply Try the box method first, then the standard algorithm.\n",
    )
    after = output.split("(you replied in the thread")[1]
    assert "[DM to @maria.lopez]" in after
    assert "Derek Thompson* answered your question" in after or "Derek Thompson answered" in after
    assert "Try the box method first" in after


def test_resource_links_show_the_title_then_the_plain_url(app):
    """No Slack-style ``<url>`` or ``<url|label>`` in a terminal: the title, then the address to open."""
    output = run_script(app, "/as Maria Lopez\n/ask how do I run a morning meeting with 2nd graders?\n")
    cards = re.findall(r"^• (.+) \((https?://[^\s()]+)\)$", output, re.MULTILINE)
    assert cards, output
    with app.db.session() as session:
        urls = {title: url for title, url in session.execute(select(ResourceRow.title, ResourceRow.url))}
    assert all(urls[title] == url for title, url in cards)
    assert "<http" not in output and "|" not in output.split("Grab n' go resources:")[1].split("(buttons")[0]


def test_console_kindred_quiet_silences_general_until_undone(app):
    question = "How do I teach equivalent fractions hands-on to 4th graders?"
    output = run_script(
        app,
        f"/as Maria Lopez\n/kindred quiet here\n{question}\n/kindred quiet off\n{question}\n/kindred help\n",
    )
    quiet, loud = output.split("I'm back: I'll offer resources when someone here asks for help.")
    assert "Okay — I'll stay quiet in this channel. `/ask` still works here." in quiet
    assert "(no reply — Kindred only answers requests for help)" in quiet
    assert "Grab n' go resources:" not in quiet and "Grab n' go resources:" in loud
    assert "/kindred quiet here" in loud
