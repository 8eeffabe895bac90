"""Run proctored interviews on the demo's recorded camera forever, acknowledging each durable write.

Run by test_crash_safety.py, which SIGKILLs it at random moments. The kiosk's own parts do the
work: one `Detectors` for the whole process (loaded once, shared by every interview it runs), a
`ProctorFeed` per interview run over the bundled camera video (so the real proctor raises the
events and takes the snapshots), `ShellEvents` for blocked shortcuts and focus loss (into the
proctor's stream while it runs, stored directly before it starts), answers saved through the
same serial writer. The policy is the bundled one with short holds and a narrow head-turn limit,
so events start and end every few seconds of video.

Every write that must survive is acknowledged on stdout only after the call that committed it
has returned. A proctoring event's write is announced (`PENDING`) before it starts and
acknowledged (`EVENT`) after, each with the digest of the content the kiosk asked to store:
the kill may land between the commit and the acknowledgement, and then the stored row may be
the announced version. Each run resumes what the previous (killed) run left: it reopens the
newest unfinished session by its key and continues from its resume point, with a new
proctoring run (a resumed interview's proctor starts afresh, as in the kiosk).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
from tests.sample import take_to

from contract.proctoring import EventKind
from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    Candidate,
    JobDescription,
    MediaRef,
    ProctoringEvent,
    Question,
    QuestionKind,
    SessionSettings,
)
from kiosk.live.proctor_feed import ProctorFeed, RunningProctor
from kiosk.live.shell_events import ShellEvents
from kiosk.live.writer import SerialWriter
from kiosk.proctoring import integrity_summary
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from proctor import Detectors, Frame, Policy, load_policy

ROOT = Path(__file__).resolve().parents[3]
CAMERA = ROOT / "src" / "kiosk" / "resources" / "demo" / "media" / "camera.mp4"
QUESTIONS_PER_SESSION = 4
#: Seconds of the recorded camera one interview run watches (from a random point of it).
CLIP_SECONDS = 8.0
S = SessionState
PATH_TO_INTERVIEW = (S.OPENED, S.ID_VERIFIED, S.DEVICES_CHECKED, S.IN_PROGRESS)
SHELL_KINDS = (EventKind.BLOCKED_SHORTCUT, EventKind.FOCUS_LOST)
_ack_fd = 1  # stdout for the parent; a child writes to its own file


def ack(*parts: str) -> None:
    """One whole line in one unbuffered write, from any thread (the writer thread acknowledges
    events): once written, the line survives the process's death."""
    os.write(_ack_fd, (" ".join(parts) + "\n").encode())


