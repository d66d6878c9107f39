"""Block Kit rendering stays within Slack's limits, whatever the reply holds."""

from __future__ import annotations

from bot.domain.replies import Action, Button, PeerCard, Reply, ResourceCard
from bot.platforms.slack import render


def _card(i: int, long: bool = False) -> ResourceCard:
    text = "x" * 5000 if long else f"Summary {i}"
    return ResourceCard(
        resource_id=i,
        title=("T" * 4000) if long else f"Fraction strips & <more> {i}",
        summary=text,
        url=f"https://example.org/r{i}",
        context="grades 3–5 · math",
        reason=text,
        buttons=(
            Button("This helped" * (20 if long else 1), Action.HELPED, f"1:{i}", "primary"),
            Button("Save", Action.SAVE, f"1:{i}"),
            Button("Not relevant", Action.NOT_RELEVANT, f"1:{i}"),
        ),
        notes=("n" * 3000,) if long else (),
    )


def _check_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= render.MAX_BLOCKS
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            assert len(block["text"]["text"]) <= render.MAX_TEXT
        if block["type"] == "context":
            assert all(len(e["text"]) <= render.MAX_TEXT for e in block["elements"])
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)) and len(ids) <= 25
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= 75
                assert len(element["value"]) <= 2000
                assert len(element["action_id"]) <= 255


def test_long_texts_are_clipped_within_limits() -> None:
    reply = Reply(
        text="Headline " * 1000,
        resources=tuple(_card(i, long=True) for i in range(3)),
        peers=tuple(PeerCard(i, f"U{i:08d}", f"Peer {i}", "r" * 2000) for i in range(3)),
        buttons=(Button("Post my question to #help", Action.POST_TO_HELP, "1"),),
        footer="f" * 5000,
    )
    blocks = render.reply_blocks(reply)
    _check_limits(blocks)
    assert "<@U00000000>" in str(blocks)
    assert len(render.fallback_text(reply)) <= render.MAX_FALLBACK_TEXT


def test_too_many_parts_degrade_to_fifty_blocks_with_a_notice() -> None:
    reply = Reply(text="Many", resources=tuple(_card(i) for i in range(40)), footer="footer")
    blocks = render.reply_blocks(reply)
    _check_limits(blocks)
    assert len(blocks) >= render.MAX_BLOCKS - 2  # whole cards only
    assert "couldn't fit" in blocks[-1]["elements"][0]["text"]


def test_escaping_links_and_mentions() -> None:
    reply = Reply(
        text="Hi <@U123>",
        resources=(_card(1),),
        peers=(PeerCard(1, "maria.lopez", "Maria & Co", "fractions"),),  # not a Slack id: no mention
    )
    text = str(render.reply_blocks(reply))
    assert "Hi <@U123>" in text  # the core's own mrkdwn is kept
    assert "<https://example.org/r1|Fraction strips &amp; &lt;more&gt; 1>" in text
    assert "*Maria &amp; Co*" in text and "<@maria.lopez>" not in text


def test_oversized_button_values_are_dropped_not_cut() -> None:
    reply = Reply(text="x", buttons=(Button("ok", "save", "1"), Button("big", "save", "9" * 2001)))
    (actions,) = [b for b in render.reply_blocks(reply) if b["type"] == "actions"]
    assert [e["value"] for e in actions["elements"]] == ["1"]


def test_unsafe_urls_are_not_linked() -> None:
    card = ResourceCard(1, "Title", "s", url="javascript:alert(1)")
    blocks = render.reply_blocks(Reply(text="", resources=(card,)))
    assert "javascript" not in str(blocks)


def test_action_id_round_trip() -> None:
    assert render.parse_action_id(render.action_id("post_to_help", 3)) == "post_to_help"
    assert render.parse_action_id("other.thing") is None
