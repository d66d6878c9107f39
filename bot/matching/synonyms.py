"""Acronyms, spelled-out phrases and teachers' paraphrases of the catalog's concepts.

Teachers write "ELLs", the catalog says "English learners"; the model does not know "PBIS" or "UDL" at all,
and it misses "a quick check at the end of class" for "exit tickets" or "three levels of challenge" for
"tiered assignments". Each concept has a canonical token, its variants (spellings) and paraphrases (how
teachers say it, as patterns). ``concept_tokens`` gives the canonical tokens a text mentions (for the
lexical index, on both sides); ``expand_query`` spells out the concepts a question names by acronym or
paraphrase before it is embedded, so the embedding search sees the catalog's words; ``question_context``
adds those words to the question's terms, so tags and reasons name the concept that matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.matching.context import QuestionContext, content_terms, extract_context


@dataclass(frozen=True)
class Concept:
    token: str  # what the lexical index stores
    variants: tuple[str, ...]  # spellings teachers and authors use (the acronym included)
    spelled_out: str  # added to a question that uses only the acronym, before embedding
    expand_always: bool = False  # also added for a spelled-out variant (a paraphrase the model misses)
    paraphrases: tuple[str, ...] = ()  # regular expressions for teachers' wordings; always expanded


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "ell",
        (
            "ell",
            "ells",
            "esl",
            "esol",
            "ml",
            "mls",
            "english learner",
            "english learners",
            "english language learner",
            "english language learners",
            "multilingual learner",
            "multilingual learners",
            "emergent bilingual",
            "emergent bilinguals",
        ),
        "English learners",
    ),
    Concept(
        "sel",
        (
            "sel",
            "social emotional",
            "social-emotional",
            "social emotional learning",
            "social-emotional learning",
        ),
        "social emotional learning, feelings",
    ),
    Concept(
        "iep",
        (
            "iep",
            "ieps",
            "individualized education program",
            "individualized education plan",
            "504",
            "504 plan",
        ),
        "IEP accommodations",
    ),
    Concept(
        "pbis",
        (
            "pbis",
            "positive behavior interventions and supports",
            "positive behavior support",
            "positive behaviour support",
        ),
        "positive behavior supports, classroom management",
    ),
    Concept(
        "udl",
        ("udl", "universal design for learning"),
        "universal design for learning, student choice and differentiation",
    ),
    Concept(
        "newcomer",
        (
            "newcomer",
            "newcomers",
            "new arrival",
            "new arrivals",
            "recently arrived",
            "new to the country",
            "no english",
            "almost no english",
            "little english",
            "new to english",
        ),
        "newcomer English learners",
        expand_always=True,
    ),
    Concept(
        "family",
        ("family", "families", "parent", "parents", "caregiver", "caregivers", "guardians", "home"),
        "families",
    ),
    Concept("sped", ("sped", "special ed", "special education", "special educator"), "special education"),
    Concept("pe", ("pe", "phys ed", "physical education", "gym class"), "physical education"),
    Concept("cs", ("cs", "computer science"), "computer science, coding"),
    Concept(
        "cer",
        ("cer", "claim evidence reasoning", "claim-evidence-reasoning"),
        "claim evidence reasoning",
        paraphrases=(
            r"(?:lab|experiment|investigation|science) conclusions?",
            r"(?:data|lab|labs|experiment)\b[\w ,'-]{0,40}\bconclusions?",
            r"explain (?:their |the )?(?:results|data|evidence)",
            r"back (?:up )?(?:their |a )?claims?(?: with evidence)?",
        ),
    ),
    Concept(
        "dbq",
        ("dbq", "dbqs", "document based question", "document-based question"),
        "document-based question",
    ),
    Concept("tpr", ("tpr", "total physical response"), "total physical response"),
    Concept("pbl", ("pbl", "project based learning", "project-based learning"), "project-based learning"),
    Concept(
        "cte",
        ("cte", "career and technical education", "career technical education"),
        "career and technical education",
    ),
    Concept("mtss", ("mtss", "rti", "response to intervention"), "tiered interventions"),
    # Teachers' paraphrases of catalog concepts the model does not connect (see ``paraphrases``).
    Concept(
        "exit_ticket",
        ("exit ticket", "exit tickets", "exit slip", "exit slips"),
        "exit tickets, quick checks for understanding",
        expand_always=True,
        paraphrases=(
            r"(?:check|checks|checking|see|tell|find out|know)\b[\w ,'-]{0,40}\b"
            r"(?:at|by) the end of (?:the )?"
            r"(?:class|lesson|period|day)",
            r"end of (?:the )?(?:class|lesson|period) (?:check|checks|question|questions)",
            r"(?:whether|if) (?:my |the )?(?:kids|students|class|they|everyone) "
            r"(?:understood|understand|got|get|learned)\b",
            r"checks? for understanding",
            r"quick (?:check|checks|assessment|assessments)",
        ),
    ),
    Concept(
        "morning_meeting",
        ("morning meeting", "morning meetings", "morning circle"),
        "morning meeting, community building",
        expand_always=True,
        paraphrases=(
            r"(?:start|begin|open|kick off)(?:ing|s)? (?:the|each|every|our) (?:school )?(?:day|morning)",
            r"(?:start|beginning) of (?:the|each|every) (?:school )?day",
            r"first thing in the morning",
            r"(?:feel|feels|build|building|rebuild|rebuilding) (?:like )?(?:a |the |our )?"
            r"(?:class )?community",
        ),
    ),
    Concept(
        "tiered",
        ("tiered assignment", "tiered assignments", "tiered tasks", "leveled tasks", "tiered lesson"),
        "tiered assignments, differentiation",
        expand_always=True,
        paraphrases=(
            r"(?:two|three|four|different|multiple|several) (?:levels|tiers) of (?:challenge|difficulty)",
            r"(?:at|for) (?:two|three|four|different|multiple|several) (?:levels|tiers|readiness levels)",
            r"(?:leveled|tiered|levelled) (?:work|tasks|assignments|activities|practice|versions)",
            r"mixed[- ](?:ability|level|readiness)",
            r"early finishers?",
            r"finish(?:es)? (?:early|first|way ahead|in (?:two|five|ten|2|5|10) minutes)",
        ),
    ),
    Concept(
        "newsletter",
        ("newsletter", "newsletters", "family newsletter", "class newsletter"),
        "weekly family newsletter, parent communication",
        expand_always=True,
        paraphrases=(
            r"(?:parents|families|caregivers|guardians) in the loop",
            r"(?:weekly|regular|every week) (?:update|updates|email|emails|note|notes) (?:to|for|home)",
            r"(?:update|inform|tell|email|communicate with) (?:the )?(?:parents|families|caregivers)"
            r"[\w ,'-]{0,30}\b(?:every|each) week",
        ),
    ),
    Concept(
        "positive_calls",
        ("positive phone calls", "positive calls home", "positive phone call"),
        "positive phone calls home, family engagement",
        expand_always=True,
        paraphrases=(
            r"good news",
            r"(?:positive|happy) (?:notes?|calls?|messages?|emails?) (?:home|to (?:parents|families))",
            r"not only when (?:there'?s|there is) a problem",
            r"relationships? with (?:the )?(?:families|parents|caregivers)",
        ),
    ),
    Concept(
        "sight_words",
        ("sight words", "sight word", "high-frequency words", "high frequency words", "heart words"),
        "high-frequency words, heart words",
        expand_always=True,
        paraphrases=(
            r"(?:irregular|tricky|red|snap|trick) words",
            r"(?:don'?t|do not|doesn'?t|does not) follow (?:the )?(?:phonics )?(?:rules|patterns)",
        ),
    ),
    Concept(
        "growth_mindset",
        ("growth mindset", "power of yet"),
        "growth mindset, learning from mistakes",
        expand_always=True,
        paraphrases=(
            r"mistakes (?:help|helps|are how) (?:us |you |them |we )?(?:learn|grow)",
            r"learn(?:ing)? from (?:their |our |my )?mistakes",
            r"(?:afraid|scared) (?:of|to) (?:make |making )?mistakes",
            r"(?:give|giving|gives) up (?:too )?(?:easily|quickly|right away)",
            r"not an? (?:math|science|reading|writing|art|music) (?:person|people|kid|kids)",
            r"brains? (?:actually )?(?:grows?|gets? (?:better|stronger)|changes?) with practice",
        ),
    ),
    Concept(
        "unplugged",
        ("unplugged", "unplugged coding", "unplugged activities"),
        "unplugged activities",
        expand_always=True,
        paraphrases=(
            r"without (?:any )?(?:computers|devices|screens|laptops|chromebooks|tablets)",
            r"no (?:computers|devices|screens|laptops|chromebooks|tablets)",
            r"(?:off[- ]screen|screen[- ]free)",
        ),
    ),
    Concept(
        "fact_fluency",
        ("fact fluency", "math facts", "multiplication facts", "addition facts", "times tables"),
        "fact fluency math games",
        expand_always=True,
        paraphrases=(r"timed tests?", r"(?:practice|memorize|learn) (?:their |the )?facts"),
    ),
    Concept(
        "primary_sources",
        ("primary source", "primary sources", "primary documents"),
        "primary sources",
        expand_always=True,
        paraphrases=(
            r"historical (?:photographs|photos|documents|letters|artifacts|sources|images|texts)",
            r"political cartoons?",
            r"(?:soldiers'?|historical|old) (?:letters|diaries|journals|speeches)",
            r"(?:old|original|archival) (?:photographs|photos|documents|letters)",
        ),
    ),
    Concept(
        "attention_signals",
        ("attention signal", "attention signals", "call and response", "call-and-response"),
        "attention signals, classroom management",
        expand_always=True,
        paraphrases=(
            r"(?:get|getting|grab|grabbing|regain|regaining) (?:their |the class'?s? |everyone'?s? )?"
            r"(?:students'? )?attention(?: back)?",
            r"(?:so|too|really|very) (?:loud|noisy|chatty)",
            r"talk(?:s|ing)? over me",
            r"(?:won'?t|will not|don'?t|do not|never) stop talking",
            r"(?:get|getting|keep|keeping) (?:them|everyone|the class|my class|the room) quiet",
            r"quiet (?:signal|signals|cue)",
        ),
    ),
    Concept(
        "calm_down",
        ("calm-down corner", "calm down corner", "calm corner", "self-regulation"),
        "self-regulation, calm-down corner",
        expand_always=True,
        paraphrases=(
            r"melt(?:s|ing)? ?downs?",
            r"tantrums?",
            r"calm (?:themselves |himself |herself |down)",
            r"(?:when they|who) get (?:angry|upset|mad|frustrated)",
        ),
    ),
    Concept(
        "restorative",
        ("restorative", "restorative practices", "restorative circle", "restorative circles"),
        "restorative practices",
        expand_always=True,
        paraphrases=(
            r"instead of (?:a )?(?:punishment|punishing|consequences)",
            r"repair (?:the )?harm",
            r"(?:run|hold|do|facilitate|lead) (?:a )?(?:community |talking |class )?circles?\b",
            r"(?:repair|restore|mend) (?:it|things|relationships?|the relationships?|trust)\b",
        ),
    ),
    Concept(
        "visual_schedule",
        ("visual schedule", "visual schedules", "picture schedule"),
        "visual schedule cards",
        expand_always=True,
        paraphrases=(
            r"(?:order|sequence|flow) of (?:the|our|his|her|their) (?:school )?day",
            r"(?:daily|picture) schedule",
            r"(?:show|tell|let) (?:him|her|them|the (?:kid|child|student)s?) (?:know )?what'?s (?:coming )?"
            r"(?:next|coming)",
        ),
    ),
    Concept(
        "co_teaching",
        ("co-teaching", "co teaching", "coteaching", "co-teacher", "co teacher", "co-teachers"),
        "co-teaching models",
        expand_always=True,
        paraphrases=(
            r"inclusion class(?:room)?",
            r"push[- ]in (?:teacher|support|model)",
            r"split the teaching",
        ),
    ),
    Concept(
        "text_evidence",
        ("text evidence", "textual evidence"),
        "citing text evidence",
        expand_always=True,
        paraphrases=(
            r"(?:cite|citing|use|using|quote|quoting) (?:the |some |specific )?"
            r"(?:evidence|quotes|quotations)",
            r"(?:evidence|quotes?|quotations) from the (?:text|reading|book|passage|story)",
        ),
    ),
    Concept(
        "place_value",
        ("place value",),
        "place value, tens and ones",
        expand_always=True,
        paraphrases=(r"the \d in \d{2,} (?:means|is|stands for)", r"tens and ones"),
    ),
    Concept(
        "arrays",
        ("array", "arrays", "multiplication array", "multiplication arrays"),
        "multiplication arrays",
        expand_always=True,
        paraphrases=(r"what (?:\d+ ?[x×*] ?\d+|multiplication|times tables?) (?:actually |really )?means?",),
    ),
    Concept(
        "multisyllabic",
        ("multisyllabic", "multisyllabic words", "syllable types", "syllable type"),
        "multisyllabic words, syllable types",
        expand_always=True,
        paraphrases=(
            r"(?:break|breaking|chunk|chunking) (?:big |long |hard )?words (?:into|apart|up)",
            r"words? into (?:chunks|syllables|parts)",
            r"(?:break|breaking|split|splitting) (?:them|it|the words?) (?:into|in) "
            r"(?:chunks|syllables|parts)",
        ),
    ),
    Concept(
        "subitizing",
        ("subitizing", "subitize", "subitise", "subitising"),
        "subitizing, seeing how many without counting",
        expand_always=True,
        paraphrases=(
            r"(?:see|know|recogni[sz]e|tell) (?:how many|amounts|quantities|the number)\b[\w ,'-]{0,30}"
            r"\bwithout counting",
            r"just see (?:five|5|four|4|six|6|how many)\b",
        ),
    ),
    Concept(
        "debugging",
        ("debugging", "debug"),
        "debugging code",
        expand_always=True,
        paraphrases=(
            r"(?:code|program|programs) (?:throws|has|gets|hits|shows) (?:an? )?(?:errors?|bugs?)",
            r"(?:errors?|bugs?) in (?:their |the |my )?(?:code|programs?)",
        ),
    ),
    Concept(
        "number_talks",
        ("number talk", "number talks"),
        "number talks, mental math",
        expand_always=True,
        paraphrases=(r"mental math (?:discussions?|talks?|routines?|warm[- ]ups?|strategies)",),
    ),
    Concept(
        "formative",
        (
            "formative assessment",
            "formative assessments",
            "check for understanding",
            "checks for understanding",
        ),
        "checks for understanding, formative assessment",
        expand_always=True,
        paraphrases=(
            r"(?:see|check|know|tell|find out) (?:if|whether) (?:my |the )?(?:\w+ )?(?:kids|students|class)"
            r" (?:are|is) (?:with me|getting it|following)",
        ),
    ),
    Concept(
        "socratic",
        ("socratic seminar", "socratic seminars", "fishbowl", "fishbowl discussion", "fishbowl discussions"),
        "socratic seminar, fishbowl discussion",
        expand_always=True,
    ),
    Concept(
        "reading_conferences",
        ("reading conference", "reading conferences", "conferring"),
        "reading conferences",
        expand_always=True,
        paraphrases=(
            r"(?:meet|meeting|confer|conferring) with (?:kids|students|readers|each (?:kid|student|reader))"
            r" (?:one[- ]on[- ]one|individually|1:1|one at a time)",
        ),
    ),
    Concept(
        "literature_circles",
        ("literature circle", "literature circles", "lit circles", "book club", "book clubs"),
        "literature circles, book clubs",
        expand_always=True,
    ),
    Concept(
        "fluency",
        ("reading fluency", "oral reading fluency", "prosody", "fluent readers"),
        "reading fluency, prosody",
        expand_always=True,
        paraphrases=(
            r"word[- ]by[- ]word",
            r"(?:no|without|with little|flat) expression",
            r"(?:choppy|robotic|robot|monotone)[ ,]+(?:(?:robot|robotic|monotone|flat) )?"
            r"(?:reading|readers|voice)",
        ),
    ),
    Concept(
        "writing_genres",
        ("opinion writing", "persuasive writing", "informational writing", "narrative writing"),
        "writing workshop",
        expand_always=True,
        paraphrases=(r"(?:opinion|persuasive|informational|narrative) (?:piece|pieces|essays?|paragraphs?)",),
    ),
    Concept(
        "choice_boards",
        ("choice board", "choice boards", "choice menu", "learning menu"),
        "choice boards, student choice",
        expand_always=True,
        paraphrases=(
            r"choice[- ]based",
            r"(?:pick|choose) (?:how|what|which way) (?:to|they)",
            r"(?:student|learner) choice",
            r"menu of (?:ways|options|choices|activities|tasks)",
            r"ways to show what they (?:learned|know)",
        ),
    ),
    Concept(
        "station_rotation",
        ("station rotation", "station rotations", "math centers", "literacy centers"),
        "station rotation, small groups",
        expand_always=True,
        paraphrases=(
            r"(?:teacher|tech|technology) (?:table|station)",
            r"(?:plan|run|running|manage) (?:the )?rotations",
            r"(?:switch|switching|move|moving|rotate|rotating|transition|transitioning) between "
            r"(?:\w+ )?(?:groups|stations|centers)",
        ),
    ),
    Concept(
        "feelings_check_in",
        ("feelings check-in", "emotional check-in", "emotion check-in", "check-in chart"),
        "daily feelings check-in",
        expand_always=True,
        paraphrases=(
            r"(?:emotional|feelings|feeling|emotions|mood) check[- ]?ins?",
            r"how (?:they|my (?:kids|students)|everyone) (?:are|is) feeling",
            r"how (?:everyone|everybody|each (?:kid|student|child))(?:'s| is) feeling",
        ),
    ),
    Concept(
        "genetics",
        ("genetics", "heredity", "punnett square", "punnett squares", "inherited traits"),
        "genetics and heredity, biology",
        expand_always=True,
    ),
    Concept(
        "classroom_jobs",
        ("classroom jobs", "class jobs", "classroom job"),
        "classroom jobs, responsibility",
        expand_always=True,
        paraphrases=(
            r"(?:give|giving) (?:my |the )?(?:kids|students|everyone) (?:jobs|responsibilities|roles)",
            r"(?:room|class|classroom) (?:runs|run) (?:itself|smoothly)",
        ),
    ),
    Concept(
        "stem",
        ("stem", "engineering design"),
        "STEM challenges, engineering",
        expand_always=True,
        paraphrases=(r"electricity", r"circuits?", r"simple machines", r"build(?:ing)? challenges?"),
    ),
)


def _pattern(concept: Concept) -> re.Pattern[str]:
    variants = [re.escape(v) for v in sorted(concept.variants, key=len, reverse=True)]
    return re.compile(r"(?<![\w-])(?:" + "|".join(variants) + r")(?![\w-])", re.I)


def _paraphrase(concept: Concept) -> re.Pattern[str] | None:
    if not concept.paraphrases:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(concept.paraphrases) + r")(?![\w-])", re.I)


_PATTERNS = tuple((c, _pattern(c), _paraphrase(c)) for c in CONCEPTS)
# An acronym alone (upper case in the question, or one of these always-lowercase-safe ones).
_ACRONYM = re.compile(r"[A-Z]{2,5}s?|504")


@lru_cache(maxsize=65_536)
def concept_tokens(text: str) -> frozenset[str]:
    """Canonical tokens of the concepts ``text`` mentions in any spelling."""
    return frozenset(
        c.token
        for c, pattern, paraphrase in _PATTERNS
        if pattern.search(text) or (paraphrase is not None and paraphrase.search(text))
    )


@lru_cache(maxsize=4_096)
def expansions(question: str) -> tuple[str, ...]:
    """The spelled-out phrases of the concepts ``question`` names by acronym or paraphrase."""
    lowered = question.lower()
    added: list[str] = []
    for concept, pattern, paraphrase in _PATTERNS:
        if concept.spelled_out.lower() in lowered or concept.spelled_out in added:
            continue
        if paraphrase is not None and paraphrase.search(question):
            added.append(concept.spelled_out)
            continue
        match = pattern.search(question)
        if match is not None and (concept.expand_always or _ACRONYM.fullmatch(match.group(0))):
            added.append(concept.spelled_out)
    return tuple(added)


def expand_query(question: str) -> str:
    """The question with the concepts it names spelled out once: an acronym ("PBIS" -> "positive behavior
    supports, …") or a paraphrase ("speak almost no English" -> "newcomer English learners")."""
    added = expansions(question)
    return f"{question} ({'; '.join(added)})" if added else question


def question_context(question: str) -> QuestionContext:
    """The question's grades and subjects, its terms plus those of the concepts it paraphrases (so a
    tag "exit tickets" matches "a quick check at the end of class", and the reason says so), and the
    concepts it names in any spelling (so a colleague's interest "family engagement" meets "parents")."""
    context = replace(extract_context(question), concepts=concept_tokens(question))
    added = expansions(question)
    return replace(context, terms=context.terms | content_terms(" ".join(added))) if added else context
