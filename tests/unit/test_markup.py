"""The neutral markup: one form in the core, one small renderer per platform, user text never markup."""

from __future__ import annotations

import pytest

from bot.domain.markup import bold, code, italic, link, mention, plain_text, quote
from bot.domain.user_text import user_text
from bot.platforms.discord.render import discord_text
from bot.platforms.slack.render import slack_text

TRICKY = "2*3* is _not_ <script>alert(1)</script> a|b > c [x](https://evil.example) **loud** @everyone"
ODD_URL = "https://example.org/a_b_(c)_d?x=1&y=2"


def sample() -> str:
    return (
        f"{bold('Kindred')} says {italic('hi')} to {mention('U123ABC')}: "
        f"{link('https://example.org/guide', 'the guide')}\n{quote('quoted')} and {code('/ask')}"
    )


def test_each_platform_renders_our_own_markup() -> None:
    assert slack_text(sample()) == (
        "*Kindred* says _hi_ to <@U123ABC>: <https://example.org/guide|the guide>\n> quoted and `/ask`"
    )
    assert discord_text(sample()) == (
        "**Kindred** says _hi_ to <@U123ABC>: [the guide](https://example.org/guide)\n> quoted and `/ask`"
    )
    assert plain_text(sample()) == (
        "Kindred says hi to @U123ABC: the guide (https://example.org/guide)\n> quoted and `/ask`"
    )


def test_user_text_is_escaped_per_platform_and_never_becomes_markup() -> None:
    text = f"{bold(user_text('Dana *'))} wrote: {user_text(TRICKY)}"
    slack = slack_text(text)
    assert slack.startswith("*Dana **")  # Slack has no escape for "*": shown as a person typing it sees it
    assert "&lt;script&gt;" in slack and "<script>" not in slack and "&gt; c" in slack
    assert "<https://evil" not in slack and "[x](https://evil.example)" in slack, "no link is formed"
    discord = discord_text(text)
    assert discord.startswith("**Dana \\***")
    assert "2\\*3\\*" in discord and "\\_not\\_" in discord and "\\*\\*loud\\*\\*" in discord
    assert "<\u200bscript>" in discord and "a\\|b" in discord and "@\u200beveryone" in discord
    assert "\\[x\\](https://evil.example)" in discord, "a masked link in user text shows as typed"
    assert plain_text(text) == f"Dana * wrote: {TRICKY}", "the console shows user text exactly"


def test_urls_keep_their_underscores_and_parentheses() -> None:
    neutral = link(ODD_URL, "odd_name")
    assert neutral == "[odd_name](https://example.org/a_b_%28c%29_d?x=1&y=2)"
    assert slack_text(neutral) == "<https://example.org/a_b_%28c%29_d?x=1&y=2|odd_name>"
    assert discord_text(neutral) == "[odd_name](https://example.org/a_b_%28c%29_d?x=1&y=2)"
    assert plain_text(neutral) == "odd_name (https://example.org/a_b_%28c%29_d?x=1&y=2)"
    said = discord_text(user_text(f"see {ODD_URL} or _this_"))
    assert f"see {ODD_URL} or \\_this\\_" == said, "a URL a teacher typed still opens on Discord"


@pytest.mark.parametrize(
    ("label", "slack", "discord"),
    [
        ("a [b] c", "<https://x.org|a [b] c>", "[a [b] c](https://x.org)"),
        ("a|b", "<https://x.org|a¦b>", "[a|b](https://x.org)"),
        (user_text("T*<x>"), "<https://x.org|T*&lt;x&gt;>", "[T\\*<\u200bx>](https://x.org)"),
    ],
)
def test_link_labels(label: str, slack: str, discord: str) -> None:
    assert slack_text(link("https://x.org", label)) == slack
    assert discord_text(link("https://x.org", label)) == discord


def test_a_link_to_something_that_is_not_a_web_page_is_only_its_label() -> None:
    for render in (slack_text, discord_text):
        assert render(link("javascript:alert(1)", "click")) == "click"


def test_identifiers_and_code_are_left_alone() -> None:
    words = "KINDRED_SLACK_LEADER_GROUP, snake_case_name and `/pack join [focus]` 2*3*4"
    for render in (slack_text, discord_text, plain_text):
        assert render(words) == words
