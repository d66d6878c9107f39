"""Is this channel message a request for help from colleagues, or chatter?

Cheap, explainable cues: phrases people use to ask colleagues for ideas, resources or advice push the
score up; thanks, announcements, offers, rhetorical and logistics questions push it down. A message needs
a score at or above the threshold (a setting) to get suggestions. Pure Python, thousands of messages/s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.matching.context import extract_grades, extract_subjects


def _any(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(phrases) + r")", re.I)


_WHO = r"(?:you|i|we|y'?all|u|people|ppl|others|folks|everyone|teachers|you guys|other people)"
_SOMEONE = r"(?:any ?(?:one|body|ne)|some ?(?:one|body))"

_ASK = _any(
    rf"\b(?:does|do|did|has|have|is|can|could|would|will) (?:{_SOMEONE}|y'?all|you all|you guys|folks|people)\b",
    rf"\b{_SOMEONE}(?:'s)? (?:ever )?(?:have|has|got|know|tried|done|made|use|used|using|recommend|taught|had|out there)\b",
    rf"\bhow (?:\w+ )?(?:do|did|would|should|can|could|are|is) {_WHO}\b",
    rf"\bwhat\b[^.?!]{{0,40}}\b(?:do|are|did|would|should|does) {_WHO}\b",
    r"\bwhat(?:'s| is| are) (?:your|the best|a good|some good|a great|a fun|an easy|some)\b",
    r"\bwhat(?:'s)? (?:works|working)\b|\bnothing (?:works|is working|seems to work)\b|\bwhat else (?:is there|can i)\b",
    r"\bany (?:\w+[- ])?(?:ideas?|tips?|tricks?|ways?|suggestions?|advice|recs?|recommendations?|thoughts|"
    r"resources?|strategies|favorites?|go-?tos?|books?|apps?|games?|activities|lessons?|must-?reads?|"
    r"websites?|examples?|approach(?:es)?|insight)\b",
    r"\b(?:ideas?|tips?|suggestions?|advice|recs?|recommendations?|strategies)\s*(?:for|on|about|to|please|pls|needed|wanted|\?|!|$)",
    r"\blooking for\b|\bwondering (?:how|if|what|whether)\b|\btrying to (?:decide|figure out)\b",
    r"(?:^|[.!?]\s*|\b(?:i|we) (?:really |desperately )?)need (?:a|an|some|help|ideas?|advice|tips?|suggestions?|strategies|resources?|something|to find|to figure)\b",
    r"\b(?:i'?m|i am|we'?re|been|im) (?:really |so |still )?(?:struggling|stuck|lost|at a loss|out of ideas|stumped|having a hard time|having trouble)\b",
    r"\bstruggl(?:e|ing) (?:with|to)\b|\bhard time (?:getting|with)\b",
    r"\bout of ideas\b|\btried everything\b|\bat my wits'? end\b|\bat a loss\b",
    r"\b(?:idk|don'?t know|not sure) (?:how|where|what)\b|\bwhere do i (?:even )?start\b",
    r"\b(?:please|pls) (?:help|share|send)\b|\bhelp!|\bhelp me\b|\bsos\b",
    r"\brecommend(?:ation)?s?\b.*\?",
    r"\bwhat should i\b|\bshould i\b|\bis it worth\b",
    r"\bthoughts on\b|\bbest way to\b|\bhow to\b.*\?",
    r"\bwhere (?:can|do) i (?:find|get)\b",
    r"\bjust (?:aren'?t|isn'?t|are not|is not|don'?t|won'?t|can'?t) (?:getting|get|understand|grasping|stick|sticking|engaged|listening|focus)",
    r"\b(?:aren'?t|not|isn'?t) (?:getting|grasping|understanding) (?:it|this|the)\b",
    r"\bwould love (?:to (?:hear|see|know|learn)|any|some|ideas|tips|input|suggestions|advice|help)\b",
    r"\bopen to (?:ideas|suggestions)\b|\bcan i borrow (?:your )?(?:ideas|lesson|plans)\b",
)

_NOT_ASK = _any(
    r"^\s*(?:thanks|thank you|thx|ty|tysm|shout ?out|congrats|congratulations|happy|welcome|reminder|fyi|psa|"
    r"heads up|pro ?tip|tip)\b",
    r"\b(?:just a |friendly )?reminder\b|\bdon'?t forget\b|\bheads up\b",
    r"\bin case (?:it|this) helps\b|\bif any ?(?:one|body) (?:needs|wants)\b|\bfeel free to (?:use|borrow|grab|steal)\b",
    r"\bfor any ?(?:one|body) (?:doing|who|teaching)\b",
    r"\bany ?(?:one|body) (?:need|want)s? (?:help|a |an |some |extra |me )\b|\bhappy to (?:help|share)\b",
    r"\b(?:any ?one|who) else\b(?!.*\b(?:how|what|tips?|ideas?|advice|suggestions?)\b)",
    r"\bcan you believe\b|\bdid (?:you|any ?one|y'?all)(?: guys)? (?:know|see|hear|get)\b|\bguess what\b|\bwho (?:wants|is ready|'s ready)\b",
    r"\bwhy (?:is|does|do|are) (?:the|this|my|our) (?:copier|printer|wifi|internet|projector|building|heat|ac|coffee)\b",
    r"\bhere'?s (?:how|what|my|a)\b|\bsharing (?:my|a|this|our)\b|\bi made (?:a|this)\b",
    r"\b(?:what time|where is|where's|who has (?:the|my)|who took|is the (?:gym|library|lab|cafeteria|copier)|sub code)\b",
    r"\b(?:carry|charger|swap|duty|doctor'?s|appt|appointment|parking|copier|stapler|staff survey|the email|link to the)\b",
    r"\b(?:tried|did|used|taught|ran) .* today\b(?!.*\?)",
    r"^\s*(?:ok|okay|k|lol|lmao|same|same here|yes|yep|no|nope|agreed|\+1|this|ha+|haha+|omg|yay|ugh|nice|love (?:this|it)|so true|facts|me too)[\s!.?]*$",
)

_TEACHING = _any(
    r"\b(?:students?|kids|class(?:es|room)?|kiddos|scholars|learners|graders?|period|lesson|unit|teach(?:ing)?|"
    r"curriculum|parents?|families|iep|504|behavior|reading|writing|math|science|history|grade|lab|"
    r"assessment|quiz|test|rubric|grading|homework|centers|stations|small groups?|sub plans?|"
    r"read ?aloud|novel|essays?|vocab|phonics|fractions?|engag\w+|differentiat\w+|manage\w*|transitions?|"
    r"activity|activities|feedback|conferences?|review|exit tickets?|warm ?ups?|hook|demo|program)\b",
)


@dataclass(frozen=True)
class IntentResult:
    """The verdict with its score and the cues that produced it (for logs and tuning)."""

    is_help_request: bool
    score: float
    cues: tuple[str, ...] = field(default=())
    # The message's embedding when the detector computed one: passed on, so it is embedded only once.
    vector: Any = field(default=None, compare=False, repr=False)


class Detector(Protocol):
    """What the message handler needs: a verdict with a score for one message."""

    def score(self, text: str) -> IntentResult: ...


@dataclass(frozen=True)
class HelpRequestDetector:
    """Scores messages; ``threshold`` is the setting ``KINDRED_INTENT_THRESHOLD``."""

    threshold: float = 0.5

    def score(self, text: str) -> IntentResult:
        clean = _strip_markup(text)
        if len(clean) < 8:
            return IntentResult(False, 0.0, ("too short",))
        score = 0.0
        cues: list[str] = []
        asks = len(_ASK.findall(clean))
        if asks:
            score += 0.45 + 0.1 * min(asks - 1, 2)
            cues.append(f"ask x{asks}")
        if "?" in clean:
            score += 0.1
            cues.append("question mark")
        if _TEACHING.search(clean) or extract_grades(clean) or extract_subjects(clean):
            score += 0.15
            cues.append("teaching context")
        else:
            score -= 0.1
        if _NOT_ASK.search(clean):
            score -= 0.45
            cues.append("chatter cue")
        score = max(0.0, min(1.0, score))
        return IntentResult(score >= self.threshold, round(score, 3), tuple(cues))

    def is_help_request(self, text: str) -> bool:
        return self.score(text).is_help_request


_MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>|:[a-z0-9_+-]+:|https?://\S+")


def _strip_markup(text: str) -> str:
    """Drop mentions, channel links, URLs and emoji codes; they say nothing about intent."""
    return _MARKUP.sub(" ", text).strip()


def phrase_features(text: str) -> tuple[float, float, float, float, float]:
    """The phrase cues as numbers for the learned detector: asks, "?", teaching context, chatter, score."""
    clean = _strip_markup(text)
    return (
        min(len(_ASK.findall(clean)), 3) / 3.0,
        float("?" in clean),
        float(bool(_TEACHING.search(clean) or extract_grades(clean) or extract_subjects(clean))),
        float(bool(_NOT_ASK.search(clean))),
        HelpRequestDetector().score(text).score,
    )
