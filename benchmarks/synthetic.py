"""Deterministic, seeded generators of realistic-ish teachers, resources and teacher questions.

Records are built from templates over subjects × topics × grades × kinds. Each record has its own RNG
seeded from ``(seed, kind, index)``, so record ``i`` is the same whatever ``n`` is: ``resources(10)`` is a
prefix of ``resources(100_000)``. Nothing here loads the model or touches a database.

Every record also carries a ``group`` ("subject/topic") so a benchmark can embed a few thousand real
texts and derive the vectors of the other records from an embedded record of the same group.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from bot.domain.resources import RESOURCE_KINDS, Resource
from bot.domain.teachers import Teacher
from bot.domain.vocabulary import GRADES, SUBJECT_LABELS, SUBJECTS, grade_label

PLATFORM = "console"

# subject -> (topic, tags, lowest grade, highest grade)
TOPICS: dict[str, tuple[tuple[str, tuple[str, ...], str, str], ...]] = {
    "math": (
        ("equivalent fractions", ("fractions", "fraction strips", "manipulatives"), "3", "5"),
        ("place value", ("place value", "base-ten blocks", "number sense"), "1", "4"),
        ("multiplication facts", ("multiplication", "times tables", "fluency"), "2", "5"),
        ("long division", ("long division", "division", "algorithms"), "4", "6"),
        ("decimals", ("decimals", "place value", "money"), "4", "6"),
        ("ratios and proportions", ("ratios", "proportional reasoning", "tables"), "6", "7"),
        ("solving linear equations", ("algebra", "equations", "balance models"), "7", "9"),
        ("slope and linear functions", ("slope", "graphing", "linear functions"), "8", "10"),
        ("geometry proofs", ("geometry", "proofs", "reasoning"), "9", "10"),
        ("area and perimeter", ("area", "perimeter", "measurement"), "3", "6"),
        ("math word problems", ("word problems", "problem solving", "bar models"), "1", "8"),
        ("counting and cardinality", ("counting", "number sense", "ten frames"), "K", "1"),
        ("statistics and data", ("statistics", "data", "graphs"), "6", "12"),
        ("integers on the number line", ("integers", "number line", "negative numbers"), "6", "7"),
    ),
    "ela": (
        ("phonics and decoding", ("phonics", "decoding", "word families"), "K", "2"),
        ("reading comprehension", ("comprehension", "reading strategies", "questioning"), "2", "8"),
        ("finding the main idea", ("main idea", "key details", "informational text"), "2", "5"),
        ("narrative writing", ("narrative", "writing workshop", "story structure"), "2", "8"),
        ("argumentative essays", ("essay", "claims and evidence", "argument"), "6", "12"),
        ("grammar and conventions", ("grammar", "punctuation", "editing"), "3", "9"),
        ("poetry", ("poetry", "figurative language", "read aloud"), "2", "12"),
        ("vocabulary building", ("vocabulary", "word study", "context clues"), "2", "10"),
        ("reading fluency", ("fluency", "repeated reading", "reader's theater"), "1", "4"),
        ("literature circles", ("book club", "discussion", "novel study"), "4", "10"),
        ("identifying theme", ("theme", "literature", "close reading"), "4", "10"),
        ("reading conferences", ("reading conferences", "guided reading", "conferring notes"), "K", "5"),
    ),
    "science": (
        ("photosynthesis", ("photosynthesis", "plants", "energy"), "5", "9"),
        ("the water cycle", ("water cycle", "weather", "evaporation"), "2", "6"),
        ("plant and animal cells", ("cells", "microscopes", "biology"), "5", "9"),
        ("forces and motion", ("forces", "motion", "physics"), "3", "9"),
        ("magnets", ("magnets", "forces", "experiment"), "2", "4"),
        ("ecosystems and food webs", ("ecosystem", "food webs", "habitats"), "3", "7"),
        ("chemical reactions", ("chemistry", "reactions", "lab safety"), "7", "11"),
        ("the periodic table", ("periodic table", "elements", "chemistry"), "8", "11"),
        ("the solar system", ("solar system", "planets", "space"), "1", "6"),
        ("the scientific method", ("scientific method", "experiment", "lab"), "3", "9"),
        ("genetics and heredity", ("genetics", "heredity", "punnett squares"), "8", "12"),
        ("weather and climate", ("weather", "climate", "data collection"), "K", "6"),
    ),
    "social studies": (
        ("analyzing primary sources", ("primary source", "document analysis", "history"), "4", "12"),
        ("the constitution", ("constitution", "government", "civics"), "5", "12"),
        ("the civil war", ("civil war", "history", "perspectives"), "5", "11"),
        ("map skills", ("maps", "geography", "compass rose"), "1", "6"),
        ("ancient civilizations", ("ancient", "civilizations", "history"), "5", "7"),
        ("economics and money", ("economics", "budgeting", "supply and demand"), "2", "12"),
        ("current events", ("current events", "media literacy", "discussion"), "4", "12"),
        ("community helpers", ("community", "local government", "citizenship"), "K", "2"),
        ("the american revolution", ("revolution", "history", "colonies"), "4", "8"),
    ),
    "art": (
        ("color theory", ("color theory", "painting", "color wheel"), "1", "8"),
        ("drawing portraits", ("drawing", "portraits", "sketch"), "4", "12"),
        ("clay and ceramics", ("ceramics", "clay", "sculpture"), "3", "12"),
        ("printmaking", ("printmaking", "art project", "texture"), "2", "10"),
        ("collage", ("collage", "mixed media", "art project"), "K", "5"),
    ),
    "music": (
        ("steady beat and rhythm", ("rhythm", "beat", "movement"), "K", "3"),
        ("singing in harmony", ("singing", "choir", "harmony"), "3", "12"),
        ("playing the recorder", ("recorder", "instrument", "note reading"), "3", "5"),
        ("composing music", ("composition", "music", "creativity"), "4", "12"),
        ("ukulele basics", ("ukulele", "instrument", "chords"), "3", "8"),
    ),
    "pe": (
        ("cooperative games", ("cooperative games", "teamwork", "recess games"), "K", "5"),
        ("fitness circuits", ("fitness", "circuits", "stations"), "3", "12"),
        ("jump rope skills", ("jump rope", "coordination", "fitness"), "1", "6"),
        ("sportsmanship", ("sportsmanship", "sports", "character"), "2", "9"),
    ),
    "health": (
        ("nutrition", ("nutrition", "healthy eating", "food labels"), "2", "9"),
        ("personal hygiene", ("hygiene", "wellness", "routines"), "K", "5"),
        ("mental health awareness", ("mental health", "wellness", "stress"), "6", "12"),
        ("puberty education", ("puberty", "health class", "growth"), "5", "8"),
    ),
    "sped": (
        ("writing IEP goals", ("iep", "goals", "progress monitoring"), "K", "12"),
        ("accommodations in general ed", ("accommodation", "modifications", "inclusion"), "K", "12"),
        ("visual schedules", ("visual schedules", "autism", "routines"), "K", "5"),
        ("behavior support plans", ("behavior", "adhd", "positive reinforcement"), "K", "8"),
        ("supporting students with dyslexia", ("dyslexia", "structured literacy", "decoding"), "1", "8"),
    ),
    "ell": (
        ("newcomer support", ("newcomer", "english learners", "welcome"), "K", "12"),
        ("academic vocabulary for English learners", ("academic vocabulary", "ell", "word walls"), "2", "10"),
        ("sentence frames", ("sentence frames", "oral language", "scaffolds"), "1", "8"),
        ("multilingual families", ("multilingual", "family engagement", "translation"), "K", "8"),
    ),
    "cs": (
        ("Scratch coding", ("scratch", "coding", "animation"), "2", "6"),
        ("Python basics", ("python", "programming", "variables"), "7", "12"),
        ("unplugged algorithms", ("algorithms", "unplugged", "computational thinking"), "K", "5"),
        ("classroom robotics", ("robotics", "engineering", "coding"), "3", "9"),
        ("debugging strategies", ("debugging", "programming", "persistence"), "4", "12"),
    ),
    "world languages": (
        ("Spanish vocabulary games", ("spanish", "vocabulary", "games"), "3", "10"),
        ("French conversation practice", ("french", "speaking", "conversation"), "6", "12"),
        ("verb conjugation", ("verbs", "conjugation", "grammar"), "6", "12"),
        ("culture projects", ("culture", "world language", "projects"), "3", "12"),
    ),
    "sel": (
        ("morning meeting", ("morning meeting", "community", "greetings"), "K", "5"),
        ("growth mindset", ("growth mindset", "perseverance", "goal setting"), "2", "9"),
        ("a calm down corner", ("calm down", "self-regulation", "feelings"), "K", "4"),
        ("restorative circles", ("restorative", "circles", "conflict"), "3", "12"),
        ("teaching empathy", ("empathy", "kindness", "perspective taking"), "K", "6"),
        ("test anxiety", ("anxiety", "coping strategies", "testing"), "3", "12"),
    ),
}

GENERAL_INTERESTS: tuple[str, ...] = (
    "classroom management",
    "small-group instruction",
    "station rotation",
    "project-based learning",
    "formative assessment",
    "differentiation",
    "family engagement",
    "co-teaching",
    "data-driven instruction",
    "student discourse",
    "universal design for learning",
    "new teacher mentoring",
)

ANGLES: tuple[str, ...] = (
    "Partner Practice",
    "Exit Tickets",
    "Small-Group Stations",
    "Real-World Connections",
    "Scaffolded Notes",
    "Quick Warm-Ups",
    "Differentiated Tasks",
    "Anchor Charts",
    "Discussion Protocols",
    "Review Challenge",
    "Step-by-Step Guide",
    "Choice Board",
)

_TITLES: dict[str, tuple[str, ...]] = {
    "lesson": ("{Topic} Lesson: {angle}", "Teaching {Topic}: A Complete Lesson"),
    "activity": ("Hands-On {Topic}: {angle}", "{Topic} Activity with {angle}"),
    "game": ("{Topic} Game Day", "{Topic} Bingo and Other Games"),
    "video": ("{Topic} Explained in {minutes} Minutes", "Video: {Topic} for Students"),
    "article": ("Why {Topic} Is Hard (and What Helps)", "Research Brief: Teaching {Topic}"),
    "template": ("{Topic} Graphic Organizer", "{Topic} Planning Template"),
    "assessment": ("{Topic} Quick Check", "{Topic} Unit Assessment and Rubric"),
    "tool": ("Interactive {Topic} Tool", "{Topic} Simulator"),
    "book": ("Picture Books for {Topic}", "A Teacher's Guide to {Topic}"),
    "routine": ("Daily {Topic} Routine", "Five-Minute {Topic} Routine"),
    "link": ("{Topic} Resource Collection", "Best Links for {Topic}"),
}

_INTROS: dict[str, str] = {
    "lesson": "A ready-to-teach lesson",
    "activity": "A hands-on activity",
    "game": "A low-prep game",
    "video": "A short video",
    "article": "A practical article",
    "template": "A printable template",
    "assessment": "A quick assessment",
    "tool": "A free online tool",
    "book": "A book list",
    "routine": "A repeatable routine",
    "link": "A curated collection",
}

ACTIONS: tuple[str, ...] = (
    "work with a partner to explain their thinking",
    "sort example cards and justify each choice",
    "rotate through three stations",
    "build models with classroom materials",
    "record observations in a notebook",
    "play in small teams and keep score",
    "solve a real-world problem together",
    "do a quick-write to reflect",
    "annotate examples and compare strategies",
    "create a poster to teach the class",
)

EXTRAS: tuple[str, ...] = (
    "Includes a printable recording sheet.",
    "Comes with differentiated versions for support and extension.",
    "Works well as a review before a unit test.",
    "Takes about 20 minutes with almost no prep.",
    "Includes sentence frames for English learners.",
    "Has an answer key and a short rubric.",
    "Easy to adapt for remote or hybrid classes.",
    "Teachers report students ask to do it again.",
)

FIRST_NAMES: tuple[str, ...] = (
    "Maria", "Derek", "Aisha", "Tom", "Priya", "Jamal", "Lena", "Carlos", "Grace", "Omar", "Hannah", "Wei",
    "Sofia", "Marcus", "Nadia", "Ben", "Keisha", "Luis", "Emma", "Raj", "Chloe", "Andre", "Fatima", "Sam",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Lopez", "Thompson", "Bello", "Nguyen", "Patel", "Johnson", "Kim", "Garcia", "Okafor", "Schmidt",
    "Rossi", "Chen", "Haddad", "Brown", "Silva", "Murphy", "Cohen", "Ivanova", "Reyes", "Walker",
)  # fmt: skip
SCHOOL_NAMES: tuple[str, ...] = (
    "Maple", "Riverside", "Lincoln", "Oak Grove", "Cedar Hill", "Westview", "Lakeside", "Franklin",
    "Sunnydale", "Hillcrest", "Eastwood", "Pine Ridge",
)  # fmt: skip
TIMEZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
)

_SUBJECT_WEIGHTS: dict[str, int] = {
    "math": 6,
    "ela": 6,
    "science": 5,
    "social studies": 4,
    "sped": 3,
    "ell": 2,
    "sel": 3,
    "cs": 2,
    "art": 1,
    "music": 1,
    "pe": 1,
    "health": 1,
    "world languages": 1,
}


@dataclass(frozen=True)
class Record:
    """One synthetic row: ``fields`` as the repositories take them, ``group`` = "subject/topic"."""

    fields: dict[str, Any]
    group: str


def resources(n: int, seed: int = 0) -> list[Record]:
    """``n`` resource records; ``fields`` keys are ``ResourceRepository`` fields."""
    return [_resource(i, seed) for i in range(n)]


def teachers(n: int, seed: int = 0) -> list[Record]:
    """``n`` teacher records on the console platform; ``fields`` also holds platform and platform_user_id."""
    return [_teacher(i, seed) for i in range(n)]


def questions(n: int, seed: int = 0) -> list[str]:
    """``n`` varied teacher questions, like those asked with /ask."""
    return [_question(i, seed) for i in range(n)]


def resource_text(fields: dict[str, Any]) -> str:
    """The text the indexer embeds for this resource."""
    return _as_resource(fields).embedding_text()


def teacher_text(fields: dict[str, Any]) -> str:
    """The text the indexer embeds for this teacher."""
    return _as_teacher(fields).profile_text()


def _as_resource(fields: dict[str, Any]) -> Resource:
    return Resource(
        id=0,
        title=fields["title"],
        url=fields.get("url"),
        description=fields.get("description", ""),
        subjects=tuple(fields.get("subjects", ())),
        grades=tuple(fields.get("grades", ())),
        tags=tuple(fields.get("tags", ())),
        kind=fields.get("kind", "link"),
    )


def _as_teacher(fields: dict[str, Any]) -> Teacher:
    return Teacher(
        id=0,
        platform=fields["platform"],
        platform_user_id=fields["platform_user_id"],
        name=fields["name"],
        subjects=tuple(fields.get("subjects", ())),
        grades=tuple(fields.get("grades", ())),
        interests=tuple(fields.get("interests", ())),
        bio=fields.get("bio", ""),
    )


def _rng(seed: int, kind: str, i: int) -> random.Random:
    return random.Random(f"kindred-bench:{seed}:{kind}:{i}")


def _pick_subject(rng: random.Random) -> str:
    return rng.choices(SUBJECTS, weights=[_SUBJECT_WEIGHTS.get(s, 1) for s in SUBJECTS])[0]


def _grade_band(rng: random.Random, lo: str, hi: str, max_width: int = 3) -> tuple[str, ...]:
    a, b = GRADES.index(lo), GRADES.index(hi)
    width = rng.randint(1, min(max_width, b - a + 1))
    start = rng.randint(a, b - width + 1)
    return GRADES[start : start + width]


def _title_case(text: str) -> str:
    return " ".join(w if w.isupper() or w[0].isupper() else w.capitalize() for w in text.split())


def _resource(i: int, seed: int) -> Record:
    rng = _rng(seed, "resource", i)
    subject = _pick_subject(rng)
    topic, tags, lo, hi = rng.choice(TOPICS[subject])
    grades = _grade_band(rng, lo, hi)
    kind = rng.choice(RESOURCE_KINDS)
    angle = rng.choice(ANGLES)
    minutes = rng.randint(3, 12)
    title = rng.choice(_TITLES[kind]).format(Topic=_title_case(topic), angle=angle, minutes=minutes)
    subjects = [subject]
    if rng.random() < 0.15:
        subjects.append(rng.choice([s for s in ("ell", "sped", "sel") if s != subject]))
    first, second = rng.sample(ACTIONS, 2)
    description = (
        f"{_INTROS[kind]} on {topic} for {grade_label(grades)} {SUBJECT_LABELS[subject]}. "
        f"Students {first}, then {second}. {rng.choice(EXTRAS)}"
    )
    extra_tag = rng.choice(GENERAL_INTERESTS) if rng.random() < 0.4 else None
    fields: dict[str, Any] = {
        "title": title,
        "url": f"https://example.org/bench/{seed}/{i}-{topic.lower().replace(' ', '-')}",
        "description": description,
        "subjects": subjects,
        "grades": list(grades),
        "tags": [*tags, extra_tag] if extra_tag else list(tags),
        "kind": kind,
    }
    return Record(fields, f"{subject}/{topic}")


def _teacher(i: int, seed: int) -> Record:
    rng = _rng(seed, "teacher", i)
    subject = _pick_subject(rng)
    subjects = [subject]
    if rng.random() < 0.3:
        subjects.append(_pick_subject(rng))
    subjects = list(dict.fromkeys(subjects))
    topics = rng.sample(TOPICS[subject], min(2, len(TOPICS[subject])))
    topic, _, lo, hi = topics[0]
    grades = _grade_band(rng, lo, hi, max_width=2 if rng.random() < 0.7 else 4)
    interests = [t[0] for t in topics] + rng.sample(GENERAL_INTERESTS, rng.randint(1, 2))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    lowest = GRADES.index(grades[0])
    level = "Elementary" if lowest <= 5 else "Middle" if lowest <= 8 else "High"
    years = rng.randint(1, 30)
    subject_words = " and ".join(SUBJECT_LABELS[s] for s in subjects)
    bio = rng.choice(
        (
            f"I teach {grade_label(grades)} {subject_words} and love working on {topic}. "
            f"Happy to share what has worked in my classroom.",
            f"{years} years teaching {subject_words}. Lately I've been focused on {interests[-1]} "
            f"and {topic}; always glad to swap ideas.",
            f"{grade_label(grades).capitalize()} {subject_words} teacher. Ask me about {topic} "
            f"or {interests[1]}.",
        )
    )
    fields: dict[str, Any] = {
        "platform": PLATFORM,
        "platform_user_id": f"{first.lower()}.{last.lower()}.{seed}.{i}",
        "name": f"{first} {last}",
        "subjects": subjects,
        "grades": list(grades),
        "interests": interests,
        "bio": bio,
        "timezone": rng.choice(TIMEZONES),
        "open_to_help": rng.random() < 0.9,
        "years_experience": years,
        "school": f"{rng.choice(SCHOOL_NAMES)} {level} School",
        "onboarded": rng.random() < 0.97,
    }
    return Record(fields, f"{subject}/{topic}")


_QUESTION_TEMPLATES: tuple[str, ...] = (
    "How do I teach {topic} to my {grade} students?",
    "Any hands-on ideas for {topic} in {grade} {subject}?",
    "Looking for {a_kind} on {topic} for {grade} — anything that worked for you?",
    "My {grade} kids are really struggling with {topic}. What helped yours?",
    "Does anyone have a good {kind} for {topic}?",
    "Need ideas to make {topic} less boring for {band}.",
    "What's the best way to differentiate {topic} for {grade} {subject}?",
    "Has anyone found a quick warm-up for {topic}? I teach {grade}.",
    "I need {a_kind} to review {topic} before the unit test, grades {lo}-{hi}.",
    "How do you support English learners during {topic} lessons?",
    "Ideas for {topic} with students who have IEPs?",
    "Can someone share how they run {topic} in small groups?",
)
_GENERAL_QUESTIONS: tuple[str, ...] = (
    "How do you keep transitions between stations smooth?",
    "What's your go-to classroom management routine after lunch?",
    "Any tips for my first parent-teacher conferences?",
    "How do you grade faster without losing good feedback?",
    "How do I get quiet students to join discussions?",
    "What do you do with early finishers?",
    "Any advice for co-teaching with a new partner?",
    "How do you start the year building community?",
)
_BANDS: tuple[tuple[str, str, str], ...] = (
    ("K", "2", "lower elementary"),
    ("3", "5", "upper elementary"),
    ("6", "8", "middle schoolers"),
    ("9", "12", "high schoolers"),
)


def _question(i: int, seed: int) -> str:
    rng = _rng(seed, "question", i)
    if rng.random() < 0.1:
        return rng.choice(_GENERAL_QUESTIONS)
    subject = _pick_subject(rng)
    topic, _, lo, hi = rng.choice(TOPICS[subject])
    grade = rng.choice(GRADES[GRADES.index(lo) : GRADES.index(hi) + 1])
    band = next(label for a, b, label in _BANDS if GRADES.index(a) <= GRADES.index(grade) <= GRADES.index(b))
    kind = rng.choice(("lesson", "activity", "game", "video", "template", "routine"))
    return rng.choice(_QUESTION_TEMPLATES).format(
        topic=topic,
        grade="kindergarten" if grade == "K" else grade_label([grade]),
        subject=SUBJECT_LABELS[subject],
        kind=kind,
        a_kind=("an " if kind[0] in "aeiou" else "a ") + kind,
        band=band,
        lo=lo,
        hi=hi,
    )
