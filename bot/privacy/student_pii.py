"""Student-privacy guardrail: find likely student personal information in a question and redact it.

A question may go public (*Post my question to #help*) or be quoted to colleagues in a nudge, so before
that happens Kindred looks for details that could identify a student (FERPA spirit: share the teaching
problem, not the child).

Policy — flagged:
  * ``student_name``: a full name (first + last) in school context — after "my student", "a kid named",
    "my 5th grader"…, or in a message about class, grades, behaviour, parents, scores and the like.
  * ``sensitive_detail``: any name, even a first name alone, tied to IEP/504, medical or mental-health,
    discipline, legal, custody, foster-care, housing or immigration details ("Diego has a 504 for ADHD").
  * ``student_id``: student, state, district or lunch ID numbers and social security numbers.
  * ``email`` and ``phone``: anyone's — the help channel is public, and we cannot tell whose they are.
Policy — not flagged:
  * staff with a title or role (Mr. Lopez, Dr. Patel, "my co-teacher Sarah Chen", "our coach Angela
    Brooks"), a teacher introducing or thanking someone ("I'm Karen Wu", "Thanks Maria Lopez");
  * authors, book characters, historical and public figures (a list plus book/lesson context);
  * a first name alone without a sensitive detail ("Jayden keeps asking great questions");
  * sensitive topics without a name ("a student with a 504 for anxiety");
  * numbers that are not identifiers: grades, rooms, pages, standards, years, times, meeting ids, links.

Redaction keeps the teaching question intact and replaces only the identifiers: names -> ``[name]``
(every occurrence), ID numbers -> ``[ID]``, emails -> ``[email]``, phones -> ``[phone]``.
Nothing here logs or stores the text it looks at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.privacy.name_lexicon import AMBIGUOUS_FIRST_NAMES, FIRST_NAMES, KNOWN_PEOPLE, NOT_SURNAMES

STUDENT_NAME = "student_name"
SENSITIVE_DETAIL = "sensitive_detail"
STUDENT_ID = "student_id"
EMAIL = "email"
PHONE = "phone"

REPLACEMENTS = {
    STUDENT_NAME: "[name]",
    SENSITIVE_DETAIL: "[name]",
    STUDENT_ID: "[ID]",
    EMAIL: "[email]",
    PHONE: "[phone]",
}
DESCRIPTIONS = {
    STUDENT_NAME: "a student's name",
    SENSITIVE_DETAIL: "a name next to a sensitive detail (IEP/504, health, discipline, family)",
    STUDENT_ID: "an ID number",
    EMAIL: "an email address",
    PHONE: "a phone number",
}


@dataclass(frozen=True)
class Finding:
    """One piece of likely student PII: its kind and where it is (``text[start:end]``)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class PrivacyCheck:
    """What was found in one text, and the text with those details replaced."""

    findings: tuple[Finding, ...]
    redacted: str

    @property
    def found(self) -> bool:
        return bool(self.findings)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.kind for f in self.findings))

    def describe(self) -> str:
        """ "a student's name and an ID number" — for the reply, never the details themselves."""
        parts = [DESCRIPTIONS[k] for k in self.kinds]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- contact details and identifiers -------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w.])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
    r"|(?<![\w.])\+?1[\s.-]?\d{3}[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])"
)
_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_ID_VALUE = r"[A-Za-z]{0,3}-?\d{4,12}\b"
_ID_KEYWORD = re.compile(
    r"\b(?:student|pupil|state|district|school|lunch|cafeteria|enrollment|enrolment)\s*"
    r"(?:id|i\.d\.|number|no\.?|num|pin|code|#)(?:[\s,]+(?!\d)[A-Za-z'’]{1,12}){0,4}(?:\s*(?:is|was|=|:|#|,))*"
    r"\s*(?P<keyed>" + _ID_VALUE + ")"
    r"|\b(?:ssid|sasid|lasid|osis|ssn|id\s*#|id\s*number|id\s*no\.?)(?:\s*(?:is|was|=|:|#))*\s*"
    r"(?P<coded>" + _ID_VALUE + ")"
    r"|\bstudent\s+#?(?P<bare>\d{5,12})\b",
    re.IGNORECASE,
)
_NOT_STUDENT_ID = re.compile(r"\b(?:meeting|zoom|class|course|employee|item|order|room)\s*$", re.IGNORECASE)

# --- names -------------------------------------------------------------------------------------------

