"""The on-device judge in the interview's timeline: one low-priority background worker.

When an answer ends the conductor saves the fast score (embeddings, provisional) and moves on at
once; it hands the answer to this worker, which judges it again with the model
(`OfflineScorer.assess` with a `PointJudge`) and saves the judged score over it (a new score
row: the newest counts). The candidate never waits for the model.

One thread, started by `warm` (the kiosk calls it when a candidate reaches the device check, and
the conductor when an interview starts): it lowers its own priority first (nice 10: it also
runs the embeddings pass), so the camera, person detection and Whisper keep the cores; then it
starts the model's worker process (`kiosk.brain.judge.isolated`, at the same priority) once for
the kiosk's run, and judges one worked example so the prompt's fixed prefix is in llama.cpp's
cache before the first answer. Without the model (`JudgeUnavailable`) it says why and judges
nothing: every score stays the embeddings' (provisional), exactly as before the judge existed.

`wait(session_id, timeout)` lets the end of an interview wait, within a bound, for that
session's answers; `on_judged` is told of each judged score (the record completer listens).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.brain.embeddings import get_encoder
from kiosk.brain.judge import JudgeUnavailable, PointJudge, lower_thread_priority
from kiosk.brain.judge.isolated import get_isolated_judge_model
from kiosk.brain.scoring import OfflineScorer
from kiosk.bus import EventBus
from kiosk.domain.model import Answer, Question
from kiosk.live.announcements import AnswerJudged
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService

_log = logging.getLogger(__name__)
#: How long `close` waits for the answer being judged before leaving it (its score then stays
#: provisional; the thread is a daemon and ends with the process).
CLOSE_WAIT_S = 5.0


@dataclass(frozen=True, slots=True)
class JudgeStatus:
    """What the worker is doing, for logs, `kiosk doctor` and the benchmark."""

    started: bool
    ready: bool  # the model is loaded and warm (or known to be missing)
    unavailable: str  # why there is no judge here, "" when there is one
    load_seconds: float  # model load, then warm-up of the prompt prefix
    warm_seconds: float
    judged: int  # answers judged since start
    pending: int  # answers waiting or being judged


@dataclass(frozen=True, slots=True)
class _Job:
    session_id: str
    question: Question
    answer: Answer


_STOP = object()


def load_point_judge() -> PointJudge:
    """The kiosk's judge over its model's worker process (raises `JudgeUnavailable`): loaded
    on a kiosk thread, the model would hold the GIL for its whole load and freeze the window."""
    return PointJudge(get_isolated_judge_model())


class LiveJudge:
    def __init__(
        self,
        service: SessionService,
        writer: SerialWriter,
        bus: EventBus,
        *,
        load: Callable[[], PointJudge] = load_point_judge,
        on_judged: Callable[[str], None] | None = None,
    ) -> None:
        self.service = service
        self.writer = writer
        self.bus = bus
        self.on_judged = on_judged
        self._load = load
        self._jobs: queue.Queue[object] = queue.Queue()
        self._lock = threading.Condition()
        self._pending: Counter[str] = Counter()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._unavailable = ""
        self._load_seconds = 0.0
        self._warm_seconds = 0.0
        self._judged = 0
        self._closed = False

    # -- from any thread ---------------------------------------------------------------------
    def warm(self) -> None:
        """Start the worker (it loads the model); calling it again does nothing."""
        with self._lock:
            if self._thread is not None or self._closed:
                return
            self._thread = threading.Thread(target=self._run, name="kiosk-judge", daemon=True)
            self._thread.start()

    @property
    def available(self) -> bool:
        """False once the worker found it cannot judge here; True before it knows."""
        return not self._unavailable and not self._closed

    def submit(self, session_id: str, question: Question, answer: Answer) -> bool:
        """Judge this answer in the background; False when there is no judge to do it."""
        if not self.available:
            return False
        self.warm()
        with self._lock:
            self._pending[session_id] += 1
        self._jobs.put(_Job(session_id, question, answer))
        return True

    def pending(self, session_id: str) -> int:
        with self._lock:
            return self._pending[session_id]

    def wait(self, session_id: str, timeout: float) -> bool:
        """Wait up to `timeout` seconds until every answer of the session handed over so far is
        judged (or known not to be); True when none is left."""
        deadline = time.monotonic() + max(0.0, timeout)
        with self._lock:
            while self._pending[session_id]:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    @property
    def status(self) -> JudgeStatus:
        with self._lock:
            return JudgeStatus(
                started=self._thread is not None,
                ready=self._ready.is_set(),
                unavailable=self._unavailable,
                load_seconds=round(self._load_seconds, 2),
                warm_seconds=round(self._warm_seconds, 2),
                judged=self._judged,
                pending=sum(self._pending.values()),
            )

    def close(self, timeout: float = CLOSE_WAIT_S) -> None:
        """Stop taking answers; let the one being judged finish within `timeout`."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is None:
            return
        self._drop_waiting()
        self._jobs.put(_STOP)
        thread.join(timeout)

    # -- the worker thread -------------------------------------------------------------------
    def _run(self) -> None:
        if not lower_thread_priority():
            _log.warning("the judge runs at normal priority: this system refused to lower it")
        scorer = self._start_model()
        self._ready.set()
        while True:
            job = self._jobs.get()
            if job is _STOP:
                return
            assert isinstance(job, _Job)
            try:
                if scorer is not None and not self._closed:
                    self._judge(scorer, job)
            except Exception:  # one answer's failure must not stop the others being judged
                _log.exception("judging answer %s failed; its score stays provisional",
                               job.answer.answer_id)
            finally:
                self._done(job.session_id)

    def _start_model(self) -> OfflineScorer | None:
        started = time.perf_counter()
        try:
            judge = self._load()
            self._load_seconds = time.perf_counter() - started
            self._warm_seconds = judge.warm_up()
        except JudgeUnavailable as error:
            self._give_up(f"the on-device judge is not available: {error}")
            return None
        except Exception as error:  # a broken runtime: the kiosk scores by embeddings
            _log.exception("the on-device judge failed to start")
            self._give_up(f"the on-device judge failed to start ({type(error).__name__})")
            return None
        _log.info("on-device judge ready: loaded in %.1f s, prompt cached in %.1f s",
                  self._load_seconds, self._warm_seconds)
        return OfflineScorer(get_encoder(), judge)

    def _give_up(self, reason: str) -> None:
        _log.warning("%s; answers keep their embeddings scores (provisional)", reason)
        with self._lock:
            self._unavailable = reason
        self._drop_waiting()

    def _judge(self, scorer: OfflineScorer, job: _Job) -> None:
        answer = job.answer
        started = time.perf_counter()
        result = scorer.assess(job.question, answer.answer_id, answer.text, answer.metrics)
        seconds = time.perf_counter() - started
        if self._closed:  # the kiosk is closing, its writer with it: the score stays provisional
            return
        if result.score.provisional and not result.path.startswith("judge"):
            _log.info("the judge decided no point of answer %s (%s): its score stays as it was",
                      answer.answer_id, result.judge_error or result.path)
            return
        self.writer.call(self.service.save_score, job.session_id, result.score)
        with self._lock:
            self._judged += 1
        self.bus.emit(AnswerJudged(job.session_id, result.score, round(seconds, 2)))
        if self.on_judged is not None:
            self.on_judged(job.session_id)

    def _done(self, session_id: str) -> None:
        with self._lock:
            self._pending[session_id] -= 1
            if self._pending[session_id] <= 0:
                del self._pending[session_id]
            self._lock.notify_all()

    def _drop_waiting(self) -> None:
        """Forget the answers not yet started: no one will judge them."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if isinstance(job, _Job):
                self._done(job.session_id)


__all__ = ["CLOSE_WAIT_S", "JudgeStatus", "LiveJudge", "load_point_judge"]
