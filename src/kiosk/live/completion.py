"""Complete a reported session's record once every answer has its final score.

An interview's report is written within a bounded wait after the last answer; an answer the
on-device judge had not finished by then is printed with its provisional (embeddings) score,
and the evaluation is provisional too. When the judge later saves the last final score, this
recomputes the evaluation and the recommendation from the final scores (the arithmetic the hub
uses too: `contract.evaluation`), renders a new version of the PDF and stores both in one step
(`SessionService.revise_result`), so the provisional marks go and the syncer pushes the new
evaluation and report. The behavioural note (speech and proctoring, which scores never change)
is kept as it was.

Callable from any thread, any number of times: it acts only on a reported (or synced) session
whose evaluation is provisional and whose answers all have final scores, once.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from contract import evaluation as shared
from kiosk.brain.context import Turn
from kiosk.brain.evaluation import scored_turns
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import FinalEvaluation, Report
from kiosk.live.writer import SerialWriter
from kiosk.report.render import render_report
from kiosk.sessions import AlreadyFinalError, SessionRecord, SessionService

_log = logging.getLogger(__name__)
_REVISABLE = (SessionState.REPORTED, SessionState.SYNCED)


def final_turns(record: SessionRecord) -> list[Turn] | None:
    """The record's turns when every answer has a final score; None while any does not."""
    turns = []
    for question in record.questions:
        answer = record.answer_for(question)
        score = record.scores.get(answer.answer_id) if answer else None
        unscored = score is None and not (answer is not None and answer.recording_damaged)
        if answer is not None and (unscored or (score is not None and score.provisional)):
            return None  # a damaged recording is never scored: it does not hold the record
        turns.append(Turn(question, answer, score))
    return turns if any(t.answer is not None for t in turns) else None


def final_evaluation(record: SessionRecord, turns: list[Turn]) -> FinalEvaluation:
    """The stored evaluation made again from final scores (its behavioural note kept)."""
    assert record.evaluation is not None
    figures = shared.evaluate(scored_turns(turns), record.session.settings.question_count)
    return replace(
        record.evaluation,
        overall=figures.overall,
        strengths=figures.strengths,
        concerns=figures.concerns,
        recommendation=figures.recommendation,
        provisional=False,
    )


class RecordCompleter:
    def __init__(
        self, service: SessionService, writer: SerialWriter, *, sample_report: bool = False
    ) -> None:
        self.service = service
        self.writer = writer
        self.sample_report = sample_report
        self._lock = threading.Lock()

    def complete(self, session_id: str) -> Report | None:
        """Revise the session's result if its scores have all become final; the new report,
        or None when there is nothing to do (yet)."""
        with self._lock:
            record = self.service.load(session_id)
            evaluation = record.evaluation
            if record.session.state not in _REVISABLE or evaluation is None:
                return None
            if not evaluation.provisional:
                return None
            turns = final_turns(record)
            if turns is None:
                return None
            revised = final_evaluation(record, turns)
            pdf = render_report(
                replace(record, evaluation=revised), self.service.media, sample=self.sample_report
            )
            try:
                report = self.writer.call(self.service.revise_result, session_id, revised, pdf)
            except AlreadyFinalError:  # another completer (another process) was first
                return None
            _log.info("session %s: every score is final; evaluation (%s) and report revised",
                      session_id, revised.recommendation.value)
            return report


__all__ = ["RecordCompleter", "final_evaluation", "final_turns"]
