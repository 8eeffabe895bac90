"""Offline answer scoring: credit for the expected points an answer states, judged point by point.

How a score is made:

1. The guard drops sentences addressed to the grader (and the result is penalised, so an
   attempt can only lower a score).
2. The rest is cut into units (sentences); units that state nothing — a restatement of the
   question, a list of terms, a template of labels and vague words (`statements`) — can earn
   no content credit, whatever their words.
3. MiniLM embeddings are the fast first pass: for each expected point, the statement units
   closest to it. A point nothing comes near is absent.
4. The judge (a small instruction model on the kiosk, `kiosk.brain.judge`) decides, for every
   other point, whether those units state it (covered), state its opposite (contradicted) or
   neither, naming the unit that shows it: that unit is the evidence, verbatim. Without the
   judge (no model, out of time, unreadable reply) the embeddings decide, as before: a close
   unit covers a point, partly when only fairly close.
5. Criteria come from the verdicts: relevance (the answer states enough correct points to
   answer the question), depth (the share of the points it states), both net of contradicted
   points; structure (organisation cues) and communication (fillers, pace, pauses) count in
   proportion to that content, so form without content earns little. Length is never credit.

The score says which path made it: `AnswerScore.engine` is `offline-judge` when the model
judged at least one point, else `offline-minilm`; the score and its `Assessment` carry every
point's verdict, evidence and who decided it. The embeddings pass alone gives a provisional
score (the fast one saved at once during an interview); the judge pass gives a final one when
the judge decided every point shown to it, else it stays provisional (an online re-score may
still replace it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from contract.guard import find_injections
from contract.rubric import Criterion, DecidedBy, Verdict
from kiosk.brain.embeddings import MiniLmEncoder, get_encoder
from kiosk.brain.judge.prompt import EXCERPT_UNITS
from kiosk.brain.statements import Unit, answer_units, rejects, statement_problem, words_of
from kiosk.domain.model import AnswerScore, CriterionScore, Question, QuestionKind, ScoredPoint

if TYPE_CHECKING:
    from kiosk.brain.judge.judge import JudgedPoint, PointJudge

ENGINE_NAME = "offline-minilm"
JUDGED_ENGINE_NAME = "offline-judge"
CHUNK_WORDS = 60
MAX_CHUNKS = 24
#: Statement units compared with the points; past this the opening two thirds and the ending
#: third are kept, since that is where answers state and conclude.
MAX_UNITS = 40
#: Best point-to-unit cosine that counts as not covered at all / fully covered (embeddings
#: path), chosen on the dev split only. Below COVER_LOW the judge is not asked either.
COVER_LOW = 0.2
COVER_HIGH = 0.45
#: Points whose closest unit is below this cosine are not shown to the judge (nothing in the
#: answer comes near them). Low, because MiniLM misses paraphrase: no sentence of an honest
#: answer saying "It was my mistake" comes closer than 0.19 to "I made a mistake and I owned
#: it honestly". Chosen on the dev split with SURE_LOW/SURE_HIGH: Spearman 0.901, excellent
#: minus wrong 7.7 points (7.0 at the 0.3 that the similarity-capped credit needed).
JUDGE_FLOOR = 0.2
#: The judge's confidence in "yes" (its probability among its three replies) that earns no
#: credit / full credit, chosen on the dev split only.
SURE_LOW = 0.6
SURE_HIGH = 0.9
#: Correct points that fully answer a question (relevance); depth wants all of them.
ENOUGH_POINTS = 3
#: A contradicted point cancels this many covered ones.
CONTRADICTION_WEIGHT = 1.0
#: Words of a unit per point it can state: a short sentence states one point at most, however
#: close it comes to several (credit beyond that is shared out among them).
WORDS_PER_POINT = 12
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
class PointVerdict:
    """What the answer does with one expected point, and why the scorer thinks so."""

    point: str
    verdict: Verdict
    evidence: str  # the answer's own words that show it, verbatim; "" when none
    credit: float  # 0-1 content credit (1 when covered; embeddings give partial credit)
    by: str  # "judge" | "embeddings"
    similarity: float  # best cosine of the point to a statement unit
    note: str = ""  # why the judge did not decide it, when it did not


@dataclass(frozen=True, slots=True)
class Assessment:
    """A score with what made it: the verdict on every point and the path that decided them."""

    score: AnswerScore
    points: tuple[PointVerdict, ...]
    path: str  # "judge" | "judge+embeddings" | "embeddings" | "none" (nothing to judge)
    judge_error: str  # why the judge did not run, "" when it did or was not needed
    dropped: tuple[str, ...]  # why units earned nothing ("repeats the question", ...)
    timings: dict[str, float]  # seconds: embed, judge, total

    @property
    def judged(self) -> bool:
        """The judge pass finished: every point worth asking it about was decided by it (the
        score is final). False for the embeddings pass, or when the judge was missing, failed,
        ran out of time or gave an unusable reply on a point."""
        return self.score is not None and not self.score.provisional


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _ramp(x: float, low: float, high: float) -> float:
    return _clip((x - low) / (high - low))


def _partial(similarity: float) -> float:
    """Credit for a point from how close the answer's words come to it: none below COVER_LOW,
    full from COVER_HIGH, in proportion between."""
    return _ramp(similarity, COVER_LOW, COVER_HIGH)


def chunk_texts(units: Sequence[str]) -> list[str]:
    """Consecutive units grouped into chunks of about CHUNK_WORDS: a point said across two short
    sentences is closer to both together than to either (embeddings path)."""
    chunks: list[str] = []
    current: list[str] = []
    for unit in units:
        if current and sum(len(c.split()) for c in current) + len(unit.split()) > CHUNK_WORDS:
            chunks.append(" ".join(current))
            current = []
        current.append(unit)
    if current:
        chunks.append(" ".join(current))
    if len(chunks) <= MAX_CHUNKS:
        return chunks
    head = MAX_CHUNKS * 2 // 3
    return chunks[:head] + chunks[len(chunks) - (MAX_CHUNKS - head):]


def _kept_units(units: list[Unit]) -> tuple[list[Unit], bool]:
    if len(units) <= MAX_UNITS:
        return units, False
    head = MAX_UNITS * 2 // 3
    return units[:head] + units[len(units) - (MAX_UNITS - head):], True


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


def _structure(texts: Sequence[str], kind: QuestionKind) -> float:
    """Organisation cues of the statement units, 0-1: several sentences, connectives, the parts
    of a story for behavioural questions, specifics (numbers), sentences of a readable size."""
    if not texts:
        return 0.0
    joined = " ".join(texts)
    words = len(joined.split())
    connectives = len(_CONNECTIVES.findall(joined))
    story = (len(_STAR.findall(joined))
             if kind in (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL) else connectives)
    specifics = len(_NUMBER.findall(joined))
    shape = 1.0 - _ramp(abs(words / len(texts) - 18.0), 10.0, 40.0)
    value = (0.3 * _ramp(len(texts), 1, 5) + 0.3 * _ramp(connectives, 0, 4)
             + 0.15 * _ramp(story, 0, 4) + 0.1 * _ramp(specifics, 0, 2) + 0.15 * shape)
    return value * (0.85 if words > 900 else 1.0)  # a 20-minute monologue is not structured


def _communication(text: str, words: int, metrics: Mapping[str, float]) -> float:
    speech = _speech_quality(metrics)
    fluency = 1.0 - _ramp(len(_FILLERS.findall(text)) / max(words, 1), 0.02, 0.12)
    return fluency if speech is None else 0.4 * fluency + 0.6 * speech


class OfflineScorer:
    """Scores one answer against one question's expected points; deterministic for a given
    judge model. Without a judge (`judge=None`) the embeddings decide every point."""

    def __init__(self, encoder: MiniLmEncoder | None = None,
                 judge: PointJudge | None = None) -> None:
        self._encoder = encoder
        self.judge = judge

    @property
    def encoder(self) -> MiniLmEncoder:
        if self._encoder is None:
            self._encoder = get_encoder()
        return self._encoder

    def score(self, question: Question, answer_id: str, text: str,
              metrics: Mapping[str, float] | None = None) -> AnswerScore:
        return self.assess(question, answer_id, text, metrics).score

    def assess(self, question: Question, answer_id: str, text: str,
               metrics: Mapping[str, float] | None = None, use_judge: bool = True) -> Assessment:
        """Score with the judge when there is one and `use_judge`; else by embeddings alone
        (the fast first pass, a few tens of milliseconds)."""
        started = time.perf_counter()
        report = find_injections(text)
        units = answer_units(report.kept)
        words = sum(len(words_of(u.text)) for u in units)
        if words == 0:
            return self._nothing(answer_id, report.detected, started, use_judge)
        problems = [statement_problem(u.text, question.text) for u in units]
        statements, truncated = _kept_units([u for u, p in zip(units, problems, strict=True)
                                             if not p])
        dropped = tuple(dict.fromkeys(p for p in problems if p))
        points = list(question.expected_points) or [question.text]
        verdicts, path, judge_error, timings = self._verdicts(question, points, statements,
                                                              use_judge)
        all_text = " ".join(u.text for u in units)
        criteria, confidence = self._criteria(question, verdicts, statements, all_text, words,
                                              metrics or {}, path, report.detected)
        feedback = self._feedback(verdicts, statements, dropped, words, truncated,
                                  report.detected)
        evidence = tuple(dict.fromkeys(
            v.evidence[:240] for v in verdicts
            if v.evidence and (v.verdict != Verdict.ABSENT or v.credit >= 0.5)
        ))[:3]
        engine = JUDGED_ENGINE_NAME if path.startswith("judge") else ENGINE_NAME
        final = self._judge_finished(use_judge, path, judge_error)
        score = AnswerScore(answer_id, criteria, feedback, evidence, engine, not final,
                            confidence, tuple(_scored_point(v) for v in verdicts), path)
        timings["total"] = round(time.perf_counter() - started, 4)
        return Assessment(score, tuple(verdicts), path, judge_error, dropped, timings)

    def _judge_finished(self, use_judge: bool, path: str, judge_error: str) -> bool:
        """Whether the judge pass is done with this answer: it was asked, did not fail, and
        decided every point shown to it (none ran out of time or got an unusable reply).
        Points no unit comes near are not shown to it: embeddings decide them for good."""
        if self.judge is None or not use_judge or judge_error:
            return False
        return path != "judge+embeddings"

    # -- verdicts --------------------------------------------------------------------------

    def _verdicts(
        self, question: Question, points: list[str], statements: list[Unit], use_judge: bool
    ) -> tuple[list[PointVerdict], str, str, dict[str, float]]:
        timings: dict[str, float] = {}
        if not statements:
            absent = [PointVerdict(p, Verdict.ABSENT, "", 0.0, "embeddings", 0.0)
                      for p in points]
            return absent, "none", "", timings
        started = time.perf_counter()
        texts = [u.text for u in statements]
        chunks = chunk_texts(texts)
        vectors = self.encoder.encode([*texts, *chunks, *points])
        unit_v = vectors[: len(texts)]
        chunk_v = vectors[len(texts) : len(texts) + len(chunks)]
        point_v = vectors[len(texts) + len(chunks) :]
        unit_sims = point_v @ unit_v.T
        best = np.maximum(unit_sims.max(axis=1), (point_v @ chunk_v.T).max(axis=1))
        timings["embed"] = round(time.perf_counter() - started, 4)
        # A point that is a question (a probe with no written points) cannot be rejected.
        claims = [not p.rstrip().endswith("?") for p in points]
        by_embeddings = [self._embedding_verdict(p, float(b), texts, unit_sims[i], claims[i])
                         for i, (p, b) in enumerate(zip(points, best, strict=True))]
        if self.judge is None or not use_judge:
            return (_share_units(by_embeddings), "embeddings",
                    "" if use_judge else "not asked", timings)
        asked = [i for i, b in enumerate(best) if float(b) >= JUDGE_FLOOR]
        if not asked:
            return _share_units(by_embeddings), "embeddings", "", timings
        items = []
        for i in asked:
            closest = sorted(np.argsort(-unit_sims[i])[:EXCERPT_UNITS].tolist())
            items.append((points[i], [texts[j] for j in closest]))
        started = time.perf_counter()
        try:
            judged = self.judge.judge(question.text, items)
        except Exception as error:  # the judge must never stop scoring: embeddings decide
            timings["judge"] = round(time.perf_counter() - started, 4)
            return (_share_units(by_embeddings), "embeddings",
                    f"{type(error).__name__}: {error}", timings)
        timings["judge"] = round(time.perf_counter() - started, 4)
        verdicts = list(by_embeddings)
        fell_back = False
        for i, result in zip(asked, judged, strict=True):
            evidence = texts[int(np.argmax(unit_sims[i]))]
            verdict = self._judge_verdict(by_embeddings[i], result, evidence, claims[i])
            fell_back = fell_back or verdict.by != "judge"
            verdicts[i] = verdict
        if not any(v.by == "judge" for v in verdicts):
            return _share_units(verdicts), "embeddings", "the judge decided no point", timings
        return (_share_units(verdicts), "judge+embeddings" if fell_back else "judge", "",
                timings)

    @staticmethod
    def _embedding_verdict(point: str, best: float, texts: list[str], sims: np.ndarray,
                           is_claim: bool) -> PointVerdict:
        credit = _partial(best)
        evidence = texts[int(np.argmax(sims))] if credit > 0 else ""
        if evidence and is_claim and rejects(evidence, point):
            # Close in words, but saying not to: no credit. (Only the judge, which reads the
            # words, may call it a contradiction and take credit away.)
            return PointVerdict(point, Verdict.ABSENT, "", 0.0, "embeddings", round(best, 4),
                                "close in words, but the answer says not to")
        verdict = Verdict.COVERED if best >= COVER_HIGH else Verdict.ABSENT
        return PointVerdict(point, verdict, evidence, round(credit, 3), "embeddings",
                            round(best, 4))

    @staticmethod
    def _judge_verdict(fallback: PointVerdict, result: JudgedPoint | None, evidence: str,
                       is_claim: bool) -> PointVerdict:
        """The judge's verdict, with the unit closest to the point as its evidence."""
        point, similarity = fallback.point, fallback.similarity
        if result is None:
            return _noted(fallback, "the judge ran out of time for this point")
        verdict = result.reply.verdict
        if verdict is None:
            return _noted(fallback, f"the judge's reply was unusable: {result.reply.error}")
        if verdict == Verdict.CONTRADICTED:
            return PointVerdict(point, verdict, evidence, 0.0, "judge", similarity)
        if verdict == Verdict.COVERED:
            if is_claim and rejects(evidence, point):
                return PointVerdict(point, Verdict.ABSENT, "", 0.0, "judge", similarity,
                                    "judged covered, but the words say not to: not counted")
            # The model says yes too readily to words that share only a topic with the point,
            # but then it is unsure: credit follows its own confidence. (A runtime that
            # reports no probabilities falls back on the embeddings agreeing.)
            confidence = result.reply.confidence
            if confidence is None:
                credit = _partial(similarity)
            elif (credit := _ramp(confidence, SURE_LOW, SURE_HIGH)) <= 0:
                return PointVerdict(point, Verdict.ABSENT, "", 0.0, "judge", similarity,
                                    f"judged covered, but unsure ({confidence:.0%}): not counted")
            return PointVerdict(point, verdict, evidence, round(credit, 3), "judge", similarity)
        if is_claim and rejects(evidence, point):
            # The model answers "no" where it should say "opposite" once the negation sits in a
            # long sentence (measured: "I did not tell anyone about the mistake" against "I owned
            # the mistake"). It has read the words and found the point unsaid; the clause that
            # speaks about the point negates it: that is a contradiction, not a silence.
            return PointVerdict(point, Verdict.CONTRADICTED, evidence, 0.0, "judge", similarity,
                                "the words about this point say the opposite")
        return PointVerdict(point, Verdict.ABSENT, "", 0.0, "judge", similarity)

    # -- criteria --------------------------------------------------------------------------

    @staticmethod
    def _criteria(
        question: Question, verdicts: list[PointVerdict], statements: list[Unit],
        all_text: str, words: int, metrics: Mapping[str, float], path: str, injected: bool,
    ) -> tuple[tuple[CriterionScore, ...], float]:
        n = len(verdicts)
        credit = sum(v.credit for v in verdicts)
        contradicted = sum(v.verdict == Verdict.CONTRADICTED for v in verdicts)
        net = max(0.0, credit - CONTRADICTION_WEIGHT * contradicted)
        answered = _clip(net / min(n, ENOUGH_POINTS)) ** 0.8
        depth = _clip(net / n) ** 0.8
        structure = _structure([u.text for u in statements], question.kind)
        communication = _communication(all_text, words, metrics)
        values = {  # form counts in proportion to content: a well-told nothing is nothing
            Criterion.RELEVANCE: 10 * answered,
            Criterion.DEPTH: 10 * depth,
            Criterion.STRUCTURE: 10 * structure * answered,
            Criterion.COMMUNICATION: 10 * communication * answered,
        }
        if injected:
            values = {c: v * INJECTION_PENALTY for c, v in values.items()}
        covered = sum(v.verdict == Verdict.COVERED for v in verdicts)
        rationale = {
            Criterion.RELEVANCE: (f"states {covered} of {n} expected points"
                                  + (f", contradicts {contradicted}" if contradicted else "")),
            Criterion.DEPTH: f"point credit {credit:.1f} of {n}, net of contradictions {net:.1f}",
            Criterion.STRUCTURE: (f"{len(statements)} statements; organisation cues "
                                  f"{structure:.2f}, weighed by content"),
            Criterion.COMMUNICATION: (f"fluency {communication:.2f} (fillers, pace and pauses "
                                      "where measured), weighed by content"),
        }
        criteria = tuple(CriterionScore(c, round(min(10.0, max(0.0, v)), 1), rationale[c])
                         for c, v in values.items())
        judged = sum(v.by == "judge" for v in verdicts) / n
        if path.startswith("judge"):
            confidence = 0.55 + 0.3 * judged
        else:
            confidence = 0.35 + 0.2 * float(np.mean([_clip(abs(v.similarity - 0.32) / 0.2)
                                                     for v in verdicts]))
        return criteria, round(_clip(confidence - (0.2 if injected else 0.0)), 2)

    @staticmethod
    def _feedback(verdicts: list[PointVerdict], statements: list[Unit], dropped: tuple[str, ...],
                  words: int, truncated: bool, injected: bool) -> str:
        parts = []
        covered = [v.point for v in verdicts if v.verdict == Verdict.COVERED]
        contradicted = [v for v in verdicts if v.verdict == Verdict.CONTRADICTED]
        missed = [v.point for v in verdicts if v.verdict == Verdict.ABSENT]
        if not statements:
            reasons = " and ".join(dropped) or "says nothing specific"
            parts.append(f"The answer states nothing that earns credit: it {reasons}.")
        else:
            if covered:
                parts.append(f"Covered: {'; '.join(covered[:3])}.")
            if contradicted:
                said = "; ".join(f'{v.point} (the answer says: "{v.evidence[:120]}")'
                                 for v in contradicted[:3])
                parts.append(f"Contradicts: {said}.")
            if missed:
                parts.append(f"Not covered: {'; '.join(missed[:3])}.")
            if dropped:
                parts.append(f"Parts of the answer earned nothing: {', '.join(dropped)}.")
        if words < 25:
            parts.append("The answer is very short.")
        if truncated:
            parts.append("The answer was very long; its opening and ending were assessed.")
        if injected:
            parts.append("Text addressed to the grader was ignored and lowered the score.")
        return " ".join(parts) or "Answer assessed."

    def _nothing(self, answer_id: str, injected: bool, started: float,
                 use_judge: bool) -> Assessment:
        reason = ("the answer contained only text addressed to the grader, which was ignored"
                  if injected else "no answer was given")
        criteria = tuple(CriterionScore(c, 0.0, reason) for c in Criterion)
        # nothing to judge: final as soon as the judge pass would have run
        final = self.judge is not None and use_judge
        score = AnswerScore(answer_id, criteria, reason.capitalize() + ".", (), ENGINE_NAME,
                            not final, 0.9, (), "none")
        return Assessment(score, (), "none", "", (),
                          {"total": round(time.perf_counter() - started, 4)})


