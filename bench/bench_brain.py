"""Brain figures: MiniLM NumPy forward pass, offline scoring and question selection latency,
and the scorer's Spearman correlation with the hand-graded answers."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from scipy.stats import spearmanr

from kiosk.brain import InterviewContext, OfflineScorer
from kiosk.brain.bank import load_bank
from kiosk.brain.embeddings import get_encoder
from kiosk.brain.planner import plan_interview
from kiosk.domain.model import Question

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "brain"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _question(bank_id: str) -> Question:
    entry = load_bank().by_id(bank_id)
    return Question(entry.bank_id, 0, entry.kind, entry.text,
                    entry.skills[0] if entry.skills else "", "", entry.points)


def run() -> dict[str, object]:
    started = time.perf_counter()
    encoder = get_encoder()
    load_s = time.perf_counter() - started
    sentences = [f"Sentence {i}: we cached reads in Redis and invalidated keys on every write."
                 for i in range(64)]
    started = time.perf_counter()
    encoder._encode_uncached(sentences)
    batch_ms = (time.perf_counter() - started) * 1000 / len(sentences)
    singles = []
    for sentence in sentences[:16]:
        started = time.perf_counter()
        encoder._encode_uncached([sentence])
        singles.append((time.perf_counter() - started) * 1000)

    cases = json.loads((DATA / "labelled_answers.json").read_text())["cases"]
    scorer = OfflineScorer(encoder)
    latencies, grades, scores, holdout = [], [], [], []
    for case in cases:
        question = _question(case["q"])
        started = time.perf_counter()
        score = scorer.score(question, "bench", case["answer"])
        latencies.append((time.perf_counter() - started) * 1000)
        grades.append(case["grade"])
        scores.append(score.overall)
        if case["split"] == "holdout":
            holdout.append((case["grade"], score.overall))
    long_answer = " ".join([cases[0]["answer"]] * 30)
    started = time.perf_counter()
    scorer.score(_question(cases[0]["q"]), "bench", long_answer)
    long_ms = (time.perf_counter() - started) * 1000

    context = InterviewContext.build((DATA / "resume_backend.txt").read_text(),
                                     (DATA / "jd_backend.txt").read_text())
    plan_ms = []
    for _ in range(20):
        started = time.perf_counter()
        plan_interview(context, "bench")
        plan_ms.append((time.perf_counter() - started) * 1000)
    return {
        "embedding_load_s": round(load_s, 3),
        "embedding_ms_per_sentence_batched": round(batch_ms, 2),
        "embedding_ms_single_sentence_median": round(statistics.median(singles), 2),
        "score_answer_ms_p50": round(_percentile(latencies, 0.5), 1),
        "score_answer_ms_p95": round(_percentile(latencies, 0.95), 1),
        "score_answer_ms_3000_words": round(long_ms, 1),
        "plan_ms_p50": round(_percentile(plan_ms, 0.5), 2),
        "plan_ms_p95": round(_percentile(plan_ms, 0.95), 2),
        "labelled_cases": len(cases),
        "spearman_full": round(float(spearmanr(grades, scores).statistic), 3),
        "spearman_holdout": round(float(spearmanr([g for g, _ in holdout],
                                                  [s for _, s in holdout]).statistic), 3),
    }
