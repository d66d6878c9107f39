"""Builds ``data/intent_train.jsonl``: hand-written lines plus seeded templates; loads the shipped splits.

Run ``python -m bot.matching.intent_data`` to regenerate the training split. Lines too close to any held-out
line (word-set Jaccard >= 0.6) are dropped so the held-out score measures generalisation.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_PATH = DATA_DIR / "intent_train.jsonl"
HELDOUT_PATH = DATA_DIR / "intent_heldout.jsonl"
LEGACY_PATH = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "intent_labeled.jsonl"
)  # the phrase set
LABELS = ("help", "not_help", "ambiguous")


def load_split(path: Path) -> list[dict[str, str]]:
    """Rows ``{"text", "label"}`` of one shipped split."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scored(rows: list[dict[str, str]]) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels, leaving out ``ambiguous``."""
    kept = [r for r in rows if r["label"] != "ambiguous"]
    return [r["text"] for r in kept], [int(r["label"] == "help") for r in kept]


_HAND_HELP = """\
does anyone have a good anchor chart for main idea vs theme? 4th grade
how do you all handle phones now that the new policy is out
my second graders melt down every time we switch from centers to the carpet. what helps
send help, my seventh period has decided that lab goggles are optional
Anybody have a quick formative assessment for the end of a genetics lesson?
i cant get my 5th graders to write more than two sentences. what do you do
What's the trick to making morning meeting not take 40 minutes
im stuck on how to teach theme vs main idea, it's not clicking
Would love to hear how you run writing conferences with 28 kids
Hi friends! How do you handle a student who refuses to do any work at all?
thank you all for yesterday! quick q - what are people doing for the science fair timeline?
my algebra kids cant factor to save their lives. suggestions?
Looking for a decent website for practising multiplication facts that isn't full of ads
is there a way to teach note taking that doesn't bore them to death
Need ideas for a culminating project for our westward expansion unit
so many of my students are chronically absent. how do you catch them up without redoing everything
how do people manage make-up tests without losing a whole period
any 1st grade teachers have a phonics routine they swear by
Can someone explain how you set up a token economy for a student with ADHD
how r u all doing report card comments, i have 90 to write
Got a great book recommendation for reluctant boy readers in 6th grade?
I need to teach the electoral college to 8th graders in a way that isn't a lecture
How do you keep a class quiet during independent reading without being the noise police?
tips for a student who talks back every single day?
How would you approach a parent who thinks their kid should skip a grade?
my kids are totally checked out after testing, what do you do with the last weeks
idk how to make the periodic table interesting, pls help
what apps do you use for classroom timers
trying to figure out a seating chart for 36 kids in a tiny room
Any advice for a first observation by the new principal? I'm nervous
whats a good way to review for the state test without drill and kill
is anyone good at google sheets? i want an auto-graded spelling tracker and have no clue
How do you get students to give each other useful peer feedback
My whole class failed the unit test. Do I reteach or move on?
What's worked for you in getting boys to journal?
ideas for teaching empathy to kindergartners
Honestly drowning in grading. How do you manage essays for 150 students?
anyone know good hands-on activities for teaching density
Is it worth doing escape rooms for review or are they more hassle than they're worth?
Hey hey! New 3rd grade teacher here. How do you introduce the writer's workshop in week one?
I have a student who is way ahead in math and bored. how are you challenging your advanced kids
could someone share a behavior contract template
my students keep mixing up area and perimeter. what are your tricks
what are you all doing about AI written essays
how do you run a restorative circle after a fight
We just got chromebooks for everyone and I don't know how to manage them in class. How do you do it?
best way to teach kids to cite sources in middle school?
how to get parents to actually read the weekly newsletter?
help! parent conference in 20 min with a family that speaks only portuguese and no interpreter available
how are you teaching multiplication to kids who still count on fingers
any strategies for kids who blurt out answers constantly
What do you do with students who finish tests really early?
Suggestions for keeping a 10 year old with anxiety calm during tests?
What is everyone doing for Black History Month in the primary grades?
need a fun way to practice sight words with a kid who hates flashcards
our 6th grade team wants to try interdisciplinary units. where do we start?
Does standards based grading actually work in high school? curious what people think
honest question, how do you not take it personally when a class hates you
can u guys recommend a good graphic novel for 7th grade
How do you approach teaching slavery to 5th graders in an age appropriate way?
what's your routine for passing back papers without chaos
The kids are fighting over who gets the computers every day. How do you do fair rotations?
advice on co-teaching with a para who is older and doesn't take direction from me?
I have a student with a stutter who won't present. how do I support him
need a quick lesson on paragraph structure for tomorrow morning
Teaching pre-calc for the first time next year. What should I read this summer?
Are there good ways to teach kids to use a calculator responsibly?
How do you handle bathroom passes in middle school? Mine are out of control
my students have zero stamina for reading. anything I can try
I'm new to teaching spanish 1, what do you use for the first week?
how do you build relationships with a class of 35 in high school
what's the most effective way to teach vocabulary in science
"""

