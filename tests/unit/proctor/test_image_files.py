"""A damaged image file is refused as damaged, never decoded into a grey picture."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from proctor.idcheck import ImageDamagedError, ImageMissingError, decode_image, load_image

RNG = np.random.default_rng(3)
PICTURE = RNG.integers(0, 255, (120, 160, 3), dtype=np.uint8)


def _encoded(extension: str) -> bytes:
    ok, buffer = cv2.imencode(extension, PICTURE)
    assert ok
    return buffer.tobytes()


@pytest.mark.parametrize("extension", [".jpg", ".png"])
def test_an_intact_file_decodes_to_its_pixels(extension):
    image = decode_image(_encoded(extension))
    assert image.shape == PICTURE.shape
    if extension == ".png":  # lossless
        assert np.array_equal(image, PICTURE)


@pytest.mark.parametrize("extension", [".jpg", ".png"])
@pytest.mark.parametrize("kept", [0.3, 0.9])
def test_a_truncated_file_is_damaged_and_says_so(extension, kept):
    data = _encoded(extension)
    with pytest.raises(ImageDamagedError, match=r"card\.jpg is damaged.*truncated"):
        decode_image(data[: int(len(data) * kept)], "card.jpg")


def test_a_jpeg_missing_only_its_end_marker_is_damaged():
    with pytest.raises(ImageDamagedError, match="truncated"):
        decode_image(_encoded(".jpg")[:-2])


@pytest.mark.parametrize("data", [b"", b"plain text, not a picture", b"\xff\xd8\xff" + b"\0" * 50])
def test_empty_or_foreign_bytes_are_damaged(data):
    with pytest.raises(ImageDamagedError):
        decode_image(data, "live.jpg")


def test_a_missing_file_is_missing_not_damaged(tmp_path):
    with pytest.raises(ImageMissingError, match=r"absent\.jpg does not exist"):
        load_image(tmp_path / "absent.jpg")
    path = tmp_path / "ok.png"
    path.write_bytes(_encoded(".png"))
    assert load_image(path).shape == PICTURE.shape
