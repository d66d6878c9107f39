from bot.domain.events import Actor, Command


def test_ask_returns_fraction_resources_on_fake_embedder(app):
    outcome = app.kindred.handle_command(
        Command(Actor("console", "you", "You"), "ask", "How do I teach equivalent fractions hands-on to 4th graders?")
    )
    assert outcome.reply is not None
    assert outcome.reply.resources, outcome.reply.to_text()
    assert "fraction" in outcome.reply.resources[0].title.lower()