_HAND_NOT = """\
copier on 2 is jammed again, facilities has been called
Reminder that progress reports go home Thursday
thank you so much for the sub plans, the kids loved them
Congratulations to our robotics team for placing 2nd at state!
who has the cart with the chromebooks?
anyone want to split a pizza order for the PD day
the gym is closed today for the assembly setup
happy thanksgiving break everyone!
lol my students invented a new dance called the fraction shuffle
I can't believe how fast this year is going
Is the staff lounge microwave fixed yet?
just a heads up the front door badge reader is broken
is there a meeting after school today
Where is the laminator now?
sharing a free poster set for the classroom, link in the drive
If anyone needs a tutor for their own kids, my neighbor is great
we're collecting canned goods for the food drive in room 3
my kids nailed their presentations today 😭 so proud
does anyone know when the pay stubs get posted
parking will be tight tomorrow because of the concert
anyone else's classroom freezing today??
finally finished my report cards woohoo
shoutout to Mrs. Kim for organizing the potluck
who's going to the game tonight?
PSA: the district gradebook will be down Saturday morning
The field trip buses arrive at 8:45 sharp
happy birthday Dave!!
haha
agreed
nice
me too
ok thanks
so true
my 1st graders asked if the principal sleeps at school lol
our hallway smells like popcorn again
does anybody have an extra set of dry erase markers i can borrow?
Could someone swap lunch duty with me on the 12th?
I'm heading to costco after school, need anything for the party?
we have extra tickets to the school play if anyone wants them
need a ride to the airport friday, leaving right after school
anyone driving past the district office tomorrow? I need a form dropped off
is the elevator working again?
who's in charge of the staff shirt order
just got out of the best PD session ever, highly recommend the session on talk moves
here's the link to the holiday sign up sheet
We're doing spirit week next week, monday is pajama day
thank u for the snacks in the lounge
can we talk about how good the cafeteria tacos were today
I'm so tired lol
the kids were wild today, full moon for sure
What's the dress code for the gala?
is the smart board in 110 fixed
the new printer codes are on the workroom door
why is the internet so slow today
Why do we even have meetings that could be emails? 🙃
what's up with the fire alarm going off twice
Do we have school on Presidents Day?
Anyone know who's subbing for Mr. Jones?
There's cake in the office!!!
We raised $3,000 at the fun run, thank you all
Back from maternity leave! missed you all
does the art room have extra paper towels
Anybody seen a black umbrella? left it in the office
I brought in extra coffee pods, help yourselves
my students just gave me a card that says world's okayest teacher 😂
Rain means indoor recess again, pray for us
Can't wait for summer
I've got extra copies of the novel if anyone wants a class set
Happy to share my behavior chart if anyone wants it
Feel free to steal my unit plan, it's in the shared folder
who wants to join a book club this spring? first book is Educated
the water fountain by the gym is broken
we got a new student today from Ukraine, she's so sweet
who has the master key for the storage room
"""

