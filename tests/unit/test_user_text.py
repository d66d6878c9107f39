"""User-written text is marked once in the core and made inert by each renderer."""

from __future__ import annotations

from bot.domain.replies import Reply
from bot.domain.user_text import OPEN, plain, user_text
from bot.platforms.discord.render import render
from bot.platforms.slack.render import message_payload

HOSTILE = (
    "hi <!channel> <@U123ABC> <http://evil.example|click> [free](http://evil.example) @everyone @here & co"
)


def reply() -> Reply:
    return Reply(text=f"**Question from <@UASKER01>:**\n{user_text(HOSTILE)}", ephemeral=False)


def test_slack_escapes_user_text_but_keeps_our_markup() -> None:
    payload = message_payload(reply())
    block = payload["blocks"][0]["text"]["text"]
    for text in (payload["text"], block):
        assert "<!channel>" not in text and "<@U123ABC>" not in text and "<http://evil" not in text
        assert "&lt;!channel&gt;" in text and "&amp; co" in text
        assert "<@UASKER01>" in text, "our own mention stays live"
        assert OPEN not in text


def test_discord_neutralises_mentions_mass_pings_and_masked_links() -> None:
    content = render(reply()).content or ""
    assert "<@U123ABC>" not in content and "@everyone" not in content and "@here" not in content
    assert "[free](http" not in content and "\\[free\\](http" in content
    assert "[click](http" not in content, "a Slack-style link in user text does not become a masked link"
    assert "<@UASKER01>" in content and "**Question from" in content
    assert OPEN not in content


def test_marks_cannot_be_smuggled_and_plain_output_is_unchanged() -> None:
    assert plain(user_text(f"a{OPEN}b")) == "ab"
    assert plain(reply().to_text()).endswith(HOSTILE)