_CAP_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:-[A-Z][a-z]+)?"
_FULL_NAME = re.compile(rf"\b({_CAP_WORD})((?:\s+(?:{_CAP_WORD}|[A-Z]\.))+)(?:['’]s)?\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

_STRONG_BEFORE = re.compile(
    r"(?:\b(?:student|students|pupil|kid|kids|kiddo|kiddos|child|learner|mentee|advisee|grader|graders|"
    r"kindergartner|kindergartener|freshman|sophomore)\b(?:\s+(?:named|called))?|\bnamed|\bcalled)"
    r"\s*,?\s*$",
    re.IGNORECASE,
)
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:mr|mrs|ms|mx|miss|dr|prof|sr|sra|mme|coach|principal|professor|superintendent|teacher|"
    r"co-?teacher|colleague|para|paraprofessional|aide|librarian|counselor|counsellor|nurse|admin|"
    r"author|by|thanks|thank\s+you|i'?m|i\s+am|name\s+is|this\s+is|shout\s*out\s+to)\.?)\s*,?\s*$",
    re.IGNORECASE,
)
_STAFF_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:(?:is|was)\s+)?(?:our|my|the)\s+(?:\w+\s+)?(?:principal|coach|teacher|librarian|"
    r"counselor|para|admin|superintendent|director|specialist)\b"
    r"|^\s*from\s+the\s+(?:\w+\s+){0,2}(?:department|district|office|university|library|team)\b"
    r"|^\s*and\s+i\s+(?:teach|co-?teach|work|plan|co-?plan)\b",
    re.IGNORECASE,
)
_SENSITIVE = re.compile(
    r"\b(?:iep|ieps|504s?|fba|bip|sped|special\s+ed(?:ucation)?|adhd|add|autism|autistic|asperger'?s?|"
    r"dyslexi[ac]|dyscalculia|diagnos\w*|disorder|anxiety|depress\w*|suicid\w*|self[- ]harm\w*|ptsd|"
    r"trauma\w*|ocd|bipolar|mutism|diabet\w*|epilep\w*|seizures?|allerg\w*|asthma|medication|meds|adderall|"
    r"ritalin|therap\w*|pregnan\w*|suspended|suspension|expelled|expulsion|detention|office\s+referral|"
    r"write-?up|arrest\w*|prison|jail|incarcerat\w*|probation|police|vap(?:e|ing)|drugs?|fight\w*|"
    r"cheat\w*|custody|restraining|cps|dcfs|foster|abuse\w*|neglect\w*|homeless\w*|no\s+food|"
    r"food\s+insecur\w*|evict\w*|divorc\w*|undocumented|deport\w*|immigration|tourette'?s?|tics|concussion|cancer|"
    r"leukemia|chemo\w*|surgery|hospital\w*|disabilit\w*|cerebral\s+palsy|down\s+syndrome|deaf|blind|"
    r"wheelchair|insulin|inhaler|epi-?pen|celiac|anorexi\w*|bulimi\w*|bull(?:y|ied|ies|ying)|grief|"
    r"grieving|passed\s+away|died|counseling|mental\s+health|suspend\w*|iss|oss|written\s+up|"
    r"sent\s+to\s+the\s+(?:office|principal)|kicked\s+out|shelters?|motel|couch[- ]surf\w*|doubled[- ]up|"
    r"(?:living|lives|sleeps?|sleeping)\s+in\s+(?:a|the|his|her|their)\s+(?:car|van|truck)|group\s+home|"
    r"mckinney[- ]vento|parents?\s+(?:are\s+|got\s+)?(?:separat\w*|split\s+up)|deployed|in\s+jail|"
    r"lives\s+with\s+(?:his|her|their)\s+(?:grand\w+|aunt|uncle|cousins?))\b",
    re.IGNORECASE,
)
_SCHOOL_CONTEXT = re.compile(
    r"\b(?:class|classes|period|homeroom|grader|graders|homework|assignments?|quiz|quizzes|test|tests|exam|"
    r"retake|behaviou?r|referral|recess|lesson|parents?|mom|dad|mother|father|grandma|grandpa|guardian|"
    r"grandmother|grandfather|grandparents?|aunt|uncle|step(?:mom|dad|mother|father)|caregiver|siblings?|"
    r"sub|substitute|send\s+home|sent\s+home|at\s+home|threw|throws|hit|hits|kicked|punched|bit|bites|"
    r"yelled|cursed|swore|tantrum|meltdown|melts\s+down|outbursts?|"
    r"seat|notebook|progress\s+report|absent|absences|missed|failing|scores?|grade\s+level|intervention\w*|"
    r"calling\s+out|talking|refuses|won'?t|keeps|recommendation|records|enroll\w*|transferred|ell|newcomer|"
    r"reading\s+(?:level|group)|in\s+my\s+room|in\s+class|document|log|student\s+id)\b",
    re.IGNORECASE,
)
_STUDENT_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:,\s*)?(?:\([^)]{0,40}\b(?:grade|gr\.?|grader)\b[^)]{0,40}\)|(?:in|from)\s+my\s+\w+|"
    r"(?:a|an)\s+\w+\s+grader|who\s+(?:is|has|won'?t|keeps|refuses))",
    re.IGNORECASE,
)
_BOOK_CONTEXT = re.compile(
    r"\b(?:book|books|novel|chapter|character|characters|read[- ]?alouds?|author|biograph\w*|story|"
    r"stories|series|poem|poet|musical|movie|film|primary\s+sources?|history|historical|speech|diary|"
    r"debate|quote|inventions?|president|scientist|lesson\s+(?:on|about)|unit\s+(?:on|about)|"
    r"research\s+project|art|artist|painting|painter|sculpture|poet|poetry|museum)\b",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"“(]\s*)$")
