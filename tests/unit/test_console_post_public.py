"""Console /wait: a private question still unanswered after two windows: the asker is asked first; with the
standing yes (``/kindred settings autopost on``) it shows up in #help, unsigned."""

from __future__ import annotations

import io

from bot.platforms.console import ConsoleSession

QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"


def test_a_private_question_goes_to_help_after_the_second_window_and_replies_map_back(app) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    script = (
        f"/as Maria Lopez\n/kindred settings autopost on\n/ask {QUESTION}\n/wait 3h\n/wait 3h\n"
        "/as Derek Thompson\n/reply Fraction strips!\n"
    )
    ConsoleSession(app.kindred, out=out).run(io.StringIO(script))
    output = out.getvalue()
    first, second = output.split("/wait 3h", 2)[1:]
    assert "[#help]" not in first
    (posted,) = [line for line in second.splitlines() if line.startswith("[#help]")]
    assert (
        posted
        == f"[#help] A colleague is looking for ideas — can you help? “{QUESTION}” Reply in this thread."
    )
    assert "(you replied in the thread in #help)" in second


def test_without_the_standing_yes_the_asker_is_asked_and_nothing_is_posted(app) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    script = f"/as Maria Lopez\n/ask {QUESTION}\n/wait 3h\n/wait 3h\n/wait 3d\n"
    ConsoleSession(app.kindred, out=out).run(io.StringIO(script))
    output = out.getvalue()
    assert "[#help]" not in output
    assert "[DM to @maria.lopez] No colleague has answered yet" in output
    assert "May I post it in #help without your name?" in output
