"""The candidate's help chatbot: repeat or rephrase the question, time left, how the interview
works, report a technical problem. It never helps with the answer.

Offline, intents come from keywords first (cheap and exact for "hint", "answer", "time") and
MiniLM similarity to example phrasings otherwise. Requests for hints or answers are checked
before anything else and refused. The Gemini path uses the same refusal check on the way in,
and on the way out its reply must not come close to any expected point; otherwise the offline
reply is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from kiosk.brain.embeddings import MiniLmEncoder, get_encoder
from kiosk.brain.engine import EngineError
from kiosk.domain.model import Question, SessionSettings

_log = logging.getLogger(__name__)
#: A reply sentence this close to an expected point is treated as a leaked hint.
LEAK_SIMILARITY = 0.6
_MIN_INTENT_SIMILARITY = 0.45


class Intent(StrEnum):
    REPEAT = "repeat"
    REPHRASE = "rephrase"
    TIME_LEFT = "time_left"
    HOW_IT_WORKS = "how_it_works"
    TECHNICAL_PROBLEM = "technical_problem"
    ANSWER_REQUEST = "answer_request"
    OTHER = "other"


_ANSWER_REQUEST = re.compile(
    r"\b(answer|answers|hint|hints|clue|key points?|main points?|expected points?|"
    r"points? (?:should|do) i|what should i (?:say|mention|talk about|include)|"
    r"what do you want to hear|"
    r"correct|right response|solution|example response|model answer|help me (?:answer|with "
    r"(?:the|my) answer)|tell me what to say|how would you answer|am i right|is (?:this|that|my "
    r"answer) (?:right|good|ok|correct)|cheat|looking for|grading|rubric|expected)\b",
    re.IGNORECASE,
)
_KEYWORDS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (Intent.TECHNICAL_PROBLEM, re.compile(
        r"\b(can'?t hear|cannot hear|no sound|microphone|mic|camera|frozen|freez|crash|"
        r"not working|doesn'?t work|broken|error|stuck|audio|screen|volume|webcam|glitch)",
        re.IGNORECASE)),
    (Intent.REPHRASE, re.compile(r"\b(rephrase|reword|other words|explain the question|"
                                 r"don'?t understand|do not understand|what do you mean|"
                                 r"clarify|simpler|confus)", re.IGNORECASE)),
    (Intent.REPEAT, re.compile(r"\b(repeat|again|say that|didn'?t catch|missed the question|"
                               r"what was the question|read it|one more time|once more)",
                               re.IGNORECASE)),
    (Intent.TIME_LEFT, re.compile(r"\b(time left|how much time|how long|minutes? left|"
                                  r"seconds? left|time remaining|remaining time|hurry|clock|"
                                  r"time is left|running out)", re.IGNORECASE)),
    (Intent.HOW_IT_WORKS, re.compile(r"\b(how does (this|it) work|how many questions|what "
                                     r"happens|next question|skip|finish|done button|how do i "
                                     r"answer|format|process)", re.IGNORECASE)),
)
_EXAMPLES: dict[Intent, tuple[str, ...]] = {
    Intent.REPEAT: ("Can you repeat the question?", "Please say the question again.",
                    "I didn't hear the question."),
    Intent.REPHRASE: ("Can you put the question another way?", "I don't understand the question.",
                      "What does the question mean?"),
    Intent.TIME_LEFT: ("How much time do I have left?", "How long until the time runs out?"),
    Intent.HOW_IT_WORKS: ("How does this interview work?", "How many questions are there?",
                          "What do I do when I finish answering?"),
    Intent.TECHNICAL_PROBLEM: ("My microphone is not working.", "The screen froze.",
                               "I can't hear anything."),
    Intent.ANSWER_REQUEST: ("What's the answer?", "Give me a hint.", "What should I say?",
                            "What are the key points?"),
}
REFUSAL = ("I'm sorry, I can't give hints, answers or what the assessors look for. I can "
           "repeat or rephrase the question, tell you the time left, or report a technical "
           "problem.")


@dataclass(frozen=True, slots=True)
class HelpReply:
    intent: Intent
    text: str
    engine: str
    escalate: bool = False  # True: the invigilator should be told (technical problem)


def rephrase(question: str) -> str:
    """The question in other words, adding nothing: turn its opening into an instruction."""
    text = question.strip().rstrip("?")
    swaps = (
        (r"^how would you (.+)$", r"Describe the way you would \1."),
        (r"^how do you (.+)$", r"Describe the way you \1."),
        (r"^what is (.+)$", r"Explain \1."),
        (r"^what are (.+)$", r"Explain \1."),
        (r"^when would you (.+)$", r"Describe the situations in which you would \1."),
        (r"^tell me about (.+)$", r"Describe \1."),
        (r"^explain (.+)$", r"Describe \1."),
        (r"^describe (.+)$", r"Tell me about \1."),
    )
    for sentence_pattern, replacement in swaps:
        if re.match(sentence_pattern, text, re.IGNORECASE):
            return "In other words: " + re.sub(sentence_pattern, replacement, text,
                                                flags=re.IGNORECASE)
    return f"In other words, the question asks: {text}."


def how_it_works(settings: SessionSettings) -> str:
    minutes = settings.answer_seconds() / 60
    return (f"The interview has about {settings.question_count} questions, sometimes with a "
            f"short follow-up. Each question is read aloud and shown on screen; you have about "
            f"{minutes:.0f} minutes to answer by speaking. Press Done when you have finished, "
            "or the kiosk moves on when the time is up. Your answers are recorded and "
            "assessed afterwards.")


@dataclass
class HelpDesk:
    settings: SessionSettings = field(default_factory=SessionSettings)
    encoder_factory: Callable[[], MiniLmEncoder] = get_encoder
    remote: Callable[[str, Question, int | None], tuple[str, str]] | None = None
    engine_name: str = "offline-helpdesk"
    reports: list[str] = field(default_factory=list)

    def classify(self, message: str) -> Intent:
        if _ANSWER_REQUEST.search(message):
            return Intent.ANSWER_REQUEST
        for intent, pattern in _KEYWORDS:
            if pattern.search(message):
                return intent
        encoder = self.encoder_factory()
        labels = [i for i, examples in _EXAMPLES.items() for _ in examples]
        texts = [t for examples in _EXAMPLES.values() for t in examples]
        vectors = encoder.encode([*texts, message])
        sims = vectors[:-1] @ vectors[-1]
        best = int(np.argmax(sims))
        return labels[best] if float(sims[best]) >= _MIN_INTENT_SIMILARITY else Intent.OTHER

    def offline_reply(self, message: str, question: Question, seconds_left: int | None,
                      intent: Intent | None = None) -> HelpReply:
        intent = intent or self.classify(message)
        if intent == Intent.ANSWER_REQUEST:
            return HelpReply(intent, REFUSAL, self.engine_name)
        if intent == Intent.REPEAT:
            return HelpReply(intent, f"The question is: {question.text}", self.engine_name)
        if intent == Intent.REPHRASE:
            return HelpReply(intent, rephrase(question.text), self.engine_name)
        if intent == Intent.TIME_LEFT:
            if seconds_left is None:
                text = f"Each answer has about {self.settings.answer_seconds() // 60} minutes."
            else:
                minutes, seconds = divmod(max(0, seconds_left), 60)
                text = f"You have {minutes} min {seconds:02d} s left for this answer."
            return HelpReply(intent, text, self.engine_name)
        if intent == Intent.HOW_IT_WORKS:
            return HelpReply(intent, how_it_works(self.settings), self.engine_name)
        if intent == Intent.TECHNICAL_PROBLEM:
            self.reports.append(message[:500])
            return HelpReply(intent, "Thank you, I have told the invigilator about the problem; "
                             "they will come to help. Your time on this question is noted.",
                             self.engine_name, escalate=True)
        return HelpReply(intent, "I can repeat or rephrase the question, tell you the time "
                         "left, explain how the interview works, or report a technical "
                         "problem.", self.engine_name)

    def leaks_points(self, reply: str, question: Question) -> bool:
        """True when any reply sentence is close to an expected point, or quotes one."""
        if not question.expected_points:
            return False
        lowered = reply.lower()
        if any(p.lower()[:40] in lowered for p in question.expected_points):
            return True
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", reply) if s.strip()]
        if not sentences:
            return False
        vectors = self.encoder_factory().encode([*sentences, *question.expected_points])
        sims = vectors[: len(sentences)] @ vectors[len(sentences):].T
        return bool((sims >= LEAK_SIMILARITY).any())

    def reply(self, message: str, question: Question, seconds_left: int | None = None) -> HelpReply:
        intent = self.classify(message)
        if intent == Intent.ANSWER_REQUEST or self.remote is None:
            return self.offline_reply(message, question, seconds_left, intent)
        try:
            remote_intent, text = self.remote(message, question, seconds_left)
        except EngineError as error:
            _log.info("help assistant offline: %s", error)
            return self.offline_reply(message, question, seconds_left, intent)
        if remote_intent == Intent.ANSWER_REQUEST:
            return HelpReply(Intent.ANSWER_REQUEST, REFUSAL, self.engine_name)
        if self.leaks_points(text, question):
            _log.warning("help reply withheld: it came close to an expected point")
            return self.offline_reply(message, question, seconds_left, intent)
        if intent == Intent.TECHNICAL_PROBLEM or remote_intent == Intent.TECHNICAL_PROBLEM:
            self.reports.append(message[:500])
            return HelpReply(Intent.TECHNICAL_PROBLEM, text, "gemini", escalate=True)
        return HelpReply(Intent(remote_intent), text, "gemini")


__all__ = ["LEAK_SIMILARITY", "REFUSAL", "HelpDesk", "HelpReply", "Intent", "how_it_works",
           "rephrase"]
