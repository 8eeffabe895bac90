"""The kiosk keeps each proctored interview's observation track while it runs, and
`kiosk proctor --replay SESSION --policy FILE` re-judges it: a stricter policy adds an event,
a looser one removes one, the live policy changes nothing.

Real models on real photos through the kiosk's own `ProctorFeed`, real SQLite and media files.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from contract.proctoring import EventKind
from contract.wire import ObservationsEntry, outbox_entry
from integrity.policy import DEFAULT_POLICY_PATH
from kiosk.bus import EventBus
from kiosk.cli import main
from kiosk.domain.model import Candidate, JobDescription, SessionSettings
from kiosk.live.proctor_feed import ProctorFeed
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.storage.schema import OutboxRow
from proctor import Detectors, ImageSequenceSource, Policy, Still, load_policy
from proctor.frames import SourceItem

FPS = 10.0


class GatedSource:
    """Stills, then a pause until `release()`: the interview is still going at the pause."""

    live = False

    def __init__(self, source: ImageSequenceSource) -> None:
        self._source = source
        self.paused = threading.Event()
        self._gate = threading.Event()

    def frames(self) -> Iterator[SourceItem]:
        yield from self._source.frames()
        self.paused.set()
        self._gate.wait(timeout=120)

    def release(self) -> None:
        self._gate.set()

    def close(self) -> None:
        self._gate.set()


def _astronaut() -> np.ndarray:
    import cv2

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def _two_faces() -> np.ndarray:
    """Two astronauts side by side: two faces, the second person in view."""
    import cv2

    face = cv2.resize(_astronaut(), (320, 320))
    return np.hstack([face, face])


def _live_policy() -> Policy:
    """The bundled policy, with person detection once a second (the test's time budget)."""
    policy = load_policy()
    detection = policy.detection.model_copy(update={"object_rate_hz": 1.0})
    return policy.model_copy(update={"detection": detection})


@pytest.fixture(scope="module")
def proctored(tmp_path_factory) -> Iterator[tuple[SessionService, str, GatedSource, Path]]:
    """One proctored interview: face 4 s, nobody 4 s, two people 2 s, face 3 s (13 s)."""
    root = tmp_path_factory.mktemp("kiosk")
    mp = pytest.MonkeyPatch()
    mp.setenv("KIOSK_DATA_DIR", str(root / "data"))
    service = SessionService.from_settings(KioskSettings())
    session = service.create(
        Candidate("Ada Lovelace"), JobDescription("Engineer", "Builds engines"), SessionSettings()
    )
    empty = np.full((480, 640, 3), 128, np.uint8)
    empty[::8] = 60  # a room with texture: not a covered lens
    stills = [
        Still(_astronaut(), 4.0),
        Still(empty, 4.0),
        Still(_two_faces(), 2.0),
        Still(_astronaut(), 3.0),
    ]
    source = GatedSource(ImageSequenceSource(stills, FPS, size=(640, 480)))
    detectors = Detectors(_live_policy())
    writer = SerialWriter()
    feed = ProctorFeed(
        detectors, source, session_id=session.session_id, service=service, writer=writer,
        bus=EventBus(),
    )
    feed.start()
    assert source.paused.wait(timeout=300), "the stills were not analysed in time"
    writer.call(lambda: None)  # what the feed queued so far is written
    yield service, session.session_id, source, root
    source.release()
    feed.stop()
    writer.close()
    service.close()
    mp.undo()


def test_the_track_is_stored_while_the_interview_runs(proctored):
    service, session_id, _, _ = proctored
    chunks = service.observation_chunks(session_id)  # the run is paused, not finished
    assert [c.seq for c in chunks] == [0]  # 10 s of media: one whole chunk so far
    assert chunks[0].records >= 100 and chunks[0].end - chunks[0].start >= 10.0
    with service.database.sessions() as db:
        rows = db.query(OutboxRow).filter(OutboxRow.topic == "observations").all()
    entry = outbox_entry(rows[0].id, rows[0].topic, rows[0].payload, rows[0].created_at)
    assert isinstance(entry, ObservationsEntry)
    assert entry.payload.track.sha256 == chunks[0].track.sha256


def _policy_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _replay(capsys, session: str, policy: Path) -> tuple[int, str, str]:
    code = main(["proctor", "--replay", session, "--policy", str(policy)])
    out, err = capsys.readouterr()
    return code, out, err


def test_replay_under_other_policies_adds_and_removes_events(proctored, capsys, monkeypatch):
    service, session_id, source, root = proctored
    monkeypatch.setenv("KIOSK_DATA_DIR", str(root / "data"))
    source.release()
    for _ in range(600):  # the run ends: its last, partial chunk is written
        if len(service.observation_chunks(session_id)) == 2:
            break
        threading.Event().wait(0.1)
    stored = service.load(session_id)
    kinds = {e.kind for e in stored.events}
    assert {EventKind.NO_FACE, EventKind.MULTIPLE_PEOPLE} <= kinds
    key = stored.session.session_key
    bundled = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")

    code, out, _ = _replay(capsys, key, DEFAULT_POLICY_PATH)
    assert code == 0 and "No difference" in out  # the live policy judges the same again

    looser = bundled.replace(
        "[rules.multiple_people]\nhold_s = 1.0", "[rules.multiple_people]\nhold_s = 5.0"
    )
    code, out, _ = _replay(capsys, key, _policy_file(root, "looser.toml", looser))
    assert code == 1
    assert "Removed: More than one person in view (high concern), 8.0-10.0 s" in out
    assert "Added" not in out

    stricter = bundled.replace("max_pitch = 30.0", "max_pitch = 1.0").replace(
        "[rules.looking_away]\nhold_s = 5.0", "[rules.looking_away]\nhold_s = 1.0"
    )
    code, out, _ = _replay(capsys, session_id, _policy_file(root, "stricter.toml", stricter))
    assert code == 1
    assert "Added: Looking away from the screen (medium concern), 0.0-" in out
    assert "Removed" not in out
    assert "| Under stricter.toml" in out

    code = main(["proctor", "--replay", key, "--policy", str(root / "looser.toml"), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1 and document["session_id"] == session_id
    assert [e["kind"] for e in document["removed"]] == ["multiple_people"]
    assert document["removed"][0]["thresholds"] == {
        "face_score": 0.7, "hold_s": 1.0, "object_score": 0.4, "release_s": 0.5
    }
    assert document["original_policy_digest"] == _live_policy().digest()
    assert document["policy_digest"] == load_policy(root / "looser.toml").digest()


def test_replay_refuses_a_bad_session_or_policy_with_one_clear_line(proctored, capsys, monkeypatch):
    _, session_id, _, root = proctored
    monkeypatch.setenv("KIOSK_DATA_DIR", str(root / "data"))
    code, out, err = _replay(capsys, "NOPE-NOPE-NOPE", DEFAULT_POLICY_PATH)
    assert code == 2 and out == ""
    assert err.strip() == "kiosk proctor: no session 'NOPE-NOPE-NOPE' on this kiosk"
    broken = _policy_file(root, "broken.toml", "[pose]\nmax_yaw = 400\n")
    code, _, err = _replay(capsys, session_id, broken)
    assert code == 2 and "broken.toml is invalid: pose.max_yaw" in err
    code, _, err = _replay(capsys, session_id, root / "absent.toml")
    assert code == 2 and "absent.toml does not exist" in err
    assert main(["proctor", "--replay", session_id]) == 2
    assert "--replay needs --policy FILE" in capsys.readouterr().err
