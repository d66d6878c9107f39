import json

from typer.testing import CliRunner

from bot.cli import app as cli
from bot.importing.importer import import_resources, import_teachers
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.repositories import ResourceRepository, TeacherRepository


def make_db(database_url) -> Database:
    db = Database.from_url(database_url)
    upgrade(db.engine)
    return db


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_bad_rows_are_named_and_good_rows_kept(tmp_path, database_url):
    db = make_db(database_url)
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {
                "title": "Fraction Strips",
                "url": "https://example.org/fs",
                "grades": ["4"],
                "subjects": ["math"],
            },
            "{not json",
            {"title": "", "url": "https://example.org/x"},
            {"title": "Bad grade", "grades": ["14"]},
            {"title": "Bad link", "url": "ftp://example.org/x"},
            {
                "title": "Lab Safety Contract",
                "subjects": "science;health",
                "grades": "6;7;8",
                "kind": "template",
            },
        ],
    )
    report = import_resources(db, path)
    # Only unusable rows are rejected; a bad grade or link is kept in another form, with a warning.
    assert (report.created, report.updated) == (4, 0)
    assert [line for line, _ in report.errors] == [2, 3]
    assert report.warnings == {
        "grade '14' is not understood — kept as a tag": [4],
        "url: 'ftp://example.org/x' is not an http(s) link — kept without a link": [5],
    }
    with db.session() as session:
        lab = next(r for r in ResourceRepository(session).all() if r.title == "Lab Safety Contract")
    assert lab.subjects == ("science", "health") and lab.grades == ("6", "7", "8")


def test_reimport_updates_instead_of_duplicating(tmp_path, database_url):
    db = make_db(database_url)
    path = write_jsonl(
        tmp_path / "r.jsonl", [{"title": "A", "url": "https://example.org/a", "description": "v1"}]
    )
    import_resources(db, path)
    write_jsonl(path, [{"title": "A", "url": "https://example.org/a", "description": "v2"}])
    report = import_resources(db, path)
    assert (report.created, report.updated) == (0, 1)
    with db.session() as session:
        resources = ResourceRepository(session).all()
    assert [r.description for r in resources] == ["v2"]


def test_teachers_from_csv_with_semicolon_lists(tmp_path, database_url):
    db = make_db(database_url)
    path = tmp_path / "t.csv"
    path.write_text(
        "platform,platform_user_id,name,subjects,grades,interests,open_to_help,timezone\n"
        "slack,U1,Ana Ruiz,math;science,4;5,fractions;manipulatives,yes,America/Chicago\n"
        "slack,U2,Bo Chen,math,4,,maybe,America/Chicago\n"
        "slack,,No Id,math,4,,yes,America/Chicago\n"
    )
    report = import_teachers(db, path)
    assert report.created == 2
    assert [line for line, _ in report.errors] == [4]
    assert report.warnings == {"open_to_help: 'maybe' is not yes/no — used yes": [3]}
    with db.session() as session:
        ana = TeacherRepository(session).find("slack", "U1")
    assert ana.subjects == ("math", "science") and ana.interests == ("fractions", "manipulatives")


def test_cli_with_a_wrong_model_path_names_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_MODEL", str(tmp_path / "no-model-here"))
    path = write_jsonl(tmp_path / "r.jsonl", [{"title": "Ok"}, "{oops"])
    result = CliRunner().invoke(cli, ["resources", "import", str(path)])
    # The model path is wrong: the command must say which setting to fix, before importing anything.
    assert result.exit_code == 2
    assert "KINDRED_MODEL" in result.output


def test_teacher_roles_are_read_normalised_and_kept_by_a_sheet_without_them(tmp_path, database_url):
    db = make_db(database_url)
    path = tmp_path / "t.csv"
    path.write_text(
        "platform,platform_user_id,name,subjects,grades,Role\n"
        "slack,U1,Ana Ruiz,ela,K;1;2,Librarian; ESL\n"
        "slack,U2,Bo Chen,math,4,\n"
    )
    import_teachers(db, path)
    with db.session() as session:
        repo = TeacherRepository(session)
        assert repo.find("slack", "U1").roles == ("library media", "ell")
        assert repo.find("slack", "U2").roles == ()
    path.write_text("platform,platform_user_id,name,subjects,grades\nslack,U1,Ana Ruiz,ela,K;1;2\n")
    import_teachers(db, path)
    with db.session() as session:
        assert TeacherRepository(session).find("slack", "U1").roles == ("library media", "ell")


def test_the_sample_community_loads_its_stated_roles(app):
    with app.db.session() as session:
        repo = TeacherRepository(session)
        assert repo.find("console", "nina.castillo").roles == ("counsellor",)
        assert repo.find("console", "rachel.goldberg").roles == ("instructional coach",)
        assert repo.find("console", "maria.lopez").roles == ()
