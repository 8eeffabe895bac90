"""Speech-recognition hints for one session: the job's and the resume's own words.

The conductor asks `transcription_hints(context, question.text)` before each answer and applies
the result to its `TranscribeOptions`. Terms come in priority order, because only the first
~300 characters fit Whisper's prompt: the job's skills as the job description and HR spell
them, then the resume's (as the candidate spells them), then the organisations the candidate
worked for. Expected answer points are never used: a hint may fix the spelling of "PostgreSQL",
not tilt a transcript towards what a good answer would say.
"""

from __future__ import annotations

from kiosk.brain.context import InterviewContext
from kiosk.ingest import load_vocabulary
from speech.hints import DomainHints, domain_hints


def hint_terms(context: InterviewContext) -> tuple[str, ...]:
    """Domain terms for the session, most important first (not yet bounded)."""
    vocabulary = load_vocabulary()
    from_job = [m.alias for m in vocabulary.find(context.job.text)]
    hr = [r.label for r in context.job_profile.requirements if r.source == "hr"]
    resume = list(context.resume.written_skills)
    organisations = [r.organisation for r in context.resume.roles if r.organisation]
    terms = [*hr, *from_job, *resume, *organisations]
    return tuple(dict.fromkeys(t for t in terms if t))


def transcription_hints(context: InterviewContext, question_text: str = "") -> DomainHints:
    """Hints for the answer to `question_text`: bounded hotwords and the question as prompt."""
    return domain_hints(hint_terms(context), question_text)


__all__ = ["hint_terms", "transcription_hints"]
