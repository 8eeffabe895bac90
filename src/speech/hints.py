"""Domain hints for Whisper: the job's own words and the question, bounded to fit its prompt.

Whisper hears "FastAPI on PostgreSQL" as "fast API on poster SQL" unless it has seen the words
before. Two hints go into its prompt: faster-whisper's `hotwords` (the spellings of the job's
tools, skills and organisations) and the question just asked, as the conversation's previous
turn. The prompt is small (223 tokens, shared with the answer's own context), so terms are
de-duplicated, kept in priority order and cut whole at `MAX_HOTWORDS_CHARS`.

Hints carry spellings and the question only, never what a good answer says: a transcript must
not drift towards the expected answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from speech.results import MAX_HOTWORDS_CHARS, MAX_PROMPT_CHARS, TranscribeOptions


@dataclass(frozen=True)
class DomainHints:
    """What to tell Whisper about one answer; `apply` puts it into transcription options."""

    hotwords: str = ""
    prompt: str = ""

    def apply(self, options: TranscribeOptions) -> TranscribeOptions:
        return replace(options, hotwords=self.hotwords, initial_prompt=self.prompt)


def domain_hotwords(terms: Iterable[str], max_chars: int = MAX_HOTWORDS_CHARS) -> str:
    """`terms` (most important first) as one comma-separated hint of at most `max_chars`.

    Case-insensitive duplicates are dropped; a term that would cross the limit is left out
    whole (never cut in the middle, which would teach Whisper a word nobody says)."""
    chosen: list[str] = []
    seen: set[str] = set()
    length = 0
    for term in terms:
        term = " ".join(term.split()).strip(" ,;")
        key = term.lower()
        if not term or key in seen:
            continue
        added = len(term) + (2 if chosen else 0)
        if length + added > max_chars:
            continue
        seen.add(key)
        chosen.append(term)
        length += added
    return ", ".join(chosen)


def question_prompt(question: str, max_chars: int = MAX_PROMPT_CHARS) -> str:
    """The question as the conversation's previous turn; a long one keeps its end, which is
    what the answer follows on from."""
    text = " ".join(question.split())
    if len(text) <= max_chars:
        return text
    cut = text[-max_chars:]
    return cut[cut.find(" ") + 1 :] if " " in cut else cut


def domain_hints(terms: Iterable[str] = (), question: str = "") -> DomainHints:
    """Bounded hints from domain terms (most important first) and the question asked."""
    return DomainHints(domain_hotwords(terms), question_prompt(question))


__all__ = ["DomainHints", "domain_hints", "domain_hotwords", "question_prompt"]
