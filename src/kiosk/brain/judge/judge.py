"""Ask the model about each expected point of one answer, within a time budget.

Each point comes with the answer's units closest to it (chosen by the scorer from the
embeddings). A point not reached before the deadline is returned as None and the scorer judges
it by embeddings instead; a reply that cannot be parsed is returned with its error, never as a
verdict. Replies are cached per (question, point, sentences): re-scoring the same answer, or an
answer whose extra text was all dropped by the guard, costs nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from contract.fencing import new_fence
from kiosk.brain.judge.model import ChatModel, Completion
from kiosk.brain.judge.prompt import EXAMPLES, GRAMMAR, MAX_REPLY_TOKENS, messages
from kiosk.brain.judge.verdicts import Reply, parse_reply

#: Seconds one answer may spend in the judge before its remaining points go to embeddings.
ANSWER_BUDGET_S = 60.0
_CACHE_SIZE = 2048


@dataclass(frozen=True, slots=True)
class JudgedPoint:
    """The model's parsed reply on one point, with what it cost."""

    point: str
    sentences: tuple[str, ...]
    reply: Reply
    seconds: float
    prompt_tokens: int
    cached_tokens: int
    generated_tokens: int


class PointJudge:
    """Judges points with one model; the same (question, answer, point) is judged once."""

    def __init__(self, model: ChatModel, budget_s: float = ANSWER_BUDGET_S) -> None:
        self.model = model
        self.budget_s = budget_s
        self._cache: OrderedDict[tuple[str, str, tuple[str, ...]], JudgedPoint] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.model.name

    def warm_up(self) -> float:
        """Judge one worked example, so llama.cpp evaluates the fixed prefix (instructions and
        examples, ~850 tokens) now and keeps it in its prompt cache: the first real answer
        then costs what every later one does. Returns the seconds it took."""
        question, point, words, _reply = EXAMPLES[0]
        started = time.perf_counter()
        self.model.complete(messages(question, point, new_fence("ANSWER"), [words]), GRAMMAR,
                            MAX_REPLY_TOKENS)
        return time.perf_counter() - started

    def judge(
        self, question: str, items: Sequence[tuple[str, Sequence[str]]]
    ) -> list[JudgedPoint | None]:
        """One result per (point, sentences), in order; None where the budget ran out."""
        fence = new_fence("ANSWER")
        deadline = time.monotonic() + self.budget_s
        out: list[JudgedPoint | None] = []
        for point, shown in items:
            sentences = tuple(shown)
            key = (question, point, sentences)
            with self._lock:
                cached = self._cache.get(key)
            if cached is not None:
                out.append(cached)
                continue
            if time.monotonic() >= deadline:
                out.append(None)
                continue
            completion = self.model.complete(
                messages(question, point, fence, sentences), GRAMMAR, MAX_REPLY_TOKENS
            )
            judged = _judged(point, sentences, completion)
            with self._lock:
                self._cache[key] = judged
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
            out.append(judged)
        return out


def _judged(point: str, sentences: tuple[str, ...], completion: Completion) -> JudgedPoint:
    reply = parse_reply(completion.text, completion.first_token_probs)
    if reply.error and completion.finish_reason == "length":
        reply = Reply(None, f"reply cut at {completion.generated_tokens} tokens")
    return JudgedPoint(point, sentences, reply, round(completion.seconds, 3),
                       completion.prompt_tokens, completion.cached_tokens,
                       completion.generated_tokens)


__all__ = ["ANSWER_BUDGET_S", "JudgedPoint", "PointJudge"]
