"""The judge's language model: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) run by llama.cpp.

llama.cpp comes from the `xllamacpp` wheel (prebuilt for manylinux, no compiler; the
llama-cpp-python package builds from source and its default build crashed on these machines).
Its in-process server gives chat templates, prompt caching and grammar-constrained output.

One cached loader per model (`get_judge_model`), verified against the MANIFEST, working
offline; when the weights or the runtime are missing it raises `JudgeUnavailable` naming the
file and the command that fetches it, and the scorer falls back to embeddings.

Sharing two cores with proctoring: llama.cpp's threads are created by the thread that builds
the server, and on Linux a new thread inherits its creator's nice value. The kiosk's worker
process (`kiosk.brain.judge.isolated`) lowers its priority before it builds the model, so every
llama.cpp thread runs at `JUDGE_NICE` and the face and person detectors (normal priority) get
the cores first. Idle threads do not spin (`poll = 0`).
"""

from __future__ import annotations

import atexit
import importlib.util
import logging
import math
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import modelstore

MODEL_NAME = "qwen2.5-coder-1.5b-instruct"
#: Threads llama.cpp may use. Two cores are shared with proctoring; the judge runs at low
#: priority, so it takes what proctoring leaves (measured in `python -m bench brain`).
JUDGE_THREADS = 2
#: Context: the system prompt, the question, an answer cut to MAX_PROMPT_WORDS and one point.
CONTEXT_TOKENS = 2048
#: First-token candidates reported with a reply: enough to hold every reply the grammar allows
#: next to the tokens the model preferred outside it.
TOP_LOGPROBS = 10
#: Niceness of the judge's threads (0 = normal; 19 = lowest).
JUDGE_NICE = 10
#: llama.cpp's log thresholds (`common/log.h`: a message prints when its level <= the setting).
LLAMA_ERRORS, LLAMA_INFO, LLAMA_DEBUG = 1, 3, 4
_log = logging.getLogger(__name__)


def llama_verbosity(logger: logging.Logger = _log) -> int:
    """llama.cpp's own log level, following this module's Python logging level.

    llama.cpp's C++ writes to file descriptor 2 itself, bypassing Python logging: by default
    (verbosity 3) every answer judged prints "slot print_timing" lines and every model closed
    "~Server: ...", and every load warns of an open CORS policy and a model quirk, none of
    which anyone can act on. So it prints only errors unless this logger is at INFO (its
    informational lines) or DEBUG (everything), e.g. with KIOSK_LOG_LEVEL=DEBUG."""
    if logger.isEnabledFor(logging.DEBUG):
        return LLAMA_DEBUG
    if logger.isEnabledFor(logging.INFO):
        return LLAMA_INFO
    return LLAMA_ERRORS


def runtime_fix() -> str:
    """How to install the judge's runtime at the version the kiosk pins. It is the `judge`
    extra, which the kiosk's wheel and package leave out (102 MB): only `kiosk score` loads the
    judge. The pin is read from the installed kiosk's metadata (the kiosk is on no index, so
    `pip install 'interview-kiosk[judge]'` could not resolve)."""
    try:
        requires = metadata.requires("interview-kiosk") or []
    except metadata.PackageNotFoundError:
        requires = []
    pinned = next((r.split(";")[0].strip() for r in requires if r.startswith("xllamacpp")),
                  "xllamacpp")
    return f"pip install '{pinned}'"


def runtime_installed() -> bool:
    """Whether llama.cpp's wheel is there, without importing it (that loads 100 MB)."""
    return importlib.util.find_spec("xllamacpp") is not None


class JudgeUnavailable(RuntimeError):
    """The judge cannot run here; the message says what is missing and how to get it."""


class JudgeClosed(JudgeUnavailable):
    """The process is ending: the model takes no more requests."""


@dataclass(frozen=True, slots=True)
class Completion:
    """One reply of the model with what it cost."""

    text: str
    finish_reason: str
    prompt_tokens: int
    cached_tokens: int
    generated_tokens: int
    seconds: float
    #: The model's own probabilities for the first token of its reply, before the grammar
    #: narrowed the choice (token text as written -> probability); empty when not reported.
    first_token_probs: dict[str, float] = field(default_factory=dict)


class ChatModel(Protocol):
    """What the judge asks of a model, loaded in this process (`JudgeModel`) or in a worker
    process (`IsolatedJudgeModel`)."""

    name: str

    def complete(self, messages: list[dict], grammar: str, max_tokens: int) -> Completion: ...


