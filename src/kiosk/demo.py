"""`make demo`: one complete sample session through the lifecycle and storage, ending in a PDF.

Everything comes from `resources/demo/` and is labelled SAMPLE DATA in the report. Pieces that
the live pipeline will produce (identity check, proctoring events, scores) are taken from the
bundled sample file until their engines are wired in.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    Criterion,
    CriterionScore,
    FinalEvaluation,
    IdCheck,
    JobDescription,
    ProctoringEvent,
    Question,
    QuestionKind,
    Recommendation,
    SessionSettings,
    Severity,
)
from kiosk.report.render import render_report
from kiosk.resources import resource
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore


@dataclass(frozen=True)
class DemoResult:
    session_id: str
    session_key: str
    report_path: Path
    data_dir: Path


def _progress(step: str) -> None:
    print(f"[demo] {step}", flush=True)


def _load_sample() -> dict[str, Any]:
    return json.loads(resource("demo", "interview.json").read_text(encoding="utf-8"))


def _job() -> JobDescription:
    text = resource("demo", "job_description.txt").read_text(encoding="utf-8")
    return JobDescription(title=text.splitlines()[0].strip(), text=text)


def _candidate() -> Candidate:
    resume = resource("demo", "resume.txt").read_text(encoding="utf-8")
    return Candidate(
        full_name=resume.splitlines()[0].strip(), email="jose.nunez@example.org", resume_text=resume
    )


def _snapshot_jpeg(label: str) -> bytes:
    import cv2
    import numpy as np

    frame = np.full((240, 320, 3), 60, np.uint8)
    cv2.putText(
        frame, "SAMPLE SNAPSHOT", (40, 110), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 2
    )
    cv2.putText(frame, label, (40, 150), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (200, 220, 255), 1)
    ok, encoded = cv2.imencode(".jpg", frame)
    assert ok
    return encoded.tobytes()


def run_demo(out_root: Path) -> DemoResult:
    data_dir = out_root / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    data_dir.mkdir(parents=True, exist_ok=False)
    service = SessionService(
        open_database(data_dir / "kiosk.sqlite3"),
        MediaStore(data_dir / "media"),
        kiosk_id="demo-kiosk",
    )
    sample = _load_sample()
    try:
        session = service.create(
            _candidate(), _job(), SessionSettings(question_count=len(sample["answers"]))
        )
        _progress(f"session created for {session.candidate.full_name}: key {session.session_key}")
        service.open(session.session_key)
        service.record_id_check(
            session.session_id,
            IdCheck(
                name_on_document=session.candidate.full_name.upper(),
                name_matches=True,
                document_number="X1234567",
                date_of_birth="1990-03-14",
                expiry_date="2031-01-01",
                face_distance=0.41,
                face_threshold=0.5,
                face_matches=True,
                ocr_confidence=0.93,
            ),
        )
        service.advance(session.session_id, SessionState.ID_VERIFIED, "sample identity check")
        service.advance(session.session_id, SessionState.DEVICES_CHECKED, "sample device check")
        service.advance(session.session_id, SessionState.IN_PROGRESS, "interview started")
        for index, item in enumerate(sample["answers"]):
            question = Question(
                new_id(),
                index,
                QuestionKind(item["kind"]),
                item["question"],
                skill=item.get("skill", ""),
                engine="sample-data",
            )
            service.record_question(session.session_id, question)
            words = len(item["answer"].split())
            answer = service.save_answer(
                session.session_id,
                Answer(
                    new_id(),
                    question.question_id,
                    item["answer"],
                    end_reason="silence",
                    metrics={"words_per_minute": 144.0},
                ),
            )
            depth = min(9.0, 3.0 + words / 14)
            service.save_score(
                session.session_id,
                AnswerScore(
                    answer_id=answer.answer_id,
                    criteria=tuple(
                        CriterionScore(c, round(depth - (i * 0.4), 1), "sample rationale")
                        for i, c in enumerate(Criterion)
                    ),
                    feedback="Sample feedback: the bundled demo does not score answers itself yet.",
                    evidence=(item["answer"].split(".")[0],),
                    engine="sample-data",
                    provisional=True,
                ),
            )
            _progress(f"question {index + 1}/{len(sample['answers'])} answered and saved")
        for kind, start, end, severity in (
            ("looking_away", 40.0, 47.5, Severity.LOW),
            ("multiple_people", 120.0, 122.0, Severity.HIGH),
        ):
            service.record_event(
                session.session_id,
                ProctoringEvent(
                    new_id(),
                    kind,
                    severity,
                    0.8,
                    start,
                    end,
                    "sample-data",
                    {"min_seconds": 1.0},
                ),
                snapshot_jpeg=_snapshot_jpeg(kind),
            )
        service.advance(session.session_id, SessionState.COMPLETED, "last question answered")
        service.save_evaluation(
            session.session_id,
            FinalEvaluation(
                overall={},
                strengths=("Sample strength",),
                concerns=("Sample concern",),
                recommendation=Recommendation.YES,
                behavioural_note="Sample note.",
                engine="sample-data",
                provisional=True,
            ),
        )
        pdf = render_report(service.load(session.session_id), service.media, sample=True)
        service.attach_report(session.session_id, pdf)
        report_path = data_dir / "report.pdf"
        report_path.write_bytes(pdf)
        return DemoResult(session.session_id, session.session_key, report_path, data_dir)
    finally:
        service.close()


def main(out_root: Path) -> Path:
    started = time.perf_counter()
    result = run_demo(out_root)
    _progress(f"done in {time.perf_counter() - started:.1f} s; data in {result.data_dir}")
    print(result.report_path.resolve())
    return result.report_path
