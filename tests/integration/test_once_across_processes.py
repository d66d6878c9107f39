""" "Once" is held by the database, not by a lock of one process: two Kindred processes on one database
(here two threads, each event in its own unit of work, both let past the same check before either writes)
count a thank-you once per colleague, answer an ask reaction once per message and give a new teacher one
profile however many first messages race — on SQLite and on PostgreSQL (``KINDRED_TEST_DATABASE_URL``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from sqlalchemy import Engine, event, func, select

from bot.domain.asks import AskWay
from bot.domain.events import Actor, Command, DirectAsk, Thanks, ThreadReply
from bot.domain.ripples import RippleKind
from bot.storage.models import HelpRequestRow, RippleEventRow

T = TypeVar("T")
WAIT_S = 3.0  # how long the first thread waits for the second at the check before going on alone
QUESTION = "How do I teach equivalent fractions hands-on to my 4th graders?"
JAMAL, MARIA = Actor("console", "jamal.carter"), Actor("console", "maria.lopez")
DEREK, AISHA = Actor("console", "derek.thompson"), Actor("console", "aisha.bello")
HELP, THREAD, REPLY = "help", "1700000100.000100", "1700000101.000100"


@contextmanager
def both_past(engine: Engine, check: Callable[[str], bool]) -> Iterator[threading.Barrier]:
    """Hold each thread just after its first statement matching ``check`` until the other has run it too,
    so both pass the check before either writes. Where the database lets only one writer in at a time
    (SQLite), the second never gets there while the first waits: the barrier breaks and the two run one
    after the other. ``barrier.broken`` tells which happened."""
    barrier = threading.Barrier(2, timeout=WAIT_S)
    seen = threading.local()

    def after_execute(*args: Any) -> None:
        statement = args[2]
        if check(statement) and not getattr(seen, "done", False):
            seen.done = True
            with suppress(threading.BrokenBarrierError):
                barrier.wait()

    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        yield barrier
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)


def at_once(*calls: Callable[[], T]) -> list[T]:
    """Run the calls on threads of their own, started together; their results in order (errors re-raised)."""
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    if errors:
        raise errors[0]
    return results


def expect_a_real_race(app, barrier: threading.Barrier) -> None:
    """On PostgreSQL both threads passed the check before either wrote: the constraint decided."""
    if not app.db.is_sqlite:
        assert not barrier.broken, "the two attempts did not race past the check"


def test_two_processes_thanking_for_the_same_reply_count_it_once(app):
    request_id = app.kindred.handle_command(
        Command(JAMAL, "ask", QUESTION, channel_id="general")
    ).reply.request_id
    app.kindred.record_post(request_id, "console", HELP, THREAD)
    app.kindred.handle_thread_reply(ThreadReply(MARIA, HELP, THREAD, "Fraction strips first.", REPLY))
    thanks = Thanks(DEREK, HELP, THREAD, REPLY)

    def is_the_check(sql: str) -> bool:
        return sql.startswith("SELECT ripple_events.id") and "ripple_events.kind" in sql

    with both_past(app.db.engine, is_the_check) as barrier:
        recorded = at_once(
            lambda: app.kindred.handle_thanks(thanks), lambda: app.kindred.handle_thanks(thanks)
        )
    expect_a_real_race(app, barrier)
    assert sorted(recorded) == [False, True]
    with app.db.session() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(RippleEventRow)
                .where(RippleEventRow.kind == RippleKind.THANKS.value)
            )
            == 1
        )
    assert not app.kindred.handle_thanks(thanks), "and once afterwards too"


def test_two_processes_seeing_the_same_ask_reaction_answer_it_once(app):
    def reacted(who: Actor) -> Callable[[], Any]:
        ask = DirectAsk(who, AskWay.REACTION, QUESTION, channel_id="general", message_id=THREAD, author=JAMAL)
        return lambda: app.kindred.handle_ask(ask)

    def is_the_check(sql: str) -> bool:
        return sql.startswith("SELECT help_requests.source")

    with both_past(app.db.engine, is_the_check) as barrier:
        outcomes = at_once(reacted(DEREK), reacted(AISHA))
    expect_a_real_race(app, barrier)
    assert not any(o.failed for o in outcomes)
    answered = [o for o in outcomes if o.reply is not None]
    assert len(answered) == 1
    with app.db.session() as session:
        stored = session.execute(
            select(HelpRequestRow.id, HelpRequestRow.source).where(HelpRequestRow.message_id == THREAD)
        ).all()
    assert [tuple(r) for r in stored] == [(answered[0].reply.request_id, AskWay.REACTION.value)]
    assert (
        app.kindred.handle_ask(
            DirectAsk(DEREK, AskWay.REACTION, QUESTION, "general", THREAD, author=JAMAL)
        ).reply
        is None
    )


def test_two_first_questions_at_once_from_a_new_teacher_are_both_answered_on_one_profile(app):
    newcomer = Actor("console", "new.teacher.0001", display_name="New Teacher")

    def is_the_check(sql: str) -> bool:  # the first-contact lookup of the profile
        return sql.startswith("SELECT teachers.") and "teachers.platform_user_id =" in sql

    def ask(question: str) -> Callable[[], Any]:
        return lambda: app.kindred.handle_command(Command(newcomer, "ask", question, channel_id="general"))

    with both_past(app.db.engine, is_the_check) as barrier:
        outcomes = at_once(ask(QUESTION), ask("Any ideas for a photosynthesis lab for 7th grade?"))
    expect_a_real_race(app, barrier)
    assert not any(o.failed for o in outcomes)
    assert all(o.reply is not None and o.reply.request_id for o in outcomes)
    with app.db.session() as session:
        askers = session.scalars(
            select(HelpRequestRow.asker_id).where(
                HelpRequestRow.id.in_([o.reply.request_id for o in outcomes])
            )
        ).all()
    assert len(askers) == 2 and len(set(askers)) == 1, "both questions kept, on the one profile"
