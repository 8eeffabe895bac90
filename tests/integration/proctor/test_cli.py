"""The `kiosk proctor` and `kiosk verify-id` commands end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.cli import main
from proctor.sources import fit_to

from .conftest import card_portrait, render_id_card

FPS = 5


@pytest.fixture(scope="module")
def video(photos, tmp_path_factory):
    """An MJPEG video: a face for 2 s, then nobody for 4 s, with a little sensor noise.

    Without noise every frame would repeat exactly and the proctor would rightly report a
    frozen camera instead.
    """
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("video") / "session.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (640, 480))
    for photo, seconds in (("astronaut", 2), ("coffee", 4)):
        frame = fit_to(photos[photo], (640, 480))
        for _ in range(seconds * FPS):
            noise = rng.normal(0, 2.0, frame.shape)
            writer.write(np.clip(frame + noise, 0, 255).astype(np.uint8))
    writer.release()
    return path


def test_proctor_video_json(video, tmp_path, capsys):
    assert main(["proctor", str(video), "--json", "--snapshots", str(tmp_path)]) == 0
    document = json.loads(capsys.readouterr().out)
    (event,) = [e for e in document["events"] if e["kind"] == "no_face"]
    assert event["start"] == pytest.approx(2.0, abs=0.5)
    assert event["snapshot"] == str(tmp_path / f"00002s-no_face-{event['id'][:8]}.jpg")
    assert Path(event["snapshot"]).is_file()
    assert document["frames_analyzed"] == 6 * FPS
    assert document["summary"]["reasons"][0].startswith("No face was visible for")


def test_proctor_video_text(video, capsys):
    assert main(["proctor", str(video)]) == 0
    out = capsys.readouterr().out
    assert "no_face" in out and "Integrity confidence:" in out


def test_proctor_bad_inputs_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video")
    assert main(["proctor", str(bad)]) == 2
    assert "corrupt" in capsys.readouterr().err
    assert main(["proctor", "--camera", "97"]) == 2
    assert "camera 97 could not be opened" in capsys.readouterr().err
    policy = tmp_path / "policy.toml"
    policy.write_text("[detection]\nface_score = 2\n")
    assert main(["proctor", str(bad), "--policy", str(policy)]) == 2
    assert "policy" in capsys.readouterr().err


def test_verify_id(photos, tmp_path, capsys):
    card = render_id_card(
        card_portrait(photos["astronaut"], (120, 20, 210, 240)),
        surname="COLLINS",
        given="Eileen",
        born=date(1956, 11, 19),
        number="X1234567",
        expires=date(2099, 1, 1),
    )
    cv2.imwrite(str(tmp_path / "card.jpg"), card)
    cv2.imwrite(str(tmp_path / "live.jpg"), photos["zidane"])
    argv = ["verify-id", str(tmp_path / "card.jpg"), "--live", str(tmp_path / "live.jpg")]
    assert main([*argv, "--name", "Eileen Collins", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["needs_override"] == ["face"]
    assert document["face"]["threshold"] == 0.54
    assert main(["verify-id", str(tmp_path / "missing.jpg"), "--live", "x", "--name", "A B"]) == 2
    assert "not a readable image" in capsys.readouterr().err
