"""Specialist roles through the console: set with ``/kindred profile roles``, shown on the profile, and the
go-to colleague for a question about that specialty."""

import io

from bot.platforms.console import ConsoleSession

QUESTION = "Could a school counselor help me with a 4th grader's anxiety before tests?"


def run_script(app, script: str) -> str:
    out = io.StringIO()
    ConsoleSession(app.kindred, out=out).run(io.StringIO(script))
    return out.getvalue()


def colleagues(output: str) -> list[str]:
    """The colleague lines of the last answer, in order."""
    block = output.rsplit("Kindred spirits who can help:", 1)[1]
    return [line for line in block.splitlines() if line.startswith("• ")]


def test_a_role_set_in_the_console_is_shown_on_the_profile(app):
    output = run_script(
        app,
        "/as Ben Hartley\n/kindred profile roles School Counselor; SPED; debate coach\n/kindred profile\n",
    )
    shown = output.split("Ben Hartley> /kindred profile\n")[1]
    assert "Roles: school counsellor, special education teacher, debate coach" in shown
    assert "profile roles" in shown  # the usage names the field
    cleared = run_script(app, "/as Ben Hartley\n/kindred profile roles none\n")
    assert "Saved." in cleared and "Roles:" not in cleared


def test_a_counsellor_role_makes_them_the_go_to_colleague_for_a_counselling_question(app):
    # The sample community's counsellor is not taking suggestions; Ben (8th grade ELA) is one too.
    setup = "/as Nina Castillo\n/kindred profile open no\n"
    before = run_script(app, setup + f"/as Maria Lopez\n/ask {QUESTION}\n")
    assert not any("Ben Hartley" in line for line in colleagues(before))

    after = run_script(
        app, f"/as Ben Hartley\n/kindred profile roles counsellor\n/as Maria Lopez\n/ask {QUESTION}\n"
    )
    first = colleagues(after)[0]
    assert first.startswith("• @Ben Hartley — school counsellor"), colleagues(after)


def test_the_sample_communitys_stated_roles_give_the_reason(app):
    output = run_script(app, f"/as Maria Lopez\n/ask {QUESTION}\n")
    assert colleagues(output)[0].startswith("• @Nina Castillo — school counsellor"), colleagues(output)
    output = run_script(
        app, "/as Maria Lopez\n/ask How do I write IEP accommodations into a 4th grade math lesson?\n"
    )
    assert any(
        line.startswith("• @Kevin O'Connell — special education teacher") for line in colleagues(output)
    ), colleagues(output)
