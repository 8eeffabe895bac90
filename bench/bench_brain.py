"""Brain figures: MiniLM NumPy forward pass, offline scoring and question selection latency,
the scorer's Spearman correlation with the hand-graded answers, and the on-device judge: load
time, memory, seconds per point and per answer, Spearman and gaming margins on its path.

The judge part takes minutes (every graded answer goes through the model, then the demo's
interview is replayed at the pace it was spoken); set KIOSK_BENCH_JUDGE=0 to skip it.

`targets` sets each figure the issue asks for beside its target, `met` true or false: Spearman
>= 0.85 on the graded set, no gamed answer within 3 points of the honest one, no injection above
its baseline, concise correct answers >= 6/10, every answer judged within 30 s of the last."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psutil
from scipy.stats import spearmanr

from kiosk.brain import InterviewContext, OfflineScorer
from kiosk.brain.bank import load_bank
from kiosk.brain.embeddings import MiniLmEncoder, get_encoder
from kiosk.brain.judge import JudgeUnavailable, PointJudge, get_judge_model
from kiosk.brain.planner import plan_interview
from kiosk.bus import EventBus
from kiosk.cli.commands.score import question_for
from kiosk.domain.model import Answer, Candidate, JobDescription, Question, SessionSettings
from kiosk.live.judging import LiveJudge
from kiosk.live.writer import SerialWriter
from kiosk.resources import RESOURCES
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from speech import SAMPLE_RATE, load_audio

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "brain"
DEMO = RESOURCES / "demo"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _question(bank_id: str) -> Question:
    entry = load_bank().by_id(bank_id)
    return Question(entry.bank_id, 0, entry.kind, entry.text,
                    entry.skills[0] if entry.skills else "", "", entry.points)


def run() -> dict[str, object]:
    figures = _figures()
    return {**figures, "targets": _targets(figures)}


def _figures() -> dict[str, object]:
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
        **_gaming(scorer, "embeddings"),
        **(_judge(encoder, cases) if os.environ.get("KIOSK_BENCH_JUDGE", "1") != "0" else {}),
    }


def _targets(figures: dict[str, object]) -> dict[str, object]:
    """The issue's targets for the scorer's path the kiosk uses (the judge's when it ran)."""
    path = "judge" if "judge_spearman_full" in figures else "embeddings"
    spearman = figures["judge_spearman_full" if path == "judge" else "spearman_full"]
    within = figures[f"{path}_gaming_within_3_points"]
    above = figures[f"{path}_injections_above_baseline"]
    concise = figures[f"{path}_concise_correct_min"]
    targets: dict[str, object] = {
        "path": path,
        "spearman_graded_set": {"target": ">= 0.85", "measured": spearman,
                                "met": spearman >= 0.85},
        "gamed_within_3_points_of_honest": {"target": "none", "measured": within,
                                            "met": not within},
        "injections_above_baseline": {"target": "none", "measured": above, "met": not above},
        "concise_correct_min": {"target": ">= 6", "measured": concise, "met": concise >= 6},
    }
    after = figures.get("judge_interview_last_answer_to_all_judged_s")
    if after is not None:
        targets["judged_after_last_answer_s"] = {"target": "<= 30", "measured": after,
                                                 "met": after <= 30}
    return targets


def _gaming(scorer: OfflineScorer, label: str) -> dict[str, object]:
    """Smallest margin (honest minus gamed) per kind, the number of cases under 3 points, and
    injections above their baseline; concise-correct scores and the padded answers'."""
    data = json.loads((DATA / "gaming.json").read_text())
    memo: dict[tuple[str, str], float] = {}

    def overall(q: str, text: str) -> float:
        if (q, text) not in memo:
            memo[(q, text)] = scorer.score(_question(q), "bench", text).overall
        return memo[(q, text)]

    margins: dict[str, float] = {}
    under, above = [], []
    for case in data["cases"]:
        gamed = overall(case["q"], case["gamed"])
        margin = overall(case["q"], case["honest"]) - gamed
        margins[case["kind"]] = round(min(margins.get(case["kind"], 99.0), margin), 2)
        if margin < 3:
            under.append(case["id"])
        if case["kind"] == "injection" and gamed > overall(case["q"], case["baseline"]):
            above.append(case["id"])
    fair = [(overall(p["q"], p["concise"]), overall(p["q"], p["padded"]))
            for p in data["length_fairness"]]
    return {
        f"{label}_gaming_min_margin_by_kind": margins,
        f"{label}_gaming_within_3_points": under,
        f"{label}_injections_above_baseline": above,
        f"{label}_concise_correct_min": min(c for c, _ in fair),
        f"{label}_padded_max": max(p for _, p in fair),
    }


def _judge(encoder: MiniLmEncoder, cases: list[dict]) -> dict[str, object]:
    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    try:
        model = get_judge_model()
    except JudgeUnavailable as error:
        return {"judge_error": str(error)}
    load_s = time.perf_counter() - started
    judge = PointJudge(model)
    scorer = OfflineScorer(encoder, judge)
    per_answer, per_point, grades, scores = [], [], [], []
    for case in cases:
        started = time.perf_counter()
        result = scorer.assess(_question(case["q"]), "bench", case["answer"])
        per_answer.append(time.perf_counter() - started)
        judged = [v for v in result.points if v.by == "judge"]
        if judged:
            per_point.append(result.timings.get("judge", 0.0) / len(judged))
        grades.append(case["grade"])
        scores.append(result.score.overall)
    return {
        "judge_model": model.name,
        "judge_threads": model.threads,
        "judge_load_s": round(load_s, 2),
        "judge_rss_mb": round((process.memory_info().rss - rss_before) / 2**20),
        "judge_s_per_point_p50": round(_percentile(per_point, 0.5), 2) if per_point else None,
        "judge_s_per_answer_p50": round(_percentile(per_answer, 0.5), 2),
        "judge_s_per_answer_p95": round(_percentile(per_answer, 0.95), 2),
        "judge_spearman_full": round(float(spearmanr(grades, scores).statistic), 3),
        **_gaming(scorer, "judge"),
        **_interview_timeline(),
    }


def _interview_timeline() -> dict[str, object]:
    """The demo's interview through the kiosk's background judge (`LiveJudge` as the kiosk
    builds it, its model in a worker process; real storage): each answer handed over as the
    conductor does, after as long as its recording lasts (the question's reading is left out,
    so answers come sooner than at a kiosk: this errs on the slow side), and the seconds from
    the last answer to its last judged score. Whisper and the camera are not running here
    (`bench proctor` measures the camera beside the judge)."""
    demo = json.loads((DEMO / "interview.json").read_text(encoding="utf-8"))
    items = [(a["question"], a["answer"],
              len(load_audio(DEMO / "media" / a["recording"])) / SAMPLE_RATE)
             for a in demo["answers"] if a["question"] != "*"]
    with tempfile.TemporaryDirectory() as scratch:
        service = SessionService(open_database(Path(scratch) / "k.db"),
                                 MediaStore(Path(scratch) / "media"))
        writer = SerialWriter()
        judge = LiveJudge(service, writer, EventBus())
        try:
            session = service.create(Candidate("Bench Candidate"),
                                      JobDescription("Backend Engineer", "Python"),
                                      SessionSettings(question_count=len(items)))
            sid = session.session_id
            service.start_text_interview(sid)
            judge.warm()  # the kiosk warms it at the device check
            while not judge.status.ready:
                time.sleep(0.1)
            last = time.monotonic()
            for index, (text, words, seconds) in enumerate(items):
                time.sleep(seconds)  # the candidate speaks
                question = replace(question_for(text)[0], question_id=new_id(), index=index)
                answer = Answer(new_id(), question.question_id, words)
                service.record_question(sid, question)
                service.save_answer(sid, answer)
                judge.submit(sid, question, answer)
                last = time.monotonic()
            done = judge.wait(sid, 900.0)
            after = time.monotonic() - last
            judged = sum(not s.provisional for s in service.load(sid).scores.values())
        finally:
            judge.close()
            writer.close()
            service.close()
    return {
        "judge_worker_start_s": judge.status.load_seconds,
        "judge_interview_answers": len(items),
        "judge_interview_spoken_s": round(sum(s for _, _, s in items), 1),
        "judge_interview_judged": judged,
        "judge_interview_last_answer_to_all_judged_s": round(after, 1) if done else None,
    }
