"""The judge's model in a process of its own, so loading it never stalls the kiosk's window.

llama.cpp's loader (`xllamacpp.Server(...)`) holds Python's GIL for the whole load, 1.4–2.9 s
measured here: no other Python thread of the process runs meanwhile, and the kiosk's window
froze at the device check while the judge warmed up. Replies release the GIL; loading does not.

So the kiosk loads the model in one spawned worker process and asks it for completions; only
the thread that asks waits. The worker lowers its priority before it loads (nice 10, inherited
by llama.cpp's threads), so proctoring keeps the cores.

`get_isolated_judge_model` shares one worker per models folder for the kiosk's run, as
`get_judge_model` shares one model; a worker that has died (killed, out of memory) is replaced
at the next call, and until then every request says that it died.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from kiosk.brain.judge.model import (
    JUDGE_THREADS,
    MODEL_NAME,
    Completion,
    JudgeClosed,
    JudgeModel,
    JudgeUnavailable,
    get_judge_model,
    judge_models_folder,
    lower_thread_priority,
)
from kiosk.worker_process import single_worker_pool

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

# -- in the worker process -------------------------------------------------------------------
_model: JudgeModel | None = None
_load_error = ""


def _load_in_worker(models_dir: Path, threads: int, log_level: int) -> None:
    """The worker's initializer: lower its priority, then load the model (or keep why not)."""
    global _model, _load_error
    logging.getLogger("kiosk.brain.judge").setLevel(log_level)  # llama.cpp's verbosity follows
    if not lower_thread_priority():
        _log.warning("the judge runs at normal priority: this system refused to lower it")
    try:
        _model = get_judge_model(models_dir, threads)
    except JudgeUnavailable as error:
        _load_error = str(error)


def _describe() -> tuple[str, str, float, int]:
    """(why the model is missing or "", its file, its load seconds, this worker's pid)."""
    if _model is None:
        return _load_error, "", 0.0, os.getpid()
    return "", str(_model.path), _model.load_seconds, os.getpid()


def _complete(messages: list[dict], grammar: str, max_tokens: int) -> Completion:
    if _model is None:
        raise JudgeUnavailable(_load_error)
    return _model.complete(messages, grammar, max_tokens)


# -- in the kiosk ----------------------------------------------------------------------------
class IsolatedJudgeModel:
    """A `JudgeModel` run by a worker process; `complete` blocks only the calling thread."""

    def __init__(self, models_dir: Path, threads: int = JUDGE_THREADS) -> None:
        """Start the worker and wait for its model (raises `JudgeUnavailable`)."""
        log_level = logging.getLogger("kiosk.brain.judge").getEffectiveLevel()
        self._pool = single_worker_pool(_load_in_worker, (models_dir, threads, log_level))
        self._closed = False
        self._died = False
        try:
            error, path, seconds, pid = self._ask(_describe)
        except BaseException:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise
        if error:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise JudgeUnavailable(error)
        self.name = MODEL_NAME
        self.path = Path(path)
        self.threads = threads
        self.load_seconds = seconds
        self.pid = pid
        _log.info("the judge's model is loaded in worker process %d (%.1f s)", pid, seconds)

    @property
    def alive(self) -> bool:
        """False once closed or once its worker has died."""
        return not self._closed and not self._died

    def complete(self, messages: list[dict], grammar: str, max_tokens: int) -> Completion:
        """The model's reply, as `JudgeModel.complete`."""
        return self._ask(_complete, messages, grammar, max_tokens)

    def close(self) -> None:
        """Take no more requests; the worker ends after the one in flight, if any."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _ask(self, function: Callable[..., _T], *args: object) -> _T:
        if self._closed:
            raise JudgeClosed("the judge was closed: the kiosk is shutting down")
        try:
            pending = self._pool.submit(function, *args)
        except BrokenProcessPool as error:  # a RuntimeError too: this clause comes first
            raise self._died_error() from error
        except RuntimeError as error:
            if self._closed or "shutdown" in str(error):  # closed meanwhile, or Python is ending
                raise JudgeClosed("the judge was closed: the kiosk is shutting down") from error
            raise JudgeUnavailable(f"the judge's process could not start: {error}") from error
        try:
            return pending.result()
        except BrokenProcessPool as error:
            raise self._died_error() from error

    def _died_error(self) -> JudgeUnavailable:
        self._died = True
        return JudgeUnavailable("the judge's process stopped (killed, or out of memory); "
                                "answers keep their embeddings scores")


_shared: dict[tuple[Path, int], IsolatedJudgeModel] = {}
_shared_lock = threading.Lock()


def get_isolated_judge_model(
    models_dir: Path | None = None, threads: int = JUDGE_THREADS
) -> IsolatedJudgeModel:
    """The kiosk's judge worker for this models folder (KIOSK_MODELS_DIR when none is given):
    started and loaded once, started again if it has died; a missing model is not kept."""
    folder = judge_models_folder(models_dir)
    key = (folder, threads)
    with _shared_lock:
        model = _shared.get(key)
        if model is None or not model.alive:
            model = _shared[key] = IsolatedJudgeModel(folder, threads)
        return model


__all__ = ["IsolatedJudgeModel", "get_isolated_judge_model"]
