"""Drive sessions through the core API forever, acknowledging each durable step on stdout.

Run by test_crash_safety.py, which SIGKILLs it at random moments. A line is printed only after
the call that made the step durable has returned, so every acknowledged step must survive.
Each run resumes whatever the previous (killed) run left: it reopens the newest unfinished
session by its key and continues from its resume point.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

from tests.sample import integrity, take_to

from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    Candidate,
    JobDescription,
    Question,
    QuestionKind,
    SessionSettings,
)
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore

QUESTIONS_PER_SESSION = 12
S = SessionState
PATH_TO_INTERVIEW = (S.OPENED, S.ID_VERIFIED, S.DEVICES_CHECKED, S.IN_PROGRESS)


def ack(*parts: str) -> None:
    sys.stdout.write(" ".join(parts) + "\n")
    sys.stdout.flush()


def answer_text(rng: random.Random) -> str:
    words = ["índice", "B-tree", "Ağaoğlu", "naïve", "throughput", "😀", "latency", "Øberg", "SQL"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 3000)))


def run(data_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    service = SessionService(open_database(data_dir / "kiosk.db"), MediaStore(data_dir / "media"))
    while True:
        unfinished = [
            s for s in service.list_sessions() if s.state in (S.CREATED, *PATH_TO_INTERVIEW)
        ]
        if unfinished:
            session = service.open(unfinished[-1].session_key)
        else:
            session = service.create(
                Candidate("Zoë Ağaoğlu"),
                JobDescription("Engineer", "Build things."),
                SessionSettings(question_count=QUESTIONS_PER_SESSION),
            )
            ack("CREATED", session.session_id, session.state.value)
            session = service.open(session.session_key)
        ack("STATE", session.session_id, session.state.value)
        for target in PATH_TO_INTERVIEW:
            if PATH_TO_INTERVIEW.index(target) > PATH_TO_INTERVIEW.index(session.state):
                session = take_to(service, session.session_id, target)
                ack("STATE", session.session_id, session.state.value)
        record = service.load(session.session_id)
        questions = {q.index: q for q in record.questions}
        answered = {q.index for q in record.questions if record.answer_for(q) is not None}
        for index in range(max(answered, default=-1) + 1, QUESTIONS_PER_SESSION):
            question = questions.get(index)
            if question is None:
                question = Question(new_id(), index, QuestionKind.TECHNICAL, f"Question {index}?")
                service.record_question(session.session_id, question)
            text = answer_text(rng)
            audio = rng.randbytes(rng.randint(1, 64_000))
            saved = service.save_answer(
                session.session_id,
                Answer(new_id(), question.question_id, text, end_reason="typed"),
                audio_wav=audio,
            )
            digest = hashlib.sha256(text.encode()).hexdigest()
            assert saved.audio is not None
            ack("ANSWER", session.session_id, saved.answer_id, digest, saved.audio.sha256)
        session = service.complete_interview(session.session_id, integrity())
        ack("STATE", session.session_id, session.state.value)


if __name__ == "__main__":
    ack("READY")
    run(Path(sys.argv[1]), int(sys.argv[2]))
