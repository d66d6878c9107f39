"""The core writes neutral markup only: no Slack mrkdwn (``<url|label>``, single-star bold) in anything a
scripted console session shows — replies, posts, thread posts, DMs, follow-ups, edits."""

from __future__ import annotations

import io
import re

from bot.domain.markup import plain_text
from bot.platforms.console import ConsoleSession

_SLACK_LINK = re.compile(r"<https?://[^>|]*\|[^>]*>")
_SINGLE_STAR_BOLD = re.compile(r"(?<![*\w])\*(?=[^\s*])[^*\n]+?(?<=[^\s*])\*(?![*\w])")
QUESTION = "How do I teach equivalent fractions hands-on to 4th graders?"
SCRIPT = (
    "/as Maria Lopez\n"
    "/kindred\n"
    "/kindred profile\n"
    "/kindred settings\n"
    "/goal set ask more open-ended questions\n"
    "/goal\n"
    "/ripples\n"
    f"/ask {QUESTION}\n"
    "/press 1\n"
    "/as Derek Thompson\n"
    "/reply Fraction strips work *wonders*, then a number line!\n"
    "/ask anon How do I calm a loud class after recess?\n"
    "/kindred reply 2 thanks *all*\n"
    "/as Maria Lopez\n"
    "/reply Try a *quiet* signal\n"
    "/wait 3d\n"
    "/pack join fractions\n"
    "/pack\n"
)


class RecordingSession(ConsoleSession):
    """A console session that keeps the core's text before the console renders it."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.neutral: list[str] = []

    def _plain(self, text: str) -> str:  # type: ignore[override]
        self.neutral.append(text)
        return plain_text(text)


def test_no_slack_markup_reaches_the_core_output(app) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    session = RecordingSession(app.kindred, out=out)
    session.run(io.StringIO(SCRIPT))
    seen = "\n".join(session.neutral)
    assert "**" in seen and len(session.neutral) >= 15, "the session shows bold text from many features"
    assert "*wonders*" in seen and "*quiet*" in seen, "user text is kept as typed"
    ours = re.sub("\ue000.*?\ue001", "", seen, flags=re.DOTALL)  # user-written spans are not our markup
    assert not _SLACK_LINK.search(ours)
    assert not _SINGLE_STAR_BOLD.search(ours.replace("**", "")), _SINGLE_STAR_BOLD.search(
        ours.replace("**", "")
    )