def _share_units(verdicts: list[PointVerdict]) -> list[PointVerdict]:
    """Cap the credit one unit earns across points at one point per WORDS_PER_POINT words."""
    total: dict[str, float] = {}
    for v in verdicts:
        if v.evidence and v.credit > 0:
            total[v.evidence] = total.get(v.evidence, 0.0) + v.credit
    out = []
    for v in verdicts:
        cap = max(1.0, len(v.evidence.split()) / WORDS_PER_POINT)
        if v.evidence and total.get(v.evidence, 0.0) > cap:
            share = round(v.credit * cap / total[v.evidence], 3)
            v = PointVerdict(v.point, v.verdict, v.evidence, share, v.by, v.similarity, v.note)
        out.append(v)
    return out


def _scored_point(verdict: PointVerdict) -> ScoredPoint:
    """A point's verdict as the score keeps it (the record, the report and the hub)."""
    return ScoredPoint(verdict.point, verdict.verdict, verdict.evidence,
                       DecidedBy(verdict.by), verdict.note)


def _noted(verdict: PointVerdict, note: str) -> PointVerdict:
    return PointVerdict(verdict.point, verdict.verdict, verdict.evidence, verdict.credit,
                        verdict.by, verdict.similarity, note)


__all__ = ["ENGINE_NAME", "INJECTION_PENALTY", "JUDGED_ENGINE_NAME", "Assessment",
           "OfflineScorer", "PointVerdict", "chunk_texts"]
