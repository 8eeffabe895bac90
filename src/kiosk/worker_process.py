"""One spawned worker process for work that must not run beside the kiosk's window, ending
with the kiosk however the kiosk ends.

Some native code holds Python's GIL for long stretches (dlib, llama.cpp's loader), which would
freeze the window's event loop were it run on one of the kiosk's threads; such work runs in a
worker process instead. A `ProcessPoolExecutor` worker ends when its pool shuts down, but not
when the kiosk is killed (a crash, the power button, the invigilator's kill): measured here, it
was left running under init, holding its models (1.9 GB for the judge), and a restarted kiosk
started another. So every worker watches its parent and exits the moment the parent is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import wait


def single_worker_pool(
    initializer: Callable[..., None] | None = None, initargs: tuple[object, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of one spawned worker (fork would copy the kiosk's threads and Qt) that runs
    `initializer(*initargs)` first and ends when the kiosk's process does."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(initializer, initargs),
    )


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[object, ...]) -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="parent-watch",
                         daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_with(parent_sentinel: int) -> None:
    """Block until the parent process is gone, then end this one at once: whatever it was
    doing was for a kiosk that no longer exists."""
    wait([parent_sentinel])
    os._exit(0)


__all__ = ["single_worker_pool"]
