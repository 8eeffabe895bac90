"""Offline answer scoring: MiniLM similarity to the expected points plus text and speech cues.

Why these features: the expected points say what a good answer covers, so the share of points
an answer's sentences come close to measures depth; similarity to the question measures
relevance; sentence count, connectives and length measure structure; speech metrics (pace,
fillers, pauses) measure communication when the answer was spoken. Relevance gates the others,
so a fluent, well-structured answer to another question cannot score high.

Manipulation: sentences the guard flags are dropped before any feature is computed and the
result is penalised, so an attempt can only lower a score. Long answers are cut into chunks and
at most `MAX_CHUNKS` of them are embedded (the opening and the ending), which keeps a
20-minute answer under a second or two. Offline scores are provisional.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from contract.guard import Sentence, clean_visible, find_injections
from contract.rubric import Criterion
from kiosk.brain.embeddings import MiniLmEncoder, get_encoder
from kiosk.domain.model import AnswerScore, CriterionScore, Question, QuestionKind

ENGINE_NAME = "offline-minilm"
CHUNK_WORDS = 60
MAX_CHUNKS = 24
#: Sentences (of at least MIN_UNIT_WORDS words) matched one by one against the points.
MAX_UNITS = 40
MIN_UNIT_WORDS = 4
#: Best point-to-sentence cosine that counts as not covered at all / fully covered. Chosen on
#: the dev split only; a point said in one's own words lands around 0.4-0.6, an unrelated
#: sentence below 0.2.
COVER_LOW = 0.2
COVER_HIGH = 0.45
#: Answer length (words) from which length starts to count, and at which it counts fully. A
#: follow-up asks one narrower thing, so a complete answer to it is about half as long.
LEN_LOW = 12
LEN_HIGH = 140
FOLLOW_UP_LEN_HIGH = 70
#: Every criterion of an answer that tried to instruct the grader is multiplied by this.
INJECTION_PENALTY = 0.6

_CONNECTIVES = re.compile(
    r"\b(first(ly)?|second(ly)?|third|then|next|finally|after that|because|so that|therefore|"
    r"as a result|for example|for instance|such as|however|but|instead|which meant|"
    r"in the end|overall|also|while|if|when|to do that|that way)\b",
    re.IGNORECASE,
)
_STAR = re.compile(
    r"\b(situation|context|task|goal|i (decided|proposed|led|built|wrote|talked|set up|"
    r"asked|worked)|result(ed)?|outcome|learned|learnt|impact|reduced|increased|improved)\b",
    re.IGNORECASE,
)
_FILLERS = re.compile(r"\b(um+|uh+|er+m?|ah+|like,|you know|i mean|sort of|kind of|basically)\b",
                      re.IGNORECASE)
_NUMBER = re.compile(r"\b\d+(\.\d+)?\s*(%|ms|s|x|k|m|gb|mb|percent|seconds|minutes|hours|days)?\b")


@dataclass(frozen=True, slots=True)
class ScoreFeatures:
    """The measured inputs behind a score, kept for explanations and for tests."""

    words: int
    sentences: int
    coverage: float  # 0-1, mean over expected points
    point_best: tuple[float, ...]  # best cosine per expected point
    relevance: float  # 0-1
    length: float  # 0-1
    structure: float  # 0-1
    communication: float  # 0-1
    injection: tuple[str, ...]
    truncated: bool


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _ramp(x: float, low: float, high: float) -> float:
    return _clip((x - low) / (high - low))


def chunk_sentences(sentences: Sequence[str]) -> tuple[list[str], list[int], bool]:
    """Group sentences into chunks of about CHUNK_WORDS, returning the chunks, the index of the
    sentence each chunk starts with, and whether chunks were dropped. Past MAX_CHUNKS the
    opening and the ending are kept, since that is where answers state and conclude."""
    chunks: list[str] = []
    owners: list[int] = []
    current: list[str] = []
    owner = 0
    for index, sentence in enumerate(sentences):
        words = sentence.split()
        while len(words) > CHUNK_WORDS:  # one run-on "sentence" from a transcript
            if current:
                chunks.append(" ".join(current))
                owners.append(owner)
                current = []
            chunks.append(" ".join(words[:CHUNK_WORDS]))
            owners.append(index)
            words = words[CHUNK_WORDS:]
        if current and sum(len(c.split()) for c in current) + len(words) > CHUNK_WORDS:
            chunks.append(" ".join(current))
            owners.append(owner)
            current = []
        if not current:
            owner = index
        if words:
            current.append(" ".join(words))
    if current:
        chunks.append(" ".join(current))
        owners.append(owner)
    if len(chunks) <= MAX_CHUNKS:
        return chunks, owners, False
    head = MAX_CHUNKS * 2 // 3
    keep = list(range(head)) + list(range(len(chunks) - (MAX_CHUNKS - head), len(chunks)))
    return [chunks[i] for i in keep], [owners[i] for i in keep], True


def sentence_units(sentences: Sequence[str]) -> list[str]:
    """The sentences an expected point can be matched against on its own: a point is usually
    said in one sentence, and inside a 60-word chunk its similarity is diluted by the rest.
    Fragments under MIN_UNIT_WORDS ("Sure.") are skipped; past MAX_UNITS the opening two
    thirds and the ending third are kept, as for chunks."""
    units = [s for s in sentences if len(s.split()) >= MIN_UNIT_WORDS]
    if len(units) <= MAX_UNITS:
        return units
    head = MAX_UNITS * 2 // 3
    return units[:head] + units[len(units) - (MAX_UNITS - head):]


def _speech_quality(metrics: Mapping[str, float]) -> float | None:
    parts = []
    wpm = metrics.get("words_per_minute")
    if wpm is not None and wpm > 0:
        if wpm < 110:
            parts.append(_ramp(wpm, 60, 110))
        else:
            parts.append(1.0 - _ramp(wpm, 180, 240))
    filler = metrics.get("filler_ratio")
    if filler is not None:
        parts.append(1.0 - _ramp(filler, 0.02, 0.12))
    pause = metrics.get("longest_pause")
    if pause is not None:
        parts.append(1.0 - 0.7 * _ramp(pause, 3.0, 12.0))
    return sum(parts) / len(parts) if parts else None


class OfflineScorer:
    """Deterministic scoring of one answer against one question's expected points."""

    def __init__(self, encoder: MiniLmEncoder | None = None) -> None:
        self._encoder = encoder

    @property
    def encoder(self) -> MiniLmEncoder:
        if self._encoder is None:
            self._encoder = get_encoder()
        return self._encoder

    def features(
        self, question: Question, text: str, metrics: Mapping[str, float] | None = None
    ) -> tuple[ScoreFeatures, list[Sentence], np.ndarray | None, list[int]]:
        report = find_injections(text)
        kept = list(report.kept)
        visible = [clean_visible(s.text) for s in kept]
        words = sum(len(v.split()) for v in visible)
        if words == 0:
            empty = ScoreFeatures(0, 0, 0.0, (), 0.0, 0.0, 0.0, 0.0, report.kinds, False)
            return empty, kept, None, []
        chunks, owners, truncated = chunk_sentences(visible)
        units = sentence_units(visible)
        points = list(question.expected_points) or [question.text]
        prompt = f"{question.text} {question.skill}".strip()
        vectors = self.encoder.encode([*chunks, *units, *points, prompt])
        chunk_v = vectors[: len(chunks)]
        unit_v = vectors[len(chunks) : len(chunks) + len(units)]
        point_v = vectors[len(chunks) + len(units) : -1]
        question_v = vectors[-1]
        sims = point_v @ chunk_v.T
        best = sims.max(axis=1)
        if len(units):
            best = np.maximum(best, (point_v @ unit_v.T).max(axis=1))
        coverage = float(np.mean([_ramp(float(b), COVER_LOW, COVER_HIGH) for b in best]))
        whole = chunk_v.mean(axis=0)
        whole /= max(float(np.linalg.norm(whole)), 1e-9)
        rel_sim = max(float(question_v @ whole), float(np.sort(chunk_v @ question_v)[-1]) * 0.9)
        relevance = _ramp(max(rel_sim, float(best.max()) * 0.9), 0.12, 0.55)
        full_length = FOLLOW_UP_LEN_HIGH if question.kind == QuestionKind.FOLLOW_UP else LEN_HIGH
        length = _ramp(math.log(max(words, 1)), math.log(LEN_LOW), math.log(full_length))
        joined = " ".join(visible)
        sentences = len(visible)
        connectives = len(_CONNECTIVES.findall(joined))
        star = len(_STAR.findall(joined)) if question.kind in (
            QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL) else connectives
        specifics = len(_NUMBER.findall(joined))
        avg_len = words / max(sentences, 1)
        sentence_shape = 1.0 - _ramp(abs(avg_len - 18.0), 10.0, 40.0)
        structure = (0.3 * _ramp(sentences, 1, 5) + 0.3 * _ramp(connectives, 0, 4)
                     + 0.15 * _ramp(star, 0, 4) + 0.1 * _ramp(specifics, 0, 2)
                     + 0.15 * sentence_shape)
        if words > 900:  # rambling: a 20-minute monologue is not a well-structured answer
            structure *= 0.85
        speech = _speech_quality(metrics or {})
        filler_share = len(_FILLERS.findall(joined)) / max(words, 1)
        text_fluency = 1.0 - _ramp(filler_share, 0.02, 0.12)
        communication = text_fluency if speech is None else 0.4 * text_fluency + 0.6 * speech
        features = ScoreFeatures(
            words, sentences, round(coverage, 4), tuple(round(float(b), 4) for b in best),
            round(relevance, 4), round(length, 4), round(structure, 4), round(communication, 4),
            report.kinds, truncated,
        )
        return features, kept, sims, owners

    def score(
        self,
        question: Question,
        answer_id: str,
        text: str,
        metrics: Mapping[str, float] | None = None,
    ) -> AnswerScore:
        f, kept, sims, owners = self.features(question, text, metrics)
        if f.words == 0:
            reason = ("the answer contained only text addressed to the grader, which was ignored"
                      if f.injection else "no answer was given")
            criteria = tuple(CriterionScore(c, 0.0, reason) for c in Criterion)
            return AnswerScore(answer_id, criteria, reason.capitalize() + ".", (), ENGINE_NAME,
                               True, 0.9)
        gate = _ramp(f.relevance, 0.05, 0.6)
        fill = _ramp(f.words, 3, 30)
        relevance = 10 * (0.65 * f.relevance + 0.35 * f.coverage) * (0.4 + 0.6 * fill)
        depth = 10 * (f.coverage ** 0.9) * (0.35 + 0.65 * f.length) * (0.5 + 0.5 * gate)
        structure = 10 * f.structure * (0.3 + 0.7 * gate) * (0.3 + 0.7 * f.length)
        communication = 10 * f.communication * (0.3 + 0.7 * gate) * (0.4 + 0.6 * f.length)
        values = {Criterion.RELEVANCE: relevance, Criterion.DEPTH: depth,
                  Criterion.STRUCTURE: structure, Criterion.COMMUNICATION: communication}
        if f.injection:
            values = {c: v * INJECTION_PENALTY for c, v in values.items()}
        covered = [p for p, b in zip(question.expected_points, f.point_best, strict=False)
                   if b >= COVER_HIGH]
        missed = [p for p, b in zip(question.expected_points, f.point_best, strict=False)
                  if b < COVER_HIGH]
        criteria = tuple(
            CriterionScore(c, round(min(10.0, max(0.0, v)), 1), self._rationale(c, f))
            for c, v in values.items()
        )
        evidence = self._evidence(kept, sims, owners)
        feedback = self._feedback(f, covered, missed)
        confidence = 0.35 + 0.35 * f.length + 0.2 * gate - (0.2 if f.injection else 0.0)
        return AnswerScore(answer_id, criteria, feedback, evidence, ENGINE_NAME, True,
                           round(_clip(confidence), 2))

    @staticmethod
    def _rationale(criterion: Criterion, f: ScoreFeatures) -> str:
        if criterion == Criterion.RELEVANCE:
            return f"similarity to the question {f.relevance:.2f}, point coverage {f.coverage:.2f}"
        if criterion == Criterion.DEPTH:
            return f"covers {f.coverage:.0%} of the expected points; {f.words} words"
        if criterion == Criterion.STRUCTURE:
            return f"{f.sentences} sentences; organisation cues {f.structure:.2f}"
        return f"fluency {f.communication:.2f} (fillers, pace and pauses where measured)"

    @staticmethod
    def _evidence(
        kept: list[Sentence], sims: np.ndarray | None, owners: list[int]
    ) -> tuple[str, ...]:
        """Verbatim sentences opening the chunks closest to the expected points (at most 3)."""
        if sims is None or not kept:
            return ()
        strength = sims.max(axis=0)
        best_chunks = sorted(range(len(owners)), key=lambda i: (-float(strength[i]), i))[:3]
        quoted = sorted({owners[i] for i in best_chunks if float(strength[i]) >= 0.3})
        return tuple(kept[i].text[:240] for i in quoted)

    @staticmethod
    def _feedback(f: ScoreFeatures, covered: list[str], missed: list[str]) -> str:
        parts = []
        if f.relevance < 0.35:
            parts.append("The answer does not address the question asked.")
        elif covered:
            parts.append(f"Covered: {'; '.join(covered[:3])}.")
        if missed and f.relevance >= 0.35:
            parts.append(f"Not covered: {'; '.join(missed[:3])}.")
        if f.words < 25:
            parts.append("The answer is very short.")
        if f.truncated:
            parts.append("The answer was very long; its opening and ending were assessed.")
        if f.injection:
            parts.append("Text addressed to the grader was ignored and lowered the score.")
        return " ".join(parts) or "Answer assessed."


__all__ = ["ENGINE_NAME", "INJECTION_PENALTY", "OfflineScorer", "ScoreFeatures",
           "chunk_sentences"]
