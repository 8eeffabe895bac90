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


@pytest.fixture()
def card_file(photos, tmp_path):
    card = render_id_card(
        card_portrait(photos["astronaut"], (120, 20, 210, 240)),
        surname="COLLINS",
        given="Eileen",
        born=date(1956, 11, 19),
        number="X1234567",
        expires=date(2099, 1, 1),
    )
    path = tmp_path / "card.jpg"
    cv2.imwrite(str(path), card)
    return path


def _verify(card, live, *extra):
    return main(["verify-id", str(card), "--live", str(live), "--name", "Eileen Collins", *extra])


def test_verify_id_exits_0_when_accepted(photos, card_file, tmp_path, capsys):
    live = tmp_path / "live.jpg"
    cv2.imwrite(str(live), cv2.flip(photos["astronaut"], 1))  # the same woman, mirrored
    assert _verify(card_file, live) == 0
    assert "ID accepted." in capsys.readouterr().out


def test_verify_id_exits_1_when_verification_fails(photos, card_file, tmp_path, capsys):
    live = tmp_path / "live.jpg"
    cv2.imwrite(str(live), photos["zidane"])  # another person
    assert _verify(card_file, live, "--json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["accepted"] is False and document["needs_override"] == ["face"]
    assert document["face"]["threshold"] == 0.54
    cv2.imwrite(str(live), photos["coffee"])  # nobody in the live photo
    assert _verify(card_file, live) == 1
    assert "Verification failed" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["card", "live"])
def test_verify_id_exits_3_for_a_truncated_image_and_names_it(
    photos, card_file, tmp_path, capsys, which
):
    live = tmp_path / "live.jpg"
    cv2.imwrite(str(live), cv2.flip(photos["astronaut"], 1))
    damaged = card_file if which == "card" else live
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size * 2 // 3])
    assert _verify(card_file, live) == 3
    captured = capsys.readouterr()
    assert f"{damaged} is damaged" in captured.err and "truncated" in captured.err
    assert "no face" not in captured.out.lower()


def test_verify_id_exits_3_for_a_file_that_is_not_an_image(card_file, tmp_path, capsys):
    notes = tmp_path / "live.jpg"
    notes.write_text("these are my notes, not a photo")
    assert _verify(card_file, notes) == 3
    assert "not an image file" in capsys.readouterr().err


def test_verify_id_exits_2_for_a_missing_file(card_file, tmp_path, capsys):
    assert _verify(card_file, tmp_path / "missing.jpg") == 2
    assert "missing.jpg does not exist" in capsys.readouterr().err