def event_digest(event: ProctoringEvent) -> str:
    """The sha256 of everything a stored event says, its snapshot by hash."""
    content = {
        "id": event.event_id,
        "kind": event.kind.value,
        "severity": event.severity.value,
        "confidence": repr(event.confidence),
        "start": repr(event.start),
        "end": repr(event.end),
        "detector": event.detector,
        "thresholds": {k: repr(v) for k, v in sorted(event.thresholds.items())},
        "detail": event.detail,
        "snapshot": event.snapshot.sha256 if event.snapshot is not None else None,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def eventful_policy() -> Policy:
    """The bundled policy with holds short enough that the demo video raises events often."""
    policy = load_policy()
    rules = {
        kind: rule.model_copy(update={"hold_s": min(rule.hold_s, 0.4), "release_s": 0.2})
        for kind, rule in policy.rules.items()
    }
    return policy.model_copy(
        update={
            "rules": rules,
            "pose": policy.pose.model_copy(update={"max_yaw": 10.0, "max_pitch": 10.0}),
            "detection": policy.detection.model_copy(update={"object_rate_hz": 2.0}),
        }
    )


class DemoCameraClip:
    """`CLIP_SECONDS` of the demo's recorded camera from a random frame, timestamped from zero
    as a camera gives them to a resumed interview, with stretches of a covered lens (the frame
    darkened) and a frozen picture (one frame repeated) so camera events start and end often."""

    live = False

    def __init__(self, rng: random.Random, frame_count: int, fps: float) -> None:
        self._fps = fps
        self._count = round(CLIP_SECONDS * fps)
        self._first = rng.randrange(max(1, frame_count - self._count))
        self._seed = rng.random()
        self._closed = threading.Event()

    def frames(self) -> Iterator[Frame]:
        rng = random.Random(self._seed)
        capture = cv2.VideoCapture(str(CAMERA))
        try:
            capture.set(cv2.CAP_PROP_POS_FRAMES, self._first)
            look, left, image = "as recorded", 0, None
            for index in range(self._count):
                ok, recorded = capture.read()
                if not ok or self._closed.is_set():
                    return
                if left == 0:
                    look = rng.choice(("as recorded", "as recorded", "covered", "frozen"))
                    left = rng.randint(3, 8)
                left -= 1
                if look == "covered":
                    image = (recorded * 0.05).astype(recorded.dtype)
                elif look == "as recorded" or image is None:
                    image = recorded
                yield Frame(image.copy(), index / self._fps, index, time.monotonic())
        finally:
            capture.release()

    def close(self) -> None:
        self._closed.set()


class AcknowledgingService(SessionService):
    """The kiosk's service, announcing each event write before it and acknowledging it after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._snapshots: dict[str, MediaRef] = {}  # an update without one keeps the stored one

    def record_event(
        self, session_id: str, event: ProctoringEvent, *, snapshot_jpeg: bytes | None = None
    ) -> ProctoringEvent:
        snapshot = self._snapshots.get(event.event_id)
        if snapshot_jpeg is not None:
            snapshot = MediaRef(
                hashlib.sha256(snapshot_jpeg).hexdigest(),
                "snapshot",
                "image/jpeg",
                len(snapshot_jpeg),
            )
        expected = event_digest(replace(event, snapshot=snapshot))
        ack("PENDING", session_id, event.event_id, expected)
        stored = super().record_event(session_id, event, snapshot_jpeg=snapshot_jpeg)
        if snapshot is not None:
            self._snapshots[event.event_id] = snapshot
        ack("EVENT", session_id, event.event_id, expected, event.kind.source.value)
        return stored


def answer_text(rng: random.Random) -> str:
    words = ["índice", "B-tree", "Ağaoğlu", "naïve", "throughput", "😀", "latency", "Øberg", "SQL"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 3000)))


def run(data_dir: Path, seed: int, detectors: Detectors) -> None:
    """Run interviews until killed, resuming the newest unfinished one first."""
    rng = random.Random(seed)
    service = AcknowledgingService(
        open_database(data_dir / "kiosk.db"), MediaStore(data_dir / "media")
    )
    writer, bus, running = SerialWriter(), EventBus(), RunningProctor()
    shell = ShellEvents(running, detectors.policy, service, writer)
    video = cv2.VideoCapture(str(CAMERA))
    frame_count, fps = int(video.get(cv2.CAP_PROP_FRAME_COUNT)), video.get(cv2.CAP_PROP_FPS)
    video.release()
    while True:
        unfinished = [
            s for s in service.list_sessions() if s.state in (S.CREATED, *PATH_TO_INTERVIEW)
        ]
        if unfinished:
            session = writer.call(service.open, unfinished[-1].session_key)
        else:
            session = writer.call(
                service.create,
                Candidate("Zoë Ağaoğlu"),
                JobDescription("Engineer", "Build things."),
                SessionSettings(question_count=QUESTIONS_PER_SESSION),
            )
            ack("CREATED", session.session_id, session.state.value)
            session = writer.call(service.open, session.session_key)
        ack("STATE", session.session_id, session.state.value)
        sid = session.session_id
        if session.state is not S.IN_PROGRESS:
            # before the interview nothing drains the proctor's stream: stored directly
            shell.report(EventKind.FOCUS_LOST, "another window", session_id=sid, phase="consent")
            for target in PATH_TO_INTERVIEW[PATH_TO_INTERVIEW.index(session.state) + 1 :]:
                session = writer.call(take_to, service, sid, target)
                ack("STATE", sid, session.state.value)
        feed = ProctorFeed(
            detectors,
            DemoCameraClip(rng, frame_count, fps),
            session_id=sid,
            service=service,
            writer=writer,
            bus=bus,
            running=running,
        )
        feed.start()
        record = writer.call(service.load, sid)
        questions = {q.index: q for q in record.questions}
        answered = {q.index for q in record.questions if record.answer_for(q) is not None}
        for index in range(max(answered, default=-1) + 1, QUESTIONS_PER_SESSION):
            time.sleep(rng.uniform(0.0, 0.4))
            if rng.random() < 0.5:  # into the running proctor's stream, stored by the feed
                kind = rng.choice(SHELL_KINDS)
                shell.report(kind, f"attempt {index}", session_id=sid, phase="interview")
            question = questions.get(index)
            if question is None:
                question = Question(new_id(), index, QuestionKind.TECHNICAL, f"Question {index}?")
                writer.call(service.record_question, sid, question)
            text = answer_text(rng)
            saved = writer.call(
                service.save_answer,
                sid,
                Answer(new_id(), question.question_id, text, end_reason="typed"),
                audio_wav=rng.randbytes(rng.randint(1, 64_000)),
            )
            assert saved.audio is not None
            digest = hashlib.sha256(text.encode()).hexdigest()
            ack("ANSWER", sid, saved.answer_id, digest, saved.audio.sha256)
        feed.stop(finish_recording=True)  # the clip is watched to its end, its events stored
        record = writer.call(service.load, sid)
        summary = integrity_summary(
            record.events,
            record.duration_seconds,
            detectors.policy,
            analysed_seconds=feed.analysed_seconds,
        )
        session = writer.call(service.complete_interview, sid, summary)
        ack("STATE", sid, session.state.value)


def _end_with(parent: int) -> None:
    """Exit when `parent` does (a test that failed before its kill leaves no orphan running)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve() -> None:
    """Import and load once, then fork one kiosk process per `RUN DATA_DIR SEED ACK_FILE` line.

    A child is a whole process of its own: it opens the database, runs its threads and is
    killed like any kiosk; only the imports and the detectors' loaded models (read-only,
    single-threaded) come from this parent, which holds no database and runs no thread, so a
    kill costs a fork instead of seconds of imports. `REAP` waits for the last child and says
    how it ended.
    """
    detectors = Detectors(eventful_policy())
    ack("READY")
    child = 0
    for line in sys.stdin:
        match line.split():
            case ["RUN", data_dir, seed, ack_file]:
                child = os.fork()
                if child == 0:
                    global _ack_fd
                    _ack_fd = os.open(ack_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                    _end_with(os.getppid())
                    try:
                        run(Path(data_dir), int(seed), detectors)
                    finally:
                        os._exit(1)  # never back into the parent's loop
                ack("PID", str(child))
            case ["REAP"]:
                _, status = os.waitpid(child, 0)
                ack("REAPED", str(os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1))


if __name__ == "__main__":
    serve()
