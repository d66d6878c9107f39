"""Console /wait and /reply: escalation nudges and "did this help?" show up in the transcript."""

from __future__ import annotations

import io

from bot.platforms.console import ConsoleSession

QUESTION = "Does anyone have ideas for teaching equivalent fractions hands-on to my 4th graders?"


def run_script(app, script: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    ConsoleSession(app.kindred, out=out).run(io.StringIO(script))
    return out.getvalue()


def test_wait_escalates_then_a_reply_leads_to_did_it_help_and_yes_solves(app) -> None:  # type: ignore[no-untyped-def]
    output = run_script(
        app,
        "/as Maria Lopez\n"
        f"{QUESTION}\n"
        "/wait 3h\n"
        "/wait 3d\n"  # nudges wait for the helpers' working hours, whatever the real time is
        "/as Derek Thompson\n"
        "/reply Fraction strips work wonders!\n"
        "/as Maria Lopez\n"
        "/wait 2h\n"
        "/press 1\n",
    )
    before_reply, after_reply = output.split("/reply Fraction strips", 1)
    waited = before_reply.split("/wait 3h", 1)[1]
    assert "(⏩ 3h later:" in waited
    assert "[DM to @" in waited and "A colleague asked “Does anyone have ideas" in waited
    assert "[DM to @maria.lopez]" not in waited, "the asker is never nudged about their own question"
    assert "(you replied in the thread in #general)" in after_reply
    check_in = after_reply.split("/wait 2h", 1)[1]
    assert "[DM to @maria.lopez] Did this help? You asked:" in check_in
    assert "(buttons — /press <n>: 1:Yes, thanks!  2:Not yet)" in check_in
    assert "as solved and saved Derek's answer" in check_in, "the reply it asked about is what helped"


def test_wait_needs_a_duration_and_says_when_nothing_is_due(app) -> None:  # type: ignore[no-untyped-def]
    output = run_script(app, "/wait soon\n/wait 5m\n/reply hello\n")
    assert "Usage: /wait <duration>" in output
    assert "(no follow-ups to send yet)" in output
    assert "No question to reply to yet" in output


def test_wait_runs_every_scheduled_job_goal_checkins_and_pack_rounds(app) -> None:  # type: ignore[no-untyped-def]
    joins = "".join(
        f"/as {name}\n/pack join fractions\n"
        for name in ("Derek Thompson", "Rachel Goldberg", "Kevin O'Connell", "Maria Lopez")
    )
    output = run_script(app, joins + "/goal set ask more open-ended questions\n/wait 8d\n/wait 8d\n")
    waited = output.split("/wait 8d", 1)[1]
    assert "[DM to @maria.lopez] What did you try this week toward “ask more open-ended questions”" in waited
    intros = {
        line.split("]")[0] for line in waited.splitlines() if "pack" in line.lower() and "[DM to @" in line
    }
    assert len(intros) >= 3, f"every member of the round gets an intro: {intros}"
    assert "Did you get to meet your pack" in output.split("/wait 8d", 2)[2], "a week after the intro"