_LOWER_CUE_NAME = re.compile(
    r"\b(?:my|a|our|the)\s+(?:student|kid|kiddo|pupil)(?:\s+(?:named|called))?\s*,?\s+"
    r"(?P<first>[a-z][a-z'-]+)(?:\s+(?P<last>[a-z][a-z'-]+))?",
)
_MONTHS = frozenset({"april", "may", "june", "august"})
_PREDICATE_AFTER = re.compile(
    r"\s+(?:got|gets|has|had|is|was|keeps|kept|told|said|asked|can'?t|won'?t|needs|takes|took|hit|threw|"
    r"started|missed|came|comes|went|left|cried|refuses|refused)\b",
    re.IGNORECASE,
)
_NOT_LOWER_SURNAME = frozenset(
    {
        "is",
        "has",
        "had",
        "keeps",
        "kept",
        "won't",
        "wont",
        "can't",
        "cant",
        "doesn't",
        "didn't",
        "does",
        "did",
        "will",
        "would",
        "was",
        "were",
        "and",
        "or",
        "who",
        "that",
        "which",
        "said",
        "says",
        "asked",
        "asks",
        "needs",
        "need",
        "got",
        "gets",
        "just",
        "always",
        "never",
        "still",
        "also",
        "finally",
        "really",
        "isn't",
        "wasn't",
        "refuses",
        "refused",
        "loves",
        "likes",
        "hates",
        "wants",
        "wanted",
        "seems",
        "seemed",
        "came",
        "comes",
        "went",
        "goes",
    }
)


def check(text: str) -> PrivacyCheck:
    """Find likely student PII in ``text`` and return the findings with a redacted copy."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        findings.append(Finding(kind, start, end))

    for match in _EMAIL.finditer(text):
        add(EMAIL, match.start(), match.end())
    for match in _SSN.finditer(text):
        add(STUDENT_ID, match.start(), match.end())
    for match in _ID_KEYWORD.finditer(text):
        if _NOT_STUDENT_ID.search(text[: match.start()]):
            continue
        group = next(name for name, value in match.groupdict().items() if value)
        add(STUDENT_ID, *match.span(group))
    for match in _PHONE.finditer(text):
        add(PHONE, match.start(), match.end())
    for kind, start, end in _names(text, taken):
        add(kind, start, end)
    findings.sort(key=lambda f: f.start)
    return PrivacyCheck(tuple(findings), _redact(text, findings))


def redact(text: str) -> str:
    """``text`` with likely student PII replaced (unchanged when nothing is found)."""
    return check(text).redacted


def _names(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Full names in school context, and any name tied to a sensitive detail."""
    out: list[tuple[str, int, int]] = []
    sensitive = bool(_SENSITIVE.search(text))
    school = bool(_SCHOOL_CONTEXT.search(text))
    book = bool(_BOOK_CONTEXT.search(text))
    covered: list[tuple[int, int]] = []
    for match in _FULL_NAME.finditer(text):
        span = _full_name_span(text, match)
        if span is None:
            continue
        start, end = span
        covered.append((start, end))
        before, after = text[:start], text[end:]
        if _TITLE_BEFORE.search(before) or _STAFF_AFTER.search(after) or _is_known(text[start:end]):
            continue
        strong = bool(_STRONG_BEFORE.search(before)) or bool(_STUDENT_AFTER.search(after))
        if strong or ((sensitive or school) and not book):
            out.append((STUDENT_NAME, start, end))
    out += _lowercase_names(text, covered)
    if sensitive:
        for match in _WORD.finditer(text):
            start, end = match.span()
            if any(s <= start < e for s, e in covered + taken):
                continue
            if _is_first_name_here(text, match) and not _TITLE_BEFORE.search(text[:start]):
                out.append((SENSITIVE_DETAIL, start, start + len(_strip_possessive(match.group()))))
    return out


