"""Console: "did this help?" quotes the colleague's reply and names them; "Yes, thanks!" saves it as the
answer that helped, the replier hears so, and the next colleague asking sees it first."""

from __future__ import annotations

from tests.unit.test_console_followups import QUESTION, run_script


def test_yes_saves_the_reply_that_helped_and_credits_the_replier(app) -> None:  # type: ignore[no-untyped-def]
    output = run_script(
        app,
        "/as Maria Lopez\n"
        f"{QUESTION}\n"
        "/as Derek Thompson\n"
        "/reply Fraction strips work wonders, then a number line!\n"
        "/as Maria Lopez\n"
        "/wait 2h\n"
        "/press 1\n"
        "/as Rachel Goldberg\n"
        f"/ask {QUESTION}\n",
    )
    check_in = output.split("/wait 2h", 1)[1].split("/press 1", 1)[0]
    assert "[DM to @maria.lopez] Did this help? You asked:" in check_in
    assert "Derek Thompson answered:" in check_in and "Fraction strips work wonders" in check_in
    pressed = output.split("/press 1", 1)[1].split("/as Rachel Goldberg", 1)[0]
    assert "saved Derek's answer" in pressed
    assert "[DM to @derek.thompson] Your answer to" in pressed and "helped" in pressed
    asked_again = output.split("/as Rachel Goldberg", 1)[1]
    assert "here is what helped" in asked_again and "Derek Thompson" in asked_again
