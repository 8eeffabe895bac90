"""Regenerate the demo's recorded media in src/kiosk/resources/demo/media (developers only).

- answer-*.ogg: the sample answers of the demo's interview.json spoken by the piper voice a
  little slower than the question voice, with silence before and after, as a candidate would
  leave it; the kiosk must detect the end of each answer from that silence.
- camera.mp4: a 640x480, 5 fps "webcam" built from scikit-image's public-domain astronaut and
  coffee photos: the candidate, a stretch with nobody, a stretch with a second person. Slow
  drift and light flicker keep it from looking frozen, as a real sensor would.
- id_card.jpg: an invented identity card for the sample candidate, with the same face.

Usage: .venv/bin/python tools/make_demo_media.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import cv2
import numpy as np
import soundfile as sf
from PIL import Image, ImageDraw, ImageFont
from skimage import data

from speech import SAMPLE_RATE, SynthesisOptions, load_audio, synthesize

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "kiosk" / "resources" / "demo"
MEDIA = DEMO / "media"
FONT = ROOT / "src" / "reporting" / "fonts" / "DejaVuSans.ttf"
SIZE = (640, 480)
FPS = 5
# (seconds, scene): the candidate, nobody, two people, the candidate again
SCRIPT = [(22, "candidate"), (6, "nobody"), (14, "candidate"), (4, "two"), (14, "candidate")]


def answers() -> None:
    sample = json.loads((DEMO / "interview.json").read_text(encoding="utf-8"))
    options = SynthesisOptions(engine="piper", length_scale=1.1, fallback=False)
    for item in sample["answers"]:
        speech = synthesize(item["answer"], options=options)
        audio = load_audio(speech.path)
        lead, tail = (
            np.zeros(int(1.2 * SAMPLE_RATE), np.float32),
            np.zeros(4 * SAMPLE_RATE, np.float32),
        )
        sf.write(
            MEDIA / item["recording"],
            np.concatenate([lead, audio, tail]),
            SAMPLE_RATE,
            format="OGG",
            subtype="VORBIS",
        )


def _scene(name: str) -> np.ndarray:
    astronaut = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    if name == "candidate":
        return cv2.resize(astronaut[0:384, 64:576], SIZE)
    if name == "nobody":
        return cv2.resize(cv2.cvtColor(data.coffee(), cv2.COLOR_RGB2BGR), SIZE)
    half = cv2.resize(astronaut[0:480, 32:352], (320, 480))
    return np.hstack([half, cv2.flip(half, 1)])


def camera() -> None:
    writer = cv2.VideoWriter(str(MEDIA / "camera.mp4"), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    frame_number = 0
    for seconds, name in SCRIPT:
        still = _scene(name)
        for _ in range(seconds * FPS):
            t = frame_number / FPS
            shift = np.float32([[1, 0, 3 * math.sin(t / 3)], [0, 1, 2 * math.cos(t / 4)]])
            frame = cv2.warpAffine(still, shift, SIZE, borderMode=cv2.BORDER_REFLECT)
            frame = cv2.convertScaleAbs(frame, alpha=1.0, beta=2 * math.sin(t * 2))
            writer.write(frame)
            frame_number += 1
    writer.release()


def id_card() -> None:
    title, label = ImageFont.truetype(str(FONT), 28), ImageFont.truetype(str(FONT), 20)
    card = Image.new("RGB", (1000, 630), (235, 240, 250))
    draw = ImageDraw.Draw(card)
    draw.text((40, 30), "REPUBLIC OF TESTLAND  IDENTITY CARD", font=title, fill=(20, 20, 80))
    face = cv2.cvtColor(data.astronaut()[20:300, 120:360], cv2.COLOR_RGB2GRAY)
    card.paste(Image.fromarray(face).convert("RGB").resize((240, 300)), (40, 130))
    rows = [
        ("Surname", "ÑÚÑEZ-ØBERG"),
        ("Given names", "JOSÉ"),
        ("Date of birth", "14.03.1990"),
        ("Document No.", "X1234567"),
        ("Date of expiry", "01.01.2031"),
    ]
    for row, (name, value) in enumerate(rows):
        draw.text((320, 130 + 80 * row), name, font=label, fill=(90, 90, 90))
        draw.text((320, 154 + 80 * row), value, font=title, fill=(0, 0, 0))
    card.save(MEDIA / "id_card.jpg", "JPEG", quality=80)


if __name__ == "__main__":
    MEDIA.mkdir(parents=True, exist_ok=True)
    answers()
    camera()
    id_card()
    for path in sorted(MEDIA.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KiB")
