"""/pack end to end on the fake embedder and the sample community: kindred spirits, opt-in, rounds,
intros, check-ins and round stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest
from sqlalchemy import select

from bot.domain.events import Actor, ButtonPress, Command
from bot.domain.packs import PackPolicy
from bot.matching.pack_former import pair, repeated_pairs
from bot.scheduling.durations import parse_duration
from bot.scheduling.pack_messages import PackAction
from bot.scheduling.pack_rounds import deliver_intros, form_round, send_checkins
from bot.scheduling.sender import DeliveryError
from bot.storage.models import PackAssignmentRow
from bot.storage.repositories import TeacherRepository
from bot.storage.repositories.packs import PackRepository
from tests.recording_sender import RecordingSender

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ELEMENTARY = [
    "maria.lopez",
    "derek.thompson",
    "aisha.bello",
    "hannah.kowalski",
    "kevin.oconnell",
    "lucia.ramirez",
    "sam.whitfield",
    "daniel.osei",
    "nina.castillo",
    "rachel.goldberg",
    "james.wright",
    "andre.williams",
    "sofia.martinez",
]
SECONDARY = [
    "jamal.carter",
    "priya.raman",
    "tom.nguyen",
    "elena.petrova",
    "marcus.johnson",
    "grace.kim",
    "omar.haddad",
    "ben.hartley",
    "fatima.yusuf",
    "luis.herrera",
    "olivia.bennett",
    "ravi.patel",
]


def pack(app, user_id, text=""):
    return app.kindred.handle_command(Command(Actor("console", user_id), "pack", text)).reply


def teacher(app, user_id):
    with app.db.session() as session:
        return TeacherRepository(session).find("console", user_id)


def members_of(app, round_id):
    with app.db.session() as session:
        rows = session.scalars(select(PackAssignmentRow).where(PackAssignmentRow.round_id == round_id))
        packs: dict[int, list[int]] = {}
        for row in rows:
            packs.setdefault(row.pack_id, []).append(row.teacher_id)
    return list(packs.values())


class FailingFor(RecordingSender):
    """Delivers to everyone but one user, like a platform that cannot DM someone right now."""

    def __init__(self, user_id: str) -> None:
        super().__init__()
        self.broken = user_id

    def send_dm(self, platform, platform_user_id, reply):
        if platform_user_id == self.broken:
            raise DeliveryError("cannot DM right now")
        super().send_dm(platform, platform_user_id, reply)


class GroupRecorder(RecordingSender):
    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[str, ...]] = []

    def send_group(self, platform, platform_user_ids, reply):
        self.groups.append(tuple(platform_user_ids))


def test_pack_shows_five_kindred_spirits_with_reasons_and_one_stretch(app):
    reply = pack(app, "aisha.bello")
    closest, stretch = reply.peers[:-1], reply.peers[-1]
    assert len(closest) == 5 and stretch.reason.startswith("stretch: ")
    ids = {p.platform_user_id for p in reply.peers}
    assert "aisha.bello" not in ids and len(ids) == 6
    assert not ids & {"mei.chen", "rebecca.stein", "tyrone.jackson", "karen.lindqvist"}, "not open to help"
    assert any("both teach 3rd grade ELA" in p.reason for p in closest), reply.to_text()
    assert all(p.reason for p in closest)
    me, them = teacher(app, "aisha.bello"), teacher(app, stretch.platform_user_id)
    assert not set(me.grades) & set(them.grades) or me.school != them.school or "another" in stretch.reason
    assert "/pack join" in reply.footer


def test_recent_questions_count_and_a_stretch_comes_from_who_helped(app):
    derek = Actor("console", "derek.thompson", "Derek Thompson")
    ask = app.kindred.handle_command(Command(derek, "ask", "How do I teach equivalent fractions hands-on?"))
    card = ask.reply.resources[0]
    helped = next(b for b in card.buttons if b.action == "helped")
    with (
        app.db.session() as session
    ):  # the resource Derek found helpful was shared by a high-school ELA teacher
        from bot.storage.models import ResourceRow

        session.get(ResourceRow, card.resource_id).shared_by = teacher(app, "elena.petrova").id
    app.kindred.handle_button(ButtonPress(derek, helped.action, helped.value))
    stretch = pack(app, "derek.thompson").peers[-1]
    assert stretch.platform_user_id == "elena.petrova"
    assert "another grade band" in stretch.reason and "which helped you" in stretch.reason


def test_a_newcomer_without_profile_or_questions_is_asked_to_tell_what_they_teach(app):
    reply = pack(app, "brand.new")
    assert not reply.peers and "Tell me what you teach" in reply.text


def test_join_mine_snooze_leave_and_bad_input(app):
    assert "You're not in a pack yet" in pack(app, "aisha.bello", "mine").text
    assert "You're not in packs yet" in pack(app, "aisha.bello", "snooze 2w").text
    joined = pack(app, "aisha.bello", "join reading conferences")
    assert "You're in!" in joined.text and "reading conferences" in joined.text and "3–5" in joined.text
    assert "already in" in pack(app, "aisha.bello", "join").text
    assert "first pack at the next round" in pack(app, "aisha.bello", "mine").text
    assert "How long?" in pack(app, "aisha.bello", "snooze soon").text
    assert "up to 12 weeks" in pack(app, "aisha.bello", "snooze 20w").text
    assert "Snoozed until" in pack(app, "aisha.bello", "snooze 2w").text
    assert "don't know “/pack dance”" in pack(app, "aisha.bello", "dance").text
    assert "Done" in pack(app, "aisha.bello", "leave").text
    assert "not in packs" in pack(app, "aisha.bello", "leave").text
    assert "Keep the focus short" in pack(app, "aisha.bello", "join " + "x" * 300).text


def test_weeks_are_a_duration_unit():
    assert parse_duration("2w") == timedelta(weeks=2)
    assert parse_duration("1w3d") == timedelta(days=10)


def test_a_round_places_only_those_who_opted_in_and_introduces_them(app):
    for user_id in ELEMENTARY[:10]:
        pack(app, user_id, "join reading conferences" if user_id == "aisha.bello" else "join")
    sender = RecordingSender()
    stats = form_round(app.db, sender, START)
    assert stats.formed == 2 and stats.placed == 10 and stats.waiting == 0
    packs = members_of(app, stats.round_id)
    assert sorted(len(p) for p in packs) == [5, 5] or sorted(len(p) for p in packs) == [3, 3, 4]
    with app.db.session() as session:
        ids = {t.id: t.platform_user_id for t in TeacherRepository(session).all()}
    placed = {ids[t] for p in packs for t in p}
    assert placed == set(ELEMENTARY[:10])
    assert {m.platform_user_id for m in sender.sent} == placed, "one intro each, nobody else"
    intro = sender.to("maria.lopez")[0]
    assert "Meet your pack" in intro.text and "Why these people:" in intro.text
    assert "Conversation starter:" in intro.text and "@maria.lopez" not in intro.text
    mates = next(p for p in packs if teacher(app, "maria.lopez").id in p)
    assert all(f"<@{ids[t]}>" in intro.text for t in mates if ids[t] != "maria.lopez")
    assert form_round(app.db, sender, START + timedelta(days=3)) is None, "not due yet"
    assert form_round(app.db, sender, START + timedelta(hours=1), force=True) is None, "one round a day"


def test_next_round_avoids_last_rounds_pairs_and_keeps_history(app):
    everyone = ELEMENTARY + SECONDARY
    for user_id in everyone:
        pack(app, user_id, "join")
    first = form_round(app.db, RecordingSender(), START)
    second = form_round(app.db, RecordingSender(), START + timedelta(days=14))
    assert first.formed == second.formed == 6 and first.placed == second.placed == len(everyone)
    before = {pair(a, b) for p in members_of(app, first.round_id) for a, b in combinations(p, 2)}
    assert repeated_pairs(members_of(app, second.round_id), before) == 0
    with app.db.session() as session:
        assert [s.round_id for s in PackRepository(session).rounds()] == [second.round_id, first.round_id]


def test_snoozed_and_departed_teachers_are_not_placed(app):
    for user_id in ELEMENTARY[:6]:
        pack(app, user_id, "join")
    pack(app, "maria.lopez", "snooze 3w")
    pack(app, "derek.thompson", "leave")
    sender = RecordingSender()
    stats = form_round(app.db, sender, app.kindred.deps.clock())
    assert stats.placed == 4 and {m.platform_user_id for m in sender.sent} == set(ELEMENTARY[2:6])


def test_too_few_opted_in_are_told_kindly_instead_of_left_out_silently(app):
    pack(app, "maria.lopez", "join")
    pack(app, "derek.thompson", "join")
    sender = RecordingSender()
    stats = form_round(app.db, sender, START)
    assert stats.formed == 0 and stats.waiting == 2
    note = sender.to("maria.lopez")[0].text
    assert "Only 2 colleagues opted in" in note and "first in line" in note


def test_check_ins_ask_once_and_answers_make_round_stats(app):
    for user_id in ELEMENTARY[:4]:
        pack(app, user_id, "join")
    stats = form_round(app.db, RecordingSender(), START)
    sender = RecordingSender()
    assert send_checkins(app.db, sender, START + timedelta(days=6)) == 0, "not due yet"
    assert send_checkins(app.db, sender, START + timedelta(days=7)) == 4
    assert send_checkins(app.db, sender, START + timedelta(days=8)) == 0, "asked once"
    yes, no = sender.to("maria.lopez")[0].buttons
    maria, derek = Actor("console", "maria.lopez"), Actor("console", "derek.thompson")
    met = app.kindred.handle_button(ButtonPress(maria, PackAction.MET, yes.value))
    assert "Wonderful" in met.reply.text
    app.kindred.handle_button(ButtonPress(derek, PackAction.SKIPPED, no.value))
    stranger = app.kindred.handle_button(
        ButtonPress(Actor("console", "omar.haddad"), PackAction.MET, yes.value)
    )
    assert "isn't for one of your packs" in stranger.reply.text
    with app.db.session() as session:
        after = PackRepository(session).round_stats(stats.round_id)
    assert (after.formed, after.placed, after.met, after.skipped, after.unanswered) == (1, 4, 1, 1, 2)
    mine = pack(app, "maria.lopez", "mine").text
    assert "Your pack since" in mine and "Conversation starter" in mine and "<@derek.thompson>" in mine


def test_a_failed_intro_is_retried_for_that_member_only(app):
    for user_id in ELEMENTARY[:4]:
        pack(app, user_id, "join")
    flaky = FailingFor("aisha.bello")
    stats = form_round(app.db, flaky, START)
    assert len(flaky.sent) == 3
    retry = RecordingSender()
    assert deliver_intros(app.db, retry, stats.round_id, START) == 1
    assert [m.platform_user_id for m in retry.sent] == ["aisha.bello"]


def test_the_optional_group_hook_gets_one_message_per_pack(app):
    for user_id in ELEMENTARY[:8]:
        pack(app, user_id, "join")
    sender = GroupRecorder()
    stats = form_round(app.db, sender, START)
    assert len(sender.groups) == stats.formed == 2
    assert sorted(len(g) for g in sender.groups) == [4, 4]


def test_packs_never_mix_platforms(app):
    for user_id in ELEMENTARY[:3]:
        pack(app, user_id, "join")
    for n in range(3):
        slack = Actor("slack", f"U{n}", f"Slack Teacher {n}", workspace_id="T1")
        app.kindred.handle_command(Command(slack, "pack", "join"))
    stats = form_round(app.db, RecordingSender(), START)
    assert stats.formed == 2
    with app.db.session() as session:
        teachers = TeacherRepository(session).get_many(t for p in members_of(app, stats.round_id) for t in p)
    for members in members_of(app, stats.round_id):
        assert len({teachers[t].platform for t in members}) == 1


@pytest.mark.parametrize("size", [3, 5])
def test_the_pack_size_setting_reaches_the_policy(size, settings):
    from bot.bootstrap import bootstrap
    from bot.matching.hashing_embedder import HashingEmbedder

    settings.pack_size = size
    app = bootstrap(settings, embedder=HashingEmbedder())
    assert app.kindred.deps.packs == PackPolicy(size=size)
    app.close()