def _full_name_span(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The span of a plausible full name (known first name + one or two surname words), or None."""
    first = match.group(1)
    if first.lower() not in FIRST_NAMES:
        return None
    names = [first]
    for word in match.group(2).split()[:2]:
        bare = _strip_possessive(word)
        if bare.lower() in NOT_SURNAMES:
            break
        names.append(bare)
        if bare != word:
            break
    if len(names) < 2:
        return None
    start = cursor = match.start(1)
    for name in names:
        cursor = text.index(name, cursor) + len(name)
    return start, cursor


def _lowercase_names(text: str, covered: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """ "my student jayden smith": chat is often typed in lower case."""
    out = []
    for match in _LOWER_CUE_NAME.finditer(text):
        first, last = match.group("first"), match.group("last")
        if first not in FIRST_NAMES or first in AMBIGUOUS_FIRST_NAMES:
            continue
        start = match.start("first")
        if any(s <= start < e for s, e in covered):
            continue
        if last and last not in _NOT_LOWER_SURNAME and last not in NOT_SURNAMES:
            out.append((STUDENT_NAME, start, match.end("last")))
    return out


def _is_first_name_here(text: str, match: re.Match[str]) -> bool:
    word = match.group()
    bare = _strip_possessive(word)
    if bare.islower():
        return _is_lowercase_name_here(text, match, bare)
    if not bare[:1].isupper() or bare.lower() not in FIRST_NAMES:
        return False
    if bare.lower() in AMBIGUOUS_FIRST_NAMES:
        if bare != word or not _SENTENCE_START.search(text[: match.start()]):
            return True
        return bare.lower() not in _MONTHS and bool(_PREDICATE_AFTER.match(text[match.end() :]))
    return True


def _is_lowercase_name_here(text: str, match: re.Match[str], bare: str) -> bool:
    """ "jayden has adhd": chat is typed in lower case. A lowercase first name counts only when it acts as
    a name (a verb or "who" follows, "help/for…" precedes) and a sensitive detail is a few words away."""
    if bare not in FIRST_NAMES or bare in AMBIGUOUS_FIRST_NAMES or bare in _LOWER_WORDS:
        return False
    after, before = text[match.end() :], text[: match.start()]
    acts = bool(_PREDICATE_AFTER.match(after) or _WHO_AFTER.match(after) or _CUE_BEFORE.search(before))
    window = text[max(0, match.start() - 60) : match.end() + 80]
    return acts and bool(_SENSITIVE.search(window))


_LOWER_WORDS = frozenset({"chase", "hunter", "mason", "dean", "angel", "amber", "cole", "will", "grant"})
_WHO_AFTER = re.compile(r"^(?:['’]s)?\s*,?\s*(?:who|whose)\b", re.IGNORECASE)
_CUE_BEFORE = re.compile(
    r"\b(?:help|support|supporting|helping|with|for|about|kid|student|pupil|child|grader)\s*,?\s*$",
    re.IGNORECASE,
)


def _is_known(name: str) -> bool:
    words = [w.strip(".").lower() for w in re.split(r"[\s-]+", _strip_possessive(name)) if w.strip(".")]
    joined = " ".join(words)
    return (
        any(
            " ".join(words[i:j]) in KNOWN_PEOPLE
            for i in range(len(words))
            for j in range(i + 2, len(words) + 1)
        )
        or joined in KNOWN_PEOPLE
    )


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _redact(text: str, findings: list[Finding]) -> str:
    """Replace each finding, and every other occurrence of a flagged name's words."""
    if not findings:
        return text
    names: set[str] = set()
    for f in findings:
        if f.kind in (STUDENT_NAME, SENSITIVE_DETAIL):
            names.update(w for w in re.split(r"\s+", text[f.start : f.end]) if len(w) > 1)
    spans = [(f.start, f.end, REPLACEMENTS[f.kind]) for f in findings]
    for name in names:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            spans.append((match.start(), match.end(), "[name]"))
    out, cursor = [], 0
    for start, end, replacement in sorted(spans):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return re.sub(r"\[name\](?:\s+\[name\])+", "[name]", "".join(out))