_HAND_AMBIGUOUS = """\
anyone used the new curriculum yet
thoughts on the new schedule?
is that normal?
homework debate again
"""

_GREET = (
    "",
    "",
    "",
    "Hi all! ",
    "hey team, ",
    "Morning! ",
    "Happy Monday! ",
    "quick q: ",
    "Hello friends, ",
    "ok so ",
    "Thanks for yesterday! ",
    "hi 👋 ",
    "Hey everyone. ",
)
_GRADE = (
    "2nd grade",
    "kinder",
    "6th grade",
    "8th grade",
    "high school",
    "3rd",
    "4th grade",
    "middle school",
    "9th grade",
    "AP",
    "first grade",
    "5th grade",
    "10th grade",
    "pre-k",
    "12th grade",
)
_TOPIC = (
    "teaching main idea",
    "reading fluency",
    "classroom management after lunch",
    "long division",
    "lab reports",
    "persuasive writing",
    "the water cycle",
    "place value",
    "fact fluency",
    "note-taking",
    "group work",
    "transitions",
    "phonemic awareness",
    "the causes of WWI",
    "argument essays",
    "chemical equations",
    "cell division",
    "sight words",
    "spelling",
    "claim evidence reasoning",
    "Shakespeare",
    "solving inequalities",
    "map skills",
    "making inferences",
    "a new student who speaks no English",
    "kids who won't stop calling out",
    "students who never turn in homework",
    "a class that won't stay seated",
    "end of year review",
    "parent communication",
    "kids who copy answers",
    "test anxiety",
    "early finishers",
    "reluctant writers",
    "students with IEPs in a gen ed class",
    "kids who are always late",
)
_HELP_FORMS = (
    "anyone have a good lesson for {t} in {g}?",
    "how do you all approach {t}? {g}",
    "Any ideas for {t} with {g}",
    "{g} and {t} is killing me. what works for you",
    "What do you do about {t}? teaching {g} this year",
    "need some help with {t} for my {g} kids",
    "my {g} class is really struggling with {t}, suggestions",
    "Does anybody have resources for {t}? {g}",
    "looking for a fresh approach to {t} ({g})",
    "what's your best strategy for {t} in {g}",
    "how r yall handling {t} in {g} lol",
    "Has anyone found a way to make {t} click for {g}?",
    "{t}... {g}... I'm out of ideas 😩",
    "can someone share what they do for {t}? {g} teacher here",
    "im stuck on {t} w my {g} group, pls send ideas",
    "curious how others handle {t} in {g}",
    "Would love some input on {t} for {g}, it isn't going well",
    "advice for {t}? {g}",
    "I've tried everything for {t} in {g}. anyone?",
    "what are people doing for {t} this year in {g}",
    "{t} tips? {g}",
    "How should I teach {t} to {g} students",
    "I don't know how to approach {t} with {g}, help",
    "so I have this {g} group and {t} has been rough all week. Any thoughts on what to try next?",
)
_PLACE = (
    "the copier in the workroom",
    "the projector in 214",
    "the wifi upstairs",
    "the library printer",
    "the elevator",
    "the laminator",
    "the smartboard in room 9",
    "the heat in the east wing",
    "the bell schedule",
)
_EVENT = (
    "staff meeting",
    "the assembly",
    "picture day",
    "the book fair",
    "the fire drill",
    "open house",
    "the spring concert",
    "parent night",
    "the field trip",
    "PD day",
    "the holiday party",
    "testing week",
)
_THING = (
    "HDMI cable",
    "extension cord",
    "phone charger",
    "stapler",
    "glue sticks",
    "dry erase markers",
    "laminating sheets",
    "chart paper",
    "a USB-C adapter",
    "scissors",
    "a document camera",
    "extra chairs",
)
_PERSON = (
    "Ms. Rivera",
    "Mr. Chen",
    "Coach T",
    "the 3rd grade team",
    "our PTA",
    "the custodial staff",
    "Mrs. Abara",
    "the front office",
    "Dr. Lee",
    "the science department",
)
_NOT_FORMS = (
    "is {p} working today?",
    "{p} is broken again",
    "anyone know if {p} got fixed",
    "FYI {p} is down",
    "Reminder: {e} is tomorrow",
    "{e} moved to thursday",
    "what time is {e}?",
    "heads up, {e} starts at 9",
    "don't forget {e} this week!",
    "where is {e} happening?",
    "thanks for helping with {e}!!",
    "does anyone have a spare {x}?",
    "can I borrow a {x} for 2nd period",
    "who took the {x} from the workroom",
    "I have an extra {x} if anyone needs it",
    "found a {x} in the lounge, is it yours?",
    "shout out to {n} for {e} 🎉",
    "thank you {n}!",
    "congrats {n}!!",
    "huge thanks to {n} for covering",
    "anyone carpooling to {e}? I can drive",
    "need a ride to {e}, anyone going from downtown?",
    "can someone cover my duty during {e}",
    "{n} brought cookies, go get some",
    "my {g} kids were amazing at {e} today",
    "so proud of my {g} class today 🥹",
    "{g} survived {e} lol",
    "who's excited for {e}?",
    "can you believe {e} is already next week",
    "why is {p} always broken 🙃",
    "just finished grading for {g}, time for wine",
    "sharing my {g} slides in the drive, grab them",
    "happy friday!! {e} went great",
    "lol my {g} kids asked if I have a car",
    "ugh {p} again",
)


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def _typo(rng: random.Random, text: str) -> str:
    """Chat spelling: lowercase, a dropped letter or apostrophe, sometimes no punctuation."""
    choice = rng.random()
    if choice < 0.3:
        text = text.lower()
    if choice < 0.15:
        text = text.rstrip("?.!")
    if rng.random() < 0.2 and len(text) > 20:
        i = rng.randrange(5, len(text) - 5)
        if text[i].isalpha():
            text = text[:i] + text[i + 1 :]
    return text.replace("'", "") if rng.random() < 0.15 else text


