"""Neutral Reply → Discord embeds and buttons, within every Discord limit (no network)."""

from __future__ import annotations

import discord
import pytest

from bot.domain.replies import Action, Button, PeerCard, Reply, ResourceCard
from bot.platforms.discord import render as r
from bot.platforms.discord.components import CUSTOM_ID_TEMPLATE, KindredButton, custom_id, parse_custom_id


def card(n: int, size: int = 100) -> ResourceCard:
    value = f"{n}:{1000 + n}"
    return ResourceCard(
        resource_id=1000 + n,
        title=f"Resource {n} " + "T" * size,
        summary="S" * (size * 10),
        url=f"https://example.org/{n}",
        context="grades 3–5 · math " + "C" * size,
        reason="**because** " + "R" * (size * 5),
        buttons=(
            Button("This helped", Action.HELPED, value, "primary"),
            Button("Save", Action.SAVE, value),
            Button("Not relevant", Action.NOT_RELEVANT, value),
        ),
        notes=tuple("N" * size for _ in range(5)),
    )


def check_limits(rendered: r.Rendered) -> None:
    embeds = rendered.embeds
    assert len(embeds) <= r.EMBEDS_MAX
    assert sum(len(e) for e in embeds) <= r.EMBED_TOTAL_MAX
    for embed in embeds:
        assert len(embed.title or "") <= r.TITLE_MAX
        assert len(embed.description or "") <= r.DESCRIPTION_MAX
        assert len(embed.fields) <= r.FIELDS_MAX
        assert all(0 < len(f.value or "") <= r.FIELD_VALUE_MAX for f in embed.fields)
        assert len(embed.footer.text or "") <= r.FOOTER_MAX
    assert len(rendered.content or "") <= r.CONTENT_MAX
    if rendered.view is not None:
        components = rendered.view.to_components()
        assert len(components) <= r.ROWS_MAX
        for row in components:
            assert len(row["components"]) <= r.BUTTONS_PER_ROW
            for button in row["components"]:
                assert len(button["label"]) <= r.LABEL_MAX
                assert len(button["custom_id"]) <= 100


def test_suggestion_reply_layout() -> None:
    reply = Reply(
        text="**Here's** what colleagues found useful:",
        resources=(card(1, size=5),),
        peers=(PeerCard(7, "900000000000000042", "Dana Reyes", "also teaches 4th grade math"),),
        buttons=(Button("Post my question to #help", Action.POST_TO_HELP, "1"),),
        footer="Tell me your grades.",
        request_id=1,
    )
    rendered = r.render(reply)
    head, resource, peers = rendered.embeds
    assert head.description == "**Here's** what colleagues found useful:"
    assert head.footer.text == "Tell me your grades."
    assert resource.title.startswith("1. Resource 1") and resource.url == "https://example.org/1"
    assert [f.name for f in resource.fields][:2] == ["Grades & subjects", "Why it fits"]
    assert peers.title == r.PEERS_TITLE
    assert "<@900000000000000042> — also teaches 4th grade math" in peers.description
    assert rendered.custom_ids() == [
        "kindred:helped:1:1001",
        "kindred:save:1:1001",
        "kindred:not_relevant:1:1001",
        "kindred:post_to_help:1",
    ]
    rows = rendered.view.to_components()
    assert [b["label"] for b in rows[0]["components"]] == ["1 · This helped", "1 · Save", "1 · Not relevant"]
    assert rows[0]["components"][0]["style"] == discord.ButtonStyle.primary.value
    assert rows[1]["components"][0]["label"] == "Post my question to #help"
    assert rendered.kwargs()["allowed_mentions"].users is False


def test_long_content_stays_within_every_limit() -> None:
    reply = Reply(
        text="H" * 9000,
        resources=tuple(card(n, size=900) for n in range(1, 13)),
        peers=tuple(PeerCard(n, str(10**17 + n), f"Peer {n}", "reason " * 300) for n in range(40)),
        buttons=tuple(Button(f"Extra {n} " + "L" * 100, Action.POST_TO_HELP, str(n)) for n in range(7)),
        footer="F" * 5000,
    )
    rendered = r.render(reply)
    check_limits(rendered)
    assert len(rendered.embeds) == r.EMBEDS_MAX
    assert rendered.embeds[-1].title == r.PEERS_TITLE  # peers are never squeezed out by resources


def test_plain_reply_is_content_and_long_plain_reply_becomes_an_embed() -> None:
    short = r.render(Reply(text="Saved. **Dana**"))
    assert short.content == "Saved. **Dana**" and not short.embeds and short.view is None
    long = r.render(Reply(text="x" * 3000))
    assert long.content is None and len(long.embeds[0].description) == 3000
    check_limits(long)


def test_bad_urls_and_ids_are_dropped_not_sent() -> None:
    bad = ResourceCard(
        1, "Title", "Summary", url="javascript:alert(1)", buttons=(Button("Odd", "helped", "x" * 200),)
    )
    rendered = r.render(Reply(text="hi", resources=(bad,)))
    assert rendered.embeds[1].url is None
    assert rendered.view is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Question from <@123>:**\nHow?", "**Question from <@123>:**\nHow?"),
        ("see [the guide](https://x.org/a)", "see [the guide](https://x.org/a)"),
        ("2*3*4 and **already**", "2*3*4 and **already**"),
        ("`/ask How?`", "`/ask How?`"),
    ],
)
def test_discord_text(text: str, expected: str) -> None:
    assert r.discord_text(text) == expected


def test_custom_ids_round_trip_and_reject_oversize() -> None:
    assert custom_id("helped", "12:44") == "kindred:helped:12:44"
    assert parse_custom_id("kindred:helped:12:44") == ("helped", "12:44")
    assert CUSTOM_ID_TEMPLATE.fullmatch("kindred:post_to_help:9")
    assert parse_custom_id("other:helped:1") is None
    with pytest.raises(ValueError):
        custom_id("helped", "1:" * 60)
    with pytest.raises(ValueError):
        custom_id("helped", "not-ids")
    assert KindredButton("save", "1:2", label="Save").item.custom_id == "kindred:save:1:2"


def test_catalog_and_colleague_words_on_a_card_are_never_markup() -> None:
    card = ResourceCard(
        1, "Title", "Use *two* [colours](https://evil.example)", notes=("did it _twice_ @everyone",)
    )
    embed = r.render(Reply(text="hi", resources=(card,))).embeds[1]
    assert embed.description == "Use \\*two\\* \\[colours\\](https://evil.example)"
    assert embed.fields[0].value == "✎ did it \\_twice\\_ @\u200beveryone"
