"""Worker processes (ID checks, the judge's model) end with the kiosk, however it ends: a
killed kiosk used to leave its worker running under init, models loaded."""

from __future__ import annotations

import signal
import subprocess
import sys

import psutil
import pytest

_KIOSK = """
import os, sys, time
from kiosk.live.identity import IsolatedIdVerifier

verifier = IsolatedIdVerifier()
print(verifier._pool.submit(os.getpid).result(), flush=True)
if sys.argv[1] == "killed":
    time.sleep(600)
"""


@pytest.mark.parametrize("ending", ["exits", "killed", "terminated"])
def test_the_id_checks_worker_ends_with_its_kiosk(ending: str) -> None:
    waits = "no" if ending == "exits" else "killed"
    kiosk = subprocess.Popen([sys.executable, "-c", _KIOSK, waits], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert kiosk.stdout is not None
        worker = psutil.Process(int(kiosk.stdout.readline()))
        if ending != "exits":
            kiosk.send_signal(signal.SIGKILL if ending == "killed" else signal.SIGTERM)
        kiosk.wait(timeout=60)
        gone, _ = psutil.wait_procs([worker], timeout=30)
        assert gone, f"worker {worker.pid} outlived its kiosk ({ending})"
    finally:
        kiosk.kill()

