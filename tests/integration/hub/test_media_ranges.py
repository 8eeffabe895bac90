"""HR seeks in a recording: the media routes answer Range requests (206, 416) from either store,
with the same types and inert headers as a whole download."""

from __future__ import annotations

import io
import os
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import Arena, arena, event, media
from tests.integration.hub.s3 import S3Server


def _wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(os.urandom(int(16000 * seconds) * 2))
    return out.getvalue()


@pytest.fixture(params=["folder", "s3"])
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Arena]:
    settings: dict[str, object] = {}
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3")
        settings = server.settings()
    with arena(tmp_path / "hub", "", **settings) as built:
        yield built


def test_audio_can_be_fetched_by_byte_range(two: Arena) -> None:
    session, hub_id = two.walk_in(two.a)
    audio = _wav(3.0)
    ref = {**two.put_blob(two.a, audio), "content_type": "text/html"}
    assert two.push(two.a, media(ref), event(session, "f-audio", ref)).status_code == 200
    hr = two.browser(two.a.users["hr"])
    url = f"/sessions/{hub_id}/media/{ref['sha256']}"
    size = len(audio)

    whole = hr.http.get(url)
    assert whole.status_code == 200 and whole.content == audio
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-length"] == str(size)

    asked = {
        "bytes=0-99": (0, 99),
        "bytes=1000-": (1000, size - 1),
        "bytes=-500": (size - 500, size - 1),
        f"bytes=50000-{size + 1000}": (50000, size - 1),  # an end past the file is clipped
    }
    for header, (first, last) in asked.items():
        part = hr.http.get(url, headers={"Range": header})
        assert part.status_code == 206, header
        assert part.headers["content-range"] == f"bytes {first}-{last}/{size}", header
        assert part.content == audio[first : last + 1], header
        assert part.headers["content-type"] == "audio/wav"
        assert part.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in part.headers["content-security-policy"]
        assert "no-store" in part.headers["cache-control"]

    for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        refused = hr.http.get(url, headers={"Range": header})
        assert refused.status_code == 416, header
        assert refused.headers["content-range"] == f"bytes */{size}", header
        assert "sandbox" in refused.headers["content-security-policy"]

    # a Range the hub does not serve as parts (several ranges, other units, nonsense) is ignored
    for header in ("bytes=0-1,5-9", "items=0-1", "bytes=9-2", "bytes=abc"):
        ignored = hr.http.get(url, headers={"Range": header})
        assert ignored.status_code == 200 and ignored.content == audio, header


def test_an_invigilator_gets_no_range_of_evidence(two: Arena) -> None:
    session, hub_id = two.walk_in(two.a)
    ref = two.put_blob(two.a, _wav(0.5))
    assert two.push(two.a, media(ref), event(session, "f-inv", ref)).status_code == 200
    invigilator = two.browser(two.a.users["invigilator"])
    url = f"/sessions/{hub_id}/media/{ref['sha256']}"
    assert invigilator.http.get(url, headers={"Range": "bytes=0-10"}).status_code == 403
    other_hr = two.browser(two.b.users["hr"])
    assert other_hr.http.get(url, headers={"Range": "bytes=0-10"}).status_code == 404
