"""Background work for the screens: nothing slow or blocking ever runs on the GUI thread.

Two shapes, after superqt's workers. `Task` runs one call on the kiosk's thread pool and reports
its result or its error through signals on a QObject (a QRunnable cannot carry signals itself).
`LoopWorker` iterates a generator (camera preview, microphone level) and emits each item until
`quit()`, which also closes the generator's source so a blocking read ends at once.

The kiosk has its own pool: Qt's global pool is sized to the core count (two on a kiosk), and a
long-running interview plus two preview loops would starve every other task.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

_log = logging.getLogger(__name__)
_POOL: QThreadPool | None = None
#: Workers alive on the pool; keeps each one's signal object from being collected mid-flight.
_RUNNING: set[object] = set()
_RUNNING_LOCK = threading.Lock()


def pool() -> QThreadPool:
    """The kiosk's worker pool (created on first use, with room for every loop and task)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(12)
    return _POOL


def _track(worker: object, alive: bool) -> None:
    with _RUNNING_LOCK:
        if alive:
            _RUNNING.add(worker)
        else:
            _RUNNING.discard(worker)


class _Relay(QObject):
    """Signals made on the GUI thread: a worker emits the private ones, which are queued to the
    GUI thread and re-emitted there as the public ones, so every callback, lambdas included,
    runs on the GUI thread whatever thread the work ran on."""

    def _relay(self, private: Signal, public: Signal) -> None:
        private.connect(public, Qt.ConnectionType.QueuedConnection)


class TaskSignals(_Relay):
    done = Signal(object)
    failed = Signal(object)  # the exception
    _done = Signal(object)
    _failed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._relay(self._done, self.done)
        self._relay(self._failed, self.failed)


class Task(QRunnable):
    """`fn(*args, **kwargs)` on the pool; `signals.done(result)` or `signals.failed(error)`."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._call = (fn, args, kwargs)

    def run(self) -> None:
        fn, args, kwargs = self._call
        try:
            result = fn(*args, **kwargs)
        except Exception as error:  # reported to the screen, which says what to do
            _log.info("task %s failed: %s", getattr(fn, "__qualname__", fn), error)
            self.signals._failed.emit(error)
        else:
            self.signals._done.emit(result)
        finally:
            _track(self, False)


def submit(
    fn: Callable[..., Any],
    *args: Any,
    done: Callable[[Any], None] | None = None,
    failed: Callable[[Exception], None] | None = None,
    **kwargs: Any,
) -> Task:
    """Run `fn` in the background; `done`/`failed` are called on the receiver's thread."""
    task = Task(fn, *args, **kwargs)
    if done is not None:
        task.signals.done.connect(done)
    if failed is not None:
        task.signals.failed.connect(failed)
    _track(task, True)
    pool().start(task)
    return task


class LoopSignals(_Relay):
    yielded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    _yielded = Signal(object)
    _failed = Signal(object)
    _finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._relay(self._yielded, self.yielded)
        self._relay(self._failed, self.failed)
        self._relay(self._finished, self.finished)


class LoopWorker(QRunnable):
    """Iterates `make()`'s generator on the pool, emitting every item, until the end or `quit()`.

    `on_quit` is called from `quit()` (on the caller's thread) to close the underlying device so
    a read that is blocked waiting for the next frame or audio block returns promptly.
    """

    def __init__(
        self, make: Callable[[], Iterator[Any]], on_quit: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = LoopSignals()
        self._make = make
        self._on_quit = on_quit
        self._quit = threading.Event()
        self._ended = threading.Event()

    def run(self) -> None:
        try:
            for item in self._make():
                if self._quit.is_set():
                    break
                self.signals._yielded.emit(item)
        except Exception as error:
            if not self._quit.is_set():
                self.signals._failed.emit(error)
        finally:
            self._ended.set()
            self.signals._finished.emit()
            _track(self, False)

    def quit(self) -> None:
        self._quit.set()
        if self._on_quit is not None:
            self._on_quit()

    def wait(self, timeout: float) -> bool:
        """Block until the loop has ended (tests and shutdown only); True if it did."""
        return self._ended.wait(timeout)

    @property
    def running(self) -> bool:
        return not self._ended.is_set()


def start_loop(worker: LoopWorker) -> LoopWorker:
    _track(worker, True)
    pool().start(worker)
    return worker
