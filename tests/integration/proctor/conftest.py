"""Real photos and real models for the proctor's integration tests, built once per session."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from modelstore.provision import download_package, read_member
from proctor import Policy, load_policy
from reporting.fonts import FONTS_DIR

REPO = Path(__file__).resolve().parents[3]
ASSETS = REPO / ".cache" / "test-assets"
ULTRALYTICS = "ultralytics==8.4.190"  # pinned: the photos' bytes must not change under us
FONT = FONTS_DIR / "DejaVuSans.ttf"


def _ultralytics_photo(name: str) -> np.ndarray:
    target = ASSETS / name
    if not target.is_file():
        wheel = download_package(ULTRALYTICS, None, ASSETS / "packages")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_member(wheel, f"ultralytics/assets/{name}"))
    image = cv2.imread(str(target))
    assert image is not None, f"{target} is not an image"
    return image


@pytest.fixture(scope="session")
def photos() -> dict[str, np.ndarray]:
    """BGR test photos: astronaut (one face), coffee (nobody), zidane (two men), bus."""
    from skimage import data

    return {
        "astronaut": cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR),
        "coffee": cv2.cvtColor(data.coffee(), cv2.COLOR_RGB2BGR),
        "zidane": _ultralytics_photo("zidane.jpg"),
        "bus": _ultralytics_photo("bus.jpg"),
    }


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


def with_object_rate(policy: Policy, rate_hz: float, **objects: tuple[str, ...]) -> Policy:
    """The policy with another person-detection rate (tests run YOLO less often to save time)."""
    detection = policy.detection.model_copy(update={"object_rate_hz": rate_hz})
    classes = policy.objects.model_copy(update=objects)
    return policy.model_copy(update={"detection": detection, "objects": classes})


def render_id_card(
    face_bgr: np.ndarray,
    *,
    surname: str,
    given: str,
    born: date,
    number: str,
    expires: date,
) -> np.ndarray:
    """A synthetic ID card as a camera would see it: printed photo, JPEG-compressed."""
    title = ImageFont.truetype(str(FONT), 28)
    label_font = ImageFont.truetype(str(FONT), 20)
    card = Image.new("RGB", (1000, 630), (235, 240, 250))
    draw = ImageDraw.Draw(card)
    draw.text((40, 30), "REPUBLIC OF TESTLAND  IDENTITY CARD", font=title, fill=(20, 20, 80))
    portrait = cv2.cvtColor(face_bgr, cv2.COLOR_BGR2RGB)
    card.paste(Image.fromarray(portrait).resize((240, 300)), (40, 130))
    rows = [
        ("Surname", surname),
        ("Given names", given),
        ("Date of birth", born.strftime("%d.%m.%Y")),
        ("Document No.", number),
        ("Date of expiry", expires.strftime("%d.%m.%Y")),
    ]
    for row, (label, value) in enumerate(rows):
        y = 130 + 80 * row
        draw.text((320, y), label, font=label_font, fill=(90, 90, 90))
        draw.text((320, y + 24), value, font=title, fill=(0, 0, 0))
    buffer = io.BytesIO()
    card.save(buffer, "JPEG", quality=75)
    return cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_COLOR)


def card_portrait(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """A passport-style portrait: crop, greyscale, shrink (a printed photo loses detail)."""
    x, y, w, h = box
    grey = cv2.cvtColor(image[y : y + h, x : x + w], cv2.COLOR_BGR2GRAY)
    small = cv2.resize(grey, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
