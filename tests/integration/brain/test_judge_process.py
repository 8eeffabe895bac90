"""The kiosk's judge runs in a process of its own: loading it leaves the kiosk's threads running
(llama.cpp's loader holds the GIL for its whole load, which froze the window at the device
check), a worker that dies is reported and replaced, and no worker outlives its kiosk."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from tests.sample import models_without_judge

from kiosk.brain.judge import JudgeUnavailable, get_judge_model
from kiosk.brain.judge.isolated import get_isolated_judge_model

pytestmark = pytest.mark.slow

#: The longest a Python thread of the kiosk may go unscheduled while the judge loads. The
#: switch interval is 5 ms; loads held the GIL for 1.4–2.9 s here.
LONGEST_PAUSE_S = 1.0
SAY_YES = ([{"role": "user", "content": "Say yes."}], 'root ::= "yes" | "no"', 2)

_WHILE_LOADING = """
import json, sys, threading, time
from kiosk.live.judging import load_point_judge

pauses, loaded = [], threading.Event()
def tick():
    last = time.perf_counter()
    while not loaded.is_set():
        time.sleep(0.005)
        now = time.perf_counter()
        pauses.append(now - last)
        last = now
ticker = threading.Thread(target=tick)
ticker.start()
judge = load_point_judge()
judge.warm_up()
loaded.set()
ticker.join()
print(json.dumps({"longest_pause": max(pauses), "ticks": len(pauses),
                  "llama_here": "xllamacpp" in sys.modules}))
"""


def test_loading_the_judge_leaves_the_kiosks_other_threads_running() -> None:
    done = subprocess.run([sys.executable, "-c", _WHILE_LOADING], capture_output=True,
                          text=True, timeout=600, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ticks"] > 20  # the load and the warm-up took long enough to be watched
    assert seen["longest_pause"] < LONGEST_PAUSE_S, seen  # 2.87 s before the worker process
    assert not seen["llama_here"]  # the model lives in the worker, not in the kiosk


def test_a_judge_whose_process_dies_says_so_and_is_started_again() -> None:
    model = get_isolated_judge_model()
    assert model.complete(*SAY_YES).text in {"yes", "no"}
    psutil.Process(model.pid).kill()
    with pytest.raises(JudgeUnavailable, match="judge's process stopped"):
        model.complete(*SAY_YES)
    assert not model.alive
    again = get_isolated_judge_model()
    assert again is not model and again.pid != model.pid
    assert again.complete(*SAY_YES).text in {"yes", "no"}


def test_a_missing_model_is_named_as_without_a_worker(tmp_path: Path) -> None:
    folder = models_without_judge(tmp_path / "models")
    with pytest.raises(JudgeUnavailable) as in_process:
        get_judge_model(folder)
    with pytest.raises(JudgeUnavailable) as isolated:
        get_isolated_judge_model(folder)
    assert str(isolated.value) == str(in_process.value)  # names the file and `make models`


_JUDGING_FOREVER = """
import sys, threading, time
from kiosk.brain.judge.isolated import get_isolated_judge_model
from kiosk.brain.judge.model import JudgeClosed

model = get_isolated_judge_model()
started = threading.Event()
def judge_forever():
    while True:
        started.set()
        try:
            model.complete([{'role': 'user', 'content': 'Count to fifty in words.'}],
                           'root ::= [a-z ,]+', 24)
        except JudgeClosed:  # the kiosk is ending: its judge says so, as the scorer expects
            return
threading.Thread(target=judge_forever, daemon=True).start()
started.wait()
print(model.pid, flush=True)
if sys.argv[1] == "killed":
    time.sleep(600)
"""


@pytest.mark.parametrize("ending", ["exits", "killed"])
def test_no_judge_worker_outlives_its_kiosk(ending: str) -> None:
    """Whether the kiosk ends normally while its judge answers or is killed (a crash, a power
    button), its worker, holding 1.9 GB, must end with it; a restarted kiosk loads its own."""
    kiosk = subprocess.Popen([sys.executable, "-c", _JUDGING_FOREVER, ending],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert kiosk.stdout is not None
        worker = psutil.Process(int(kiosk.stdout.readline()))
        if ending == "killed":
            kiosk.send_signal(signal.SIGKILL)
        assert kiosk.wait(timeout=120) == (-signal.SIGKILL if ending == "killed" else 0)
        assert kiosk.stderr is not None and "Traceback" not in kiosk.stderr.read()
        gone, _ = psutil.wait_procs([worker], timeout=60)
        assert gone, f"the judge's worker {worker.pid} outlived its kiosk"
    finally:
        kiosk.kill()