def generate(seed: int = 16, per_label: int = 330) -> list[dict[str, str]]:
    """Training rows: the hand-written lines, then templated ones, deduplicated against the held-out split."""
    rng = random.Random(f"kindred-intent:{seed}")
    rows = [{"text": t, "label": "help"} for t in _HAND_HELP.splitlines() if t]
    rows += [{"text": t, "label": "not_help"} for t in _HAND_NOT.splitlines() if t]
    rows += [{"text": t, "label": "ambiguous"} for t in _HAND_AMBIGUOUS.splitlines() if t]
    legacy = [
        json.loads(line) for line in LEGACY_PATH.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    rows += [{"text": r["text"], "label": "help" if r["help"] else "not_help"} for r in legacy]
    for _ in range(per_label):
        form = rng.choice(_HELP_FORMS).format(t=rng.choice(_TOPIC), g=rng.choice(_GRADE))
        rows.append({"text": _typo(rng, rng.choice(_GREET) + form), "label": "help"})
        text = rng.choice(_NOT_FORMS).format(
            p=rng.choice(_PLACE),
            e=rng.choice(_EVENT),
            x=rng.choice(_THING),
            n=rng.choice(_PERSON),
            g=rng.choice(_GRADE),
        )
        rows.append({"text": _typo(rng, text), "label": "not_help"})
    held = [_tokens(r["text"]) for r in load_split(HELDOUT_PATH)]
    seen: set[str] = set()
    kept = []
    for row in rows:
        key = row["text"].lower()
        words = _tokens(row["text"])
        if key in seen or any(_jaccard(words, h) >= 0.6 for h in held):
            continue
        seen.add(key)
        kept.append(row)
    return kept


def main() -> None:
    rows = generate()
    with TRAIN_PATH.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} rows -> {TRAIN_PATH}")


if __name__ == "__main__":
    main()
