"""Proctoring at camera rate while Whisper transcribes an answer, on the labelled photos.

A real camera is not available on build machines, so the evaluation photos (`proctor_eval`) are
replayed in real time as a 30 fps 640x480 camera (`ImageSequenceSource(realtime=True)`): the
pipeline sees a live source, drops frames if it falls behind, and runs person/object detection
on its background thread, as at a kiosk. Meanwhile another process replays a synthesised
spoken answer in real time through the kiosk's speech pipeline (VAD, live captions, Whisper
tiny.en on 2 threads), as during an interview.

A third run puts the on-device judge beside the camera instead (another process, at the low
priority the kiosk gives it, judging the graded answers back to back), for the issue's target:
faces still at camera rate and person detection at its rate while the judge runs.

Figures: faces analysed per second, person/object detection rate, the proctor's CPU (process
CPU time / wall time, 1.0 = one core; the helper process is measured apart), and flag latency:
from the moment a labelled condition had lasted its hold time to the event reaching the
consumer, in wall-clock time.
"""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from bench import proctor_eval as pe
from proctor import ImageSequenceSource, ProctorSession, load_policy

CAMERA_FPS = 30.0
#: The live scene: a calm candidate, then each kind of labelled condition in turn.
SCENE = pe.EvalSequence(
    "live scene",
    tuple(
        pe.Segment(name, seconds)
        for name, seconds in (
            ("astronaut", 4.0),
            ("coffee", 5.0),
            ("astronaut", 3.0),
            ("zidane", 4.0),
            ("astronaut", 3.0),
            ("covered-hand", 3.0),
            ("astronaut", 3.0),
            ("office-left13", 5.0),
            ("astronaut", 3.0),
        )
    ),
)


def _percentiles(values: list[float], unit: str = "ms") -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        f"median_{unit}": round(statistics.median(ordered), 2),
        f"p95_{unit}": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
        f"max_{unit}": round(ordered[-1], 2),
    }


def _transcribe_forever(stop: multiprocessing.synchronize.Event, report: multiprocessing.Queue):
    """Child process: replay a spoken answer in real time through the live speech pipeline."""
    from speech import FileSource, TranscribeOptions, listen, preload_model, synthesize

    with tempfile.TemporaryDirectory() as scratch:
        text = (
            "In my last role I led a team of five engineers building a payment service. "
            "We started with a small prototype and measured how customers used it."
        )
        wav = synthesize(text, cache_dir=Path(scratch)).path
        options = TranscribeOptions(model="tiny.en", cpu_threads=2)
        preload_model("tiny.en", 2)
        report.put("ready")
        answers, cpu0 = 0, time.process_time()
        while not stop.is_set():
            for _ in listen(FileSource(wav, realtime=True), options):
                if stop.is_set():
                    break
            answers += 1
        report.put({"answers": answers, "cpu_s": time.process_time() - cpu0})


def _judge_forever(stop: multiprocessing.synchronize.Event, report: multiprocessing.Queue):
    """Child process: the on-device judge as the kiosk runs it (its thread at low priority
    before llama.cpp starts its threads), judging the graded answers one after another."""
    import json

    from kiosk.brain import OfflineScorer
    from kiosk.brain.bank import load_bank
    from kiosk.brain.embeddings import get_encoder
    from kiosk.brain.judge import PointJudge, get_judge_model, lower_thread_priority
    from kiosk.domain.model import Question

    lower_thread_priority()
    model = get_judge_model()
    encoder = get_encoder()
    data = Path(__file__).resolve().parents[1] / "tests" / "data" / "brain"
    cases = json.loads((data / "labelled_answers.json").read_text())["cases"]
    bank = load_bank()
    report.put("ready")
    answers, cpu0 = 0, time.process_time()
    while not stop.is_set():
        case = cases[answers % len(cases)]
        entry = bank.by_id(case["q"])
        question = Question(entry.bank_id, 0, entry.kind, entry.text, "", "", entry.points)
        # a new judge each time: its cache would answer a repeated answer at once
        OfflineScorer(encoder, PointJudge(model)).assess(question, "bench", case["answer"])
        answers += 1
    report.put({"answers": answers, "cpu_s": time.process_time() - cpu0})


def _live_run(background: str = "") -> dict[str, object]:
    """The camera at 30 fps, alone or beside Whisper ("speech") or the judge ("judge")."""
    policy = load_policy()
    session = ProctorSession(policy)
    context = multiprocessing.get_context("spawn")
    stop, report = context.Event(), context.Queue()
    target = _judge_forever if background == "judge" else _transcribe_forever
    helper = context.Process(target=target, args=(stop, report), daemon=True)
    if background:
        helper.start()
        report.get(timeout=300)
    source = ImageSequenceSource(SCENE.stills(), CAMERA_FPS, size=pe.FRAME_SIZE, realtime=True)
    flagged: dict[int, float] = {}
    finals = {}
    wall0, cpu0 = time.monotonic(), time.process_time()
    for event in session.run(source):
        if event.end is None:
            flagged.setdefault(event.id, time.monotonic() - wall0)
        finals[event.id] = event
    wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
    speech_figures: dict[str, object] = {}
    if background:
        stop.set()
        done = report.get(timeout=300)  # the answer under way finishes first
        helper.join(timeout=30)
        speech_figures = {
            f"{background}_answers_done": done["answers"],
            f"{background}_cpu_cores": round(done["cpu_s"] / wall, 2),
        }
    scores = pe.score(SCENE.expected(policy), finals.values(), flagged, policy)
    delays = [d * 1000 for s in scores.values() for d in s.flag_delays]
    stats = session.stats
    return {
        "media_seconds": round(source.duration, 1),
        "frames_analyzed": stats.frames_analyzed,
        "frames_dropped": stats.frames_dropped,
        "face_fps": round(stats.frames_analyzed / wall, 1),
        "detection_hz": round(len(stats.object_runs) / wall, 2),
        "proctor_cpu_cores": round(cpu / wall, 2),
        "stages": {
            "face": _percentiles(stats.stage_ms.get("face", [])),
            "objects": _percentiles(list(stats.object_runs.values())),
        },
        "flag_latency_past_hold": _percentiles(delays),
        "events_found": {k.value: f"{s.found}/{s.expected}" for k, s in scores.items()},
        **speech_figures,
    }


def run() -> dict[str, object]:
    policy = load_policy()
    return {
        "resolution": f"{pe.FRAME_SIZE[0]}x{pe.FRAME_SIZE[1]}",
        "camera_fps": CAMERA_FPS,
        "object_model": policy.detection.object_model,
        "object_rate_hz": policy.detection.object_rate_hz,
        "with_whisper": _live_run("speech"),
        "with_judge": _live_run("judge"),
        "alone": _live_run(),
    }
