"""The interview loop: ask, listen, transcribe, save, score, adapt; then evaluate and report.

Runs on a worker thread (never the GUI thread). Every step is durable before the next begins:
the question is stored before the candidate answers, the answer (with its audio) before it is
scored, the score before the next question is chosen. A conductor started on a session that
was interrupted rebuilds the turns from storage and asks the question it was on again.

The on-device judge (`kiosk.live.judging.LiveJudge`) is never waited for during the interview:
the fast score (embeddings, or Gemini's) is saved and the next question asked at once, while
the judge re-judges each provisional score on its own low-priority thread. At the end the
evaluation and the report wait for it up to `judge_wait_s` after the last answer, then use the
scores that are final by then; the record completer revises both when the rest become final.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.brain import EvaluationInputs, InterviewContext, InterviewEngine, Turn
from kiosk.brain.fit import job_fit
from kiosk.brain.speech_hints import transcription_hints
from kiosk.bus import EventBus
from kiosk.domain.model import RECORDING_DAMAGED, Answer, Question, TranscriptSegment
from kiosk.live.announcements import (
    AnswerClockStarted,
    AnswerSaved,
    AnswerScored,
    Caption,
    InterviewFinished,
    InterviewPaused,
    InterviewProblem,
    InterviewResumed,
    Progress,
    QuestionAsked,
    QuestionSpoken,
    TimeExtended,
)
from kiosk.live.answers import AnswerAudio, QuietAudio
from kiosk.live.audio_proctoring import AudioProctor, QuietWindow
from kiosk.live.completion import RecordCompleter
from kiosk.live.interruption import InterviewInterrupted
from kiosk.live.judging import LiveJudge
from kiosk.live.proctor_feed import ProctorFeed
from kiosk.live.voice import QuestionVoice, Spoken
from kiosk.live.writer import SerialWriter
from kiosk.proctoring import integrity_summary
from kiosk.report.render import render_report
from kiosk.sessions import SessionRecord, SessionService, encode_answer_audio, new_id
from proctor import Policy
from speech import Answer as HeardAnswer
from speech import (
    AnswerListener,
    AnswerRecorder,
    AudioDeviceError,
    AudioFileError,
    EndpointOptions,
    Partial,
    SpeechError,
    TranscribeOptions,
    speech_metrics,
)

_log = logging.getLogger(__name__)
ProctorFactory = Callable[[str], ProctorFeed | None]


@dataclass(frozen=True)
class ConductorOptions:
    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    trailing_silence_s: float = 2.5
    #: An answer with no speech at all ends after this long (the candidate gets a prompt).
    no_speech_timeout_s: float = 20.0
    #: Silence this long after a question is reported as a `no_attempt` proctoring event. At
    #: most `no_speech_timeout_s`, so an answer that timed out in silence is always reported.
    no_attempt_s: float = 20.0
    #: The answer microphone hears only the candidate (a headset): listen while each question
    #: is read and report speech then. Off with loudspeakers, which the microphone also hears.
    audio_proctoring_headset: bool = False
    sample_report: bool = False
    #: How long after the last answer the evaluation and the report may wait for the judge;
    #: scores still provisional then are printed as such, and revised when the judge is done.
    judge_wait_s: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.no_attempt_s <= self.no_speech_timeout_s:
            raise ValueError(
                f"no_attempt_s is {self.no_attempt_s}; it must be positive and at most "
                f"no_speech_timeout_s ({self.no_speech_timeout_s}), or a silent answer that "
                "timed out would not be reported"
            )


class InterviewAborted(Exception):
    pass


class InterviewConductor:
    def __init__(
        self,
        service: SessionService,
        engine: InterviewEngine,
        *,
        voice: QuestionVoice,
        answers: AnswerAudio,
        bus: EventBus,
        writer: SerialWriter,
        recordings_dir: Path,
        proctor: ProctorFactory | None = None,
        policy: Policy,
        options: ConductorOptions | None = None,
        judge: LiveJudge | None = None,
        completer: RecordCompleter | None = None,
    ) -> None:
        self.service = service
        self.engine = engine
        self.voice = voice
        self.answers = answers
        self.bus = bus
        self.writer = writer
        self.recordings_dir = recordings_dir
        self.options = options or ConductorOptions()
        self._proctor_factory = proctor
        self.policy = policy
        self.judge = judge
        self.completer = completer or RecordCompleter(
            service, writer, sample_report=self.options.sample_report
        )
        self._last_answer_at = time.monotonic()
        self._session_id = ""
        self._resume = threading.Event()
        self._resume.set()
        self._abort_reason: str | None = None
        self._interrupted = threading.Event()
        self._extra_seconds = 0
        self._current_source: object | None = None
        self._current_listener: AnswerListener | None = None
        self._time_lock = threading.Lock()  # extra time vs. the listener it must reach
        if self.options.audio_proctoring_headset and not isinstance(answers, QuietAudio):
            _log.warning(
                "audio proctoring with a headset is on, but %s cannot listen while questions "
                "are read; only no-attempt is reported",
                type(answers).__name__,
            )

    # -- controls, callable from any thread (the UI's invigilator panel) -------------------------
    def pause(self) -> None:
        """Hold before the next question (the current answer is finished and saved first)."""
        self._resume.clear()
        self.bus.emit(InterviewPaused(self._session_id))

    def resume(self) -> None:
        self._resume.set()
        self.bus.emit(InterviewResumed(self._session_id))

    def extend_time(self, seconds: int) -> None:
        """More time for the answer being given (if any) and for every answer after it."""
        with self._time_lock:
            self._extra_seconds += seconds
            listener = self._current_listener
            total = self._extra_seconds
        if listener is not None:
            listener.extend(seconds)
        self.bus.emit(TimeExtended(seconds, total, answering=listener is not None))

    def finish_answer(self) -> None:
        """The candidate pressed Done: end the answer now, as if the silence had run out."""
        close = getattr(self._current_source, "close", None)
        if close is not None:
            close()

    def abort(self, reason: str) -> None:
        self._abort_reason = reason or "aborted by the invigilator"
        self.finish_answer()
        self._resume.set()

    def interrupt(self) -> None:
        """The kiosk shuts down: stop where the run is, as a power cut would, even while paused
        or reading a question (an answer being given is cut by its interruptible source)."""
        self._interrupted.set()
        self._resume.set()

    # -- the loop ----------------------------------------------------------------------------------
    def run(self, session_id: str) -> SessionRecord:
        self._session_id = session_id
        self._drop_stale_drafts()
        self.writer.call(self.service.start_interview, session_id)
        record = self.service.load(session_id)
        context = InterviewContext.for_session(record.session)
        if self.judge is not None:
            self.judge.warm()
        plan = self.engine.plan(context)
        if record.fit is None:  # made once, with the plan; a resumed interview keeps it
            self.writer.call(self.service.record_fit, session_id, job_fit(context.match, plan))
        turns, pending = _turns_from(record)
        for turn in turns:  # answered before an interruption, not judged yet
            if turn.answer is not None and turn.score is not None and turn.score.provisional:
                self._judge_later(session_id, turn.question, turn.answer)
        feed = self._proctor_factory(session_id) if self._proctor_factory else None
        audio_proctor = None
        if feed is not None:
            feed.start()
            audio_proctor = AudioProctor(feed.proctor, no_attempt_s=self.options.no_attempt_s)
        try:
            while True:
                self._resume.wait()
                self._stop_if_interrupted()
                if self._abort_reason:
                    raise InterviewAborted(self._abort_reason)
                stored = pending is not None  # asked before a crash: ask it again as it was
                question = pending or self.engine.next_question(context, plan, turns)
                pending = None
                if question is None:
                    break
                turns.append(
                    self._ask(
                        session_id,
                        context,
                        question,
                        _place(question, turns, planned=len(plan.slots)),
                        stored=stored,
                        audio_proctor=audio_proctor,
                    )
                )
            # the interview is over: a recording is analysed to its end before the report
            self._stop_feed(feed, finish_recording=True)
        except InterviewAborted as aborted:
            self._stop_feed(feed)
            self.writer.call(self.service.abort, session_id, str(aborted))
            self.bus.emit(InterviewFinished(session_id, None, None, aborted=True))
            return self.service.load(session_id)
        finally:  # a shutdown, an abort or a failure stops the camera now
            self._stop_feed(feed)
        return self._finish(session_id, context, turns, feed)

    def _ask(
        self,
        session_id: str,
        context: InterviewContext,
        question: Question,
        place: QuestionPlace,
        *,
        stored: bool,
        audio_proctor: AudioProctor | None,
    ) -> Turn:
        question = replace(question, index=place.index)
        seconds = context.settings.answer_seconds() + self._extra_seconds
        self.bus.emit(
            QuestionAsked(question, place.number, place.total, seconds, place.follow_up)
        )
        spoken = self._speak(question, audio_proctor)
        if not stored:
            question = replace(question, spoken=spoken.spoken)
            self.writer.call(self.service.record_question, session_id, question)
        self.bus.emit(QuestionSpoken(question.question_id, spoken.spoken, spoken.reason))
        self._stop_if_interrupted()
        if self._abort_reason:  # aborted while the question was read: do not start listening
            raise InterviewAborted(self._abort_reason)
        answer, wav = self._listen(
            question, context, context.settings.answer_seconds(), audio_proctor
        )
        audio = encode_answer_audio(wav) if wav else None  # here, not on the writer thread
        answer = self.writer.call(self.service.save_answer, session_id, answer, audio=audio)
        # the answer and its audio are durable in the media store: the recorder's file was a
        # crash-safe draft, not a second copy to keep
        self._scratch(answer.answer_id).unlink(missing_ok=True)
        self.bus.emit(AnswerSaved(answer))
        self._last_answer_at = time.monotonic()
        if answer.recording_damaged:  # not an answer to judge: a recording to look at
            return Turn(question, answer, None)
        score = self.engine.score_answer(context, question, answer)
        self.writer.call(self.service.save_score, session_id, score)
        self.bus.emit(AnswerScored(score))
        if score.provisional:
            self._judge_later(session_id, question, answer)
        return Turn(question, answer, score)

    def _scratch(self, answer_id: str) -> Path:
        """Where the recorder drafts an answer's audio until the answer is saved."""
        return self.recordings_dir / f"{answer_id}.wav"

    def _drop_stale_drafts(self) -> None:
        """Drafts left by an interview that crashed mid-answer: that answer was never saved
        and is asked again, so its draft is personal data nothing refers to. Erased."""
        if not self.recordings_dir.is_dir():
            return
        for draft in self.recordings_dir.iterdir():
            if draft.is_file():
                draft.unlink()
                _log.info("erased the unsaved answer draft %s", draft.name)


    def _judge_later(self, session_id: str, question: Question, answer: Answer) -> None:
        if self.judge is not None:
            self.judge.submit(session_id, question, answer)

    def _wait_for_judge(self, session_id: str) -> None:
        """Give the judge until `judge_wait_s` after the last answer to finish this session."""
        if self.judge is None or not self.judge.pending(session_id):
            return
        left = self._last_answer_at + self.options.judge_wait_s - time.monotonic()
        self.bus.emit(Progress("judging the last answers"))
        if not self.judge.wait(session_id, left):
            _log.info("%d answer(s) still being judged %.0f s after the last answer: the "
                      "report marks them provisional and is revised when they are done",
                      self.judge.pending(session_id), self.options.judge_wait_s)

    def _speak(self, question: Question, audio_proctor: AudioProctor | None) -> Spoken:
        """Read the question aloud; with a headset, listen for other voices meanwhile."""
        with self._quiet_window(question, audio_proctor) as window:
            spoken = self.voice.speak(question.text)
        if window is not None:
            window.report()
        return spoken

    def _quiet_window(
        self, question: Question, audio_proctor: AudioProctor | None
    ) -> AbstractContextManager[QuietWindow | None]:
        if (
            audio_proctor is None
            or not self.options.audio_proctoring_headset
            or not isinstance(self.answers, QuietAudio)
        ):
            return nullcontext()
        try:
            source = self.answers.open_quiet(question)
        except SpeechError as error:  # proctoring evidence is lost, the interview is not
            _log.warning("cannot listen while question %d is read: %s", question.index + 1, error)
            return nullcontext()
        if source is None:
            return nullcontext()
        return audio_proctor.watch_question(question.index + 1, source)

    def _listen(
        self,
        question: Question,
        context: InterviewContext,
        base_seconds: int,
        audio_proctor: AudioProctor | None,
    ) -> tuple[Answer, bytes]:
        answer_id = new_id()
        path = self._scratch(answer_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._time_lock:
            granted = self._extra_seconds
        endpointing = EndpointOptions(
            trailing_silence_s=self.options.trailing_silence_s,
            max_answer_s=float(base_seconds + granted),
            no_speech_timeout_s=self.options.no_speech_timeout_s,
        )
        # the job's and the resume's words, and the question, so Whisper hears "PostgreSQL"
        transcribe = transcription_hints(context, question.text).apply(self.options.transcribe)
        listener = AnswerListener(transcribe, endpointing)  # loads the model
        with self._time_lock:  # time given while the model loaded still counts
            missed = self._extra_seconds - granted
            self._current_listener = listener
        if missed:
            listener.extend(missed)
        started = datetime.now(UTC)
        heard: HeardAnswer | None = None
        problem = ""
        # the question has just been read: offsets in the answer audio count from here
        origin = audio_proctor.now() if audio_proctor is not None else 0.0
        damaged = ""
        try:
            source = self.answers.open(question)
            self._current_source = source
            self.bus.emit(
                AnswerClockStarted(question.question_id, listener.max_answer_s, time.monotonic())
            )
            with AnswerRecorder(path) as recorder:
                for item in listener.run(source, recorder):
                    if isinstance(item, Partial):
                        self.bus.emit(Caption(question.question_id, item.text, item.audio_time))
                    else:
                        heard = item
        except AudioDeviceError as error:  # keep what was said; the invigilator must step in
            problem = str(error)
            self.bus.emit(InterviewProblem(f"The microphone stopped: {error}"))
            self.pause()
        except AudioFileError as error:  # a recording cut short is no short or silent answer
            damaged = str(error)
            self.bus.emit(InterviewProblem(f"The answer's recording is damaged: {error}"))
            self.pause()
        finally:
            self._current_source = None
            with self._time_lock:
                self._current_listener = None
        wav = path.read_bytes() if path.is_file() else b""
        if damaged:
            return Answer(
                answer_id,
                question.question_id,
                "",
                started_at=started,
                ended_at=datetime.now(UTC),
                end_reason=RECORDING_DAMAGED,
            ), wav
        if heard is None:
            return Answer(
                answer_id,
                question.question_id,
                "",
                started_at=started,
                ended_at=datetime.now(UTC),
                end_reason="device_lost",
            ), wav
        if audio_proctor is not None:
            audio_proctor.answer_heard(question.index + 1, origin, heard)
        transcript = heard.transcript
        metrics = speech_metrics(transcript.words)
        self.bus.emit(Caption(question.question_id, transcript.text, transcript.duration))
        return Answer(
            answer_id=answer_id,
            question_id=question.question_id,
            text=transcript.text,
            segments=tuple(
                TranscriptSegment(s.start, s.end, s.text.strip()) for s in transcript.segments
            ),
            started_at=started,
            ended_at=datetime.now(UTC),
            end_reason="device_lost" if problem else heard.endpoint.reason.value,
            metrics={
                "speaking_time_s": metrics.speaking_time_s,
                "words_per_minute": metrics.words_per_minute,
                "longest_pause_s": metrics.longest_pause_s,
                "pause_ratio": metrics.pause_ratio,
                "filler_count": float(metrics.filler_count),
                "word_count": float(metrics.word_count),
                "audio_seconds": transcript.duration,
            },
        ), wav

    def _finish(
        self,
        session_id: str,
        context: InterviewContext,
        turns: list[Turn],
        feed: ProctorFeed | None,
    ) -> SessionRecord:
        record = self.service.load(session_id)
        summary = integrity_summary(
            record.events,
            record.duration_seconds,
            self.policy,
            analysed_seconds=feed.analysed_seconds if feed is not None else 0.0,
            note=_proctoring_note(feed),
        )
        self.writer.call(self.service.complete_interview, session_id, summary)
        self._wait_for_judge(session_id)
        turns, _pending = _turns_from(self.service.load(session_id))  # with judged scores
        evaluation = self.engine.final_evaluation(
            context,
            turns,
            EvaluationInputs(
                speech_metrics=_mean_metrics(turns),
                integrity={"level": summary.level.value, "reasons": list(summary.reasons)},
            ),
        )
        self.writer.call(self.service.save_evaluation, session_id, evaluation)
        self.bus.emit(Progress("writing the report"))
        pdf = render_report(
            self.service.load(session_id), self.service.media, sample=self.options.sample_report
        )
        report = self.writer.call(self.service.attach_report, session_id, pdf)
        # the judge may have finished the last answer while the report was written
        report = self.completer.complete(session_id) or report
        evaluation = self.service.load(session_id).evaluation or evaluation
        self.bus.emit(InterviewFinished(session_id, evaluation, report.pdf.sha256))
        return self.service.load(session_id)

    def _stop_if_interrupted(self) -> None:
        if self._interrupted.is_set():
            raise InterviewInterrupted("the kiosk shut down during the interview")

    def _stop_feed(self, feed: ProctorFeed | None, *, finish_recording: bool = False) -> None:
        if feed is None or feed.stopped:
            return
        started = time.perf_counter()
        feed.stop(finish_recording=finish_recording)
        _log.info("proctoring stopped in %.2f s", time.perf_counter() - started)
        if feed.error is not None:
            self.bus.emit(InterviewProblem(f"Proctoring stopped early: {feed.error}"))


def _proctoring_note(feed: ProctorFeed | None) -> str:
    """What the reviewer must know about how proctoring went: nothing when it simply ran."""
    if feed is None:
        return "no camera proctoring was set up for this interview"
    if feed.error is not None:
        return f"proctoring stopped early ({feed.error})"
    if feed.analysed_seconds <= 0:
        return "no camera picture arrived during the interview"
    return ""


@dataclass(frozen=True)
class QuestionPlace:
    """Where a question stands in the interview, as the candidate is told it."""

    index: int  # among every question asked, follow-ups included (0-based)
    number: int  # the planned question it is, or the one a follow-up probes (1-based)
    total: int  # planned questions
    follow_up: bool


def _place(question: Question, turns: list[Turn], *, planned: int) -> QuestionPlace:
    """A planned question is the next number; a follow-up probes the answer just given, so it
    keeps the number of the planned question before it."""
    follow_up = question.follow_up_of is not None
    asked = sum(1 for t in turns if t.question.follow_up_of is None)
    number = max(asked, 1) if follow_up else asked + 1
    return QuestionPlace(len(turns), number, max(planned, number), follow_up)


def _turns_from(record: SessionRecord) -> tuple[list[Turn], Question | None]:
    """Answered turns from storage, and the question that was asked but not answered, if any."""
    answers = {a.question_id: a for a in record.answers}
    turns: list[Turn] = []
    pending: Question | None = None
    for question in record.questions:
        answer = answers.get(question.question_id)
        if answer is None:
            pending = question
            break
        turns.append(Turn(question, answer, record.scores.get(answer.answer_id)))
    return turns, pending


def _mean_metrics(turns: list[Turn]) -> dict[str, float]:
    rows = [t.answer.metrics for t in turns if t.answer is not None and t.answer.metrics]
    keys = ("words_per_minute", "longest_pause_s", "pause_ratio", "filler_count", "word_count")
    return {k: round(sum(r.get(k, 0.0) for r in rows) / len(rows), 3) for k in keys} if rows else {}
