"""The benchmark's synthetic data: deterministic, right-sized, valid vocabulary (no model, no database)."""

from benchmarks import synthetic
from bot.domain.resources import RESOURCE_KINDS
from bot.domain.vocabulary import GRADES, SUBJECTS
from bot.storage.repositories.resources import RESOURCE_FIELDS
from bot.storage.repositories.teachers import PROFILE_FIELDS


def test_generators_are_deterministic_and_sized():
    assert synthetic.resources(50, seed=3) == synthetic.resources(50, seed=3)
    assert synthetic.teachers(20, seed=3) == synthetic.teachers(20, seed=3)
    assert synthetic.questions(30, seed=3) == synthetic.questions(30, seed=3)
    assert len(synthetic.resources(123)) == 123
    assert len(synthetic.teachers(45)) == 45
    assert len(synthetic.questions(67)) == 67
    assert synthetic.resources(0) == [] and synthetic.teachers(0) == []


def test_records_are_prefix_stable_and_seed_dependent():
    assert synthetic.resources(10) == synthetic.resources(40)[:10]
    assert synthetic.teachers(10) == synthetic.teachers(40)[:10]
    assert synthetic.resources(20, seed=1) != synthetic.resources(20, seed=2)
    assert synthetic.questions(20, seed=1) != synthetic.questions(20, seed=2)


def test_resources_use_the_controlled_vocabulary():
    records = synthetic.resources(500)
    urls = set()
    for record in records:
        fields = record.fields
        assert set(fields) <= set(RESOURCE_FIELDS)
        assert fields["title"] and fields["description"]
        assert fields["subjects"] and set(fields["subjects"]) <= set(SUBJECTS)
        assert fields["grades"] and set(fields["grades"]) <= set(GRADES)
        assert fields["kind"] in RESOURCE_KINDS
        assert record.group.split("/")[0] == fields["subjects"][0]
        urls.add(fields["url"])
        assert synthetic.resource_text(fields).startswith(fields["title"])
    assert len(urls) == len(records)  # the url column is unique
    assert len({r.fields["subjects"][0] for r in records}) == len(SUBJECTS)


def test_teachers_use_the_controlled_vocabulary():
    records = synthetic.teachers(500)
    users = set()
    for record in records:
        fields = record.fields
        assert set(fields) - {"platform", "platform_user_id"} <= set(PROFILE_FIELDS)
        assert fields["platform"] == synthetic.PLATFORM
        assert fields["subjects"] and set(fields["subjects"]) <= set(SUBJECTS)
        assert fields["grades"] and set(fields["grades"]) <= set(GRADES)
        assert fields["interests"] and fields["bio"] and fields["name"]
        users.add(fields["platform_user_id"])
        assert "Teaches" in synthetic.teacher_text(fields)
    assert len(users) == len(records)  # (platform, platform_user_id) is unique
    assert any(not r.fields["open_to_help"] for r in records)


def test_questions_are_varied():
    asked = synthetic.questions(200)
    assert all(q.strip() and len(q) < 2000 for q in asked)
    assert len(set(asked)) > 150
