"""``get_many`` of resources and teachers: the fast read (ids as one parameter, objects made once per row)
returns exactly what the ORM holds, and follows edits and deletes made through another session."""

from __future__ import annotations

from sqlalchemy import delete

from bot.storage.database import Database
from bot.storage.models import ResourceRow
from bot.storage.repositories import ResourceRepository, TeacherRepository
from bot.storage.repositories.resources import to_resource


def _share(db: Database, title: str, **fields: object) -> int:
    with db.session() as session:
        resource, _ = ResourceRepository(session).upsert({"title": title, **fields})
        return resource.id


def test_resources_read_fast_equal_the_orm_and_follow_edits_and_deletes(db: Database) -> None:
    first = _share(db, "Fraction strips", url="https://x.test/f", subjects=("math",), grades=["3", "4"])
    second = _share(db, "Phonics games", tags=("phonics", "decoding"), description="Short vowel games")
    bare = _share(db, "No lists at all")
    with db.session() as session:
        fast = ResourceRepository(session).get_many([second, first, bare, 9999])
        orm = {r.id: to_resource(r) for r in session.query(ResourceRow).all()}
    assert fast == {i: orm[i] for i in (first, second, bare)}
    assert fast[first].grades == ("3", "4") and fast[bare].tags == ()

    _share(db, "Fraction strips", url="https://x.test/f", subjects=("math", "science"), grades=["5"])
    with db.session() as session:
        session.execute(delete(ResourceRow).where(ResourceRow.id == second))
    with db.session() as session:
        again = ResourceRepository(session).get_many([first, second])
    assert list(again) == [first]
    assert again[first].subjects == ("math", "science") and again[first].grades == ("5",)


def test_resources_read_back_what_this_session_has_not_committed(db: Database) -> None:
    with db.session() as session:
        repo = ResourceRepository(session)
        resource, _ = repo.upsert({"title": "Exit tickets", "tags": ["assessment"]})
        assert repo.get_many([resource.id])[resource.id].tags == ("assessment",)
        repo.upsert({"title": "Exit tickets", "tags": ["assessment", "formative"]})
        assert repo.get_many([resource.id])[resource.id].tags == ("assessment", "formative")


def test_teachers_read_fast_equal_the_orm(db: Database) -> None:
    with db.session() as session:
        repo = TeacherRepository(session)
        ana, _ = repo.upsert("slack", "U1", {"name": "Ana", "subjects": ("math",), "grades": ("K", "1")})
        ben, _ = repo.upsert("slack", "U2", {"name": "Ben", "open_to_help": False, "interests": []})
    with db.session() as session:
        fast = TeacherRepository(session).get_many([ben.id, ana.id])
        orm = {t.id: t for t in TeacherRepository(session).all()}
    assert fast == orm
    with db.session() as session:
        TeacherRepository(session).upsert("slack", "U2", {"open_to_help": True, "bio": "Ask me"})
    with db.session() as session:
        assert TeacherRepository(session).get_many([ben.id])[ben.id].open_to_help is True