class JudgeModel:
    """The loaded model; `complete` is thread-safe (one request at a time)."""

    def __init__(self, path: Path, threads: int = JUDGE_THREADS) -> None:
        try:
            import xllamacpp
        except ImportError as error:
            raise JudgeUnavailable(
                f"the llama.cpp runtime is not installed ({error}); run `{runtime_fix()}` "
                "in the kiosk's venv"
            ) from error
        started = time.perf_counter()
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = CONTEXT_TOKENS
        params.n_parallel = 1  # one slot: consecutive prompts share their cached prefix
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.cpuparams.poll = 0
        params.cpuparams_batch.poll = 0
        params.warmup = False
        params.verbosity = llama_verbosity()  # set globally by the server as it starts
        # xllamacpp's server also listens on a loopback port (the kiosk calls it in-process):
        # without a key any local program, or a web page through its open CORS, could use the
        # model; with a random key nobody outside this process can, and there is no web UI.
        params.api_keys = [secrets.token_urlsafe(32)]
        params.ui = False
        try:
            self._server = xllamacpp.Server(params)
        except Exception as error:
            raise JudgeUnavailable(f"llama.cpp could not load {path}: {error}") from error
        self.path = path
        self.name = MODEL_NAME
        self.threads = threads
        self.load_seconds = time.perf_counter() - started
        self._lock = threading.Lock()
        self._closed = False
        # The judge works on a daemon thread. Were the interpreter to finalise while llama.cpp
        # answers it, the process would crash (SIGSEGV) after its work was done, as the demo
        # did once its report was written. At exit, the request in flight ends first.
        atexit.register(self.close)

    def close(self) -> None:
        """Take no more requests, once the one in flight (if any) has its reply."""
        with self._lock:
            self._closed = True

    def complete(self, messages: list[dict], grammar: str, max_tokens: int) -> Completion:
        """The model's reply to a chat at temperature 0, constrained by a GBNF `grammar`."""
        request: dict[str, Any] = {
            "messages": messages,
            "temperature": 0.0,
            "max_tokens": max_tokens,
            "grammar": grammar,
            "cache_prompt": True,
            "logprobs": True,
            "top_logprobs": TOP_LOGPROBS,
        }
        started = time.perf_counter()
        with self._lock:
            if self._closed:
                raise JudgeClosed("the judge was closed: the kiosk is shutting down")
            reply = self._server.handle_chat_completions(request)
        seconds = time.perf_counter() - started
        if not isinstance(reply, dict) or "choices" not in reply:
            raise JudgeUnavailable(f"llama.cpp returned an error: {str(reply)[:300]}")
        choice = reply["choices"][0]
        usage = reply.get("usage", {})
        timings = reply.get("timings", {})
        return Completion(
            text=str(choice.get("message", {}).get("content") or ""),
            finish_reason=str(choice.get("finish_reason", "")),
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            cached_tokens=int(timings.get("cache_n", 0)),
            generated_tokens=int(usage.get("completion_tokens", 0)),
            seconds=seconds,
            first_token_probs=_first_token_probs(choice),
        )


def _first_token_probs(choice: dict[str, Any]) -> dict[str, float]:
    """The top candidates for the reply's first token, as probabilities."""
    content = (choice.get("logprobs") or {}).get("content") or []
    if not content:
        return {}
    probs: dict[str, float] = {}
    for candidate in content[0].get("top_logprobs") or []:
        token, logprob = candidate.get("token"), candidate.get("logprob")
        if isinstance(token, str) and isinstance(logprob, int | float):
            probs[token] = probs.get(token, 0.0) + math.exp(logprob)
    return probs


def judge_models_folder(models_dir: Path | None = None) -> Path:
    """The folder the judge's model is looked for in (KIOSK_MODELS_DIR when none is given),
    resolved: two spellings of one folder share one loaded model."""
    return (models_dir or modelstore.default_models_dir()).expanduser().resolve()


def get_judge_model(models_dir: Path | None = None, threads: int = JUDGE_THREADS) -> JudgeModel:
    """The process-wide judge model: verified and loaded once (~2 s on an idle 2-core CPU).

    Cached by the models folder it was found in, so pointing the kiosk at another folder looks
    again; a missing model is not cached."""
    return _load_judge_model(judge_models_folder(models_dir), threads)


@lru_cache(maxsize=2)
def _load_judge_model(models_dir: Path, threads: int) -> JudgeModel:
    try:
        folder = modelstore.require_model(MODEL_NAME, models_dir)
    except modelstore.ModelError as error:
        raise JudgeUnavailable(str(error)) from error
    files = modelstore.load_manifest(models_dir).files_of(MODEL_NAME)
    return JudgeModel(folder / Path(files[0].path).name, threads)


def lower_thread_priority(nice: int = JUDGE_NICE) -> bool:
    """Lower the calling thread's priority (Linux: per thread, inherited by threads it starts).

    Returns False where the OS does not allow it; the judge then runs at normal priority."""
    setpriority = getattr(os, "setpriority", None)
    if setpriority is None:
        return False
    try:
        setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except OSError:
        return False
    return True


__all__ = ["CONTEXT_TOKENS", "JUDGE_NICE", "JUDGE_THREADS", "MODEL_NAME", "ChatModel",
           "Completion", "JudgeClosed", "JudgeModel", "JudgeUnavailable", "get_judge_model",
           "judge_models_folder", "llama_verbosity", "lower_thread_priority"]
