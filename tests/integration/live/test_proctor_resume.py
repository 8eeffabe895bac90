"""A resumed interview's proctoring run never replaces what an earlier run of the same session
stored: two runs of one session's proctoring, each in a process of its own (the kiosk restarted
between them), over the same recorded camera raise the same events (same kinds, same times),
and both runs' rows are kept, the first run's unchanged."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import cv2
from tests.integration.core.crash_driver import (
    CAMERA,
    DemoCameraClip,
    event_digest,
    eventful_policy,
)
from tests.sample import candidate, job, settings, take_to

from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import ProctoringEvent
from kiosk.live.proctor_feed import ProctorFeed
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from proctor import Detectors


def _proctor_once(
    service: SessionService, session_id: str, detectors: Detectors, writer: SerialWriter
) -> None:
    video = cv2.VideoCapture(str(CAMERA))
    frames, fps = int(video.get(cv2.CAP_PROP_FRAME_COUNT)), video.get(cv2.CAP_PROP_FPS)
    video.release()
    source = DemoCameraClip(random.Random(7), frames, fps)  # the same frames each run
    feed = ProctorFeed(
        detectors, source, session_id=session_id, service=service, writer=writer, bus=EventBus()
    )
    feed.start()
    feed.stop(finish_recording=True)  # a recording is watched to its end
    writer.call(lambda: None)  # every queued write is stored by now
    assert feed.error is None


def _stored(service: SessionService, session_id: str) -> dict[str, ProctoringEvent]:
    return {e.event_id: e for e in service.load(session_id).events}


def _proctor_in_a_new_process(data_dir: Path, session_id: str) -> None:
    subprocess.run(
        [sys.executable, "-m", __name__, str(data_dir), session_id],
        cwd=Path(__file__).resolve().parents[3],
        check=True,
        timeout=300,
    )


def test_a_second_run_of_a_sessions_proctoring_keeps_the_first_runs_events(
    tmp_path: Path,
) -> None:
    service = _service(tmp_path)
    try:
        session = service.create(candidate(), job(), settings())
        take_to(service, session.session_id, SessionState.IN_PROGRESS)
        _proctor_in_a_new_process(tmp_path, session.session_id)
        first = _stored(service, session.session_id)
        _proctor_in_a_new_process(tmp_path, session.session_id)  # resumed after a restart
        both = _stored(service, session.session_id)
    finally:
        service.close()

    assert len(first) >= 2 and any(e.snapshot is not None for e in first.values())
    second = {i: e for i, e in both.items() if i not in first}
    # the same video raised the same events again, under new identities...
    assert sorted((e.kind, e.start, e.end) for e in second.values()) == sorted(
        (e.kind, e.start, e.end) for e in first.values()
    )
    # ...and the first run's rows are all there, exactly as they were
    assert {i: event_digest(both[i]) for i in first} == {
        i: event_digest(e) for i, e in first.items()
    }


def _service(data_dir: Path) -> SessionService:
    return SessionService(open_database(data_dir / "kiosk.db"), MediaStore(data_dir / "media"))


if __name__ == "__main__":
    data_dir, session_id = Path(sys.argv[1]), sys.argv[2]
    kiosk, writer = _service(data_dir), SerialWriter()
    try:
        _proctor_once(kiosk, session_id, Detectors(eventful_policy()), writer)
    finally:
        writer.close()
        kiosk.close()
