"""What a session pack adds for the kiosk's screens: the candidate's accessibility settings and
the organisation's name and logo. Older peers still validate (defaults, ignored fields) and a
logo is checked by decoding it, so a damaged, oversized or disguised file is refused."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from pydantic import ValidationError

from contract.branding import MAX_LOGO_BYTES, LogoError, check_logo
from contract.sessionkey import new_session_key
from contract.wire import OrganisationWire, SessionPack, SettingsWire

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def _picture(kind: str, size: tuple[int, int] = (160, 48), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 110, 90)).save(out, kind, **options)
    return out.getvalue()


def _pack(**extra: object) -> dict[str, object]:
    return {
        "session_key": new_session_key(),
        "candidate": {"full_name": "Ada Lovelace"},
        "job": {"title": "Analyst"},
        "settings": {"question_count": 3, "extra_time_percent": 25},
        "created_at": NOW.isoformat(),
        "expires_at": (NOW + timedelta(days=1)).isoformat(),
        **extra,
    }


def test_an_older_hubs_pack_validates_with_default_accessibility_and_no_organisation() -> None:
    pack = SessionPack.model_validate(_pack())
    assert pack.organisation is None
    assert (pack.settings.font_scale, pack.settings.high_contrast, pack.settings.captions) == (
        1.0, False, True
    )


def test_a_newer_pack_round_trips_as_json_and_an_older_kiosk_can_ignore_it() -> None:
    logo = _picture("PNG")
    pack = SessionPack.model_validate(
        _pack(
            settings={"font_scale": 1.5, "high_contrast": True, "captions": False},
            organisation=OrganisationWire(name="Northwind Talent", logo=logo),
        )
    )
    body = pack.model_dump_json()
    assert isinstance(json.loads(body)["organisation"]["logo"], str)  # base64 text in JSON
    again = SessionPack.model_validate_json(body)
    assert again.organisation is not None and again.organisation.logo == logo
    assert again.settings == SettingsWire(font_scale=1.5, high_contrast=True, captions=False)
    # what an older kiosk reads: fields it does not know are ignored, never refused
    older = {k: v for k, v in json.loads(body).items() if k != "organisation"}
    older["settings"] = {k: v for k, v in older["settings"].items() if k != "captions"}
    assert SessionPack.model_validate(older).settings.captions is True


@pytest.mark.parametrize("scale", [0.5, 2.25])
def test_a_text_size_outside_100_to_200_percent_is_refused(scale: float) -> None:
    with pytest.raises(ValidationError, match="font_scale"):
        SettingsWire(font_scale=scale)


def test_png_and_jpeg_logos_pass_and_say_their_type() -> None:
    assert check_logo(_picture("PNG")) == "image/png"
    assert check_logo(_picture("JPEG", quality=85)) == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (_picture("GIF"), "GIF picture; use PNG or JPEG"),
        (_picture("PNG")[:60], "a damaged picture .*; use a PNG or JPEG"),
        (_picture("JPEG")[:300], "a damaged picture .*; use a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a picture", "a damaged picture"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "neither PNG nor JPEG"),
        (_picture("PNG", (2000, 40)), "2000x40 pixels; its longest side may be at most 1024"),
    ],
    ids=["empty", "gif", "cut-png", "cut-jpeg", "png-signature-only", "svg", "too-wide"],
)
def test_a_logo_that_is_not_a_small_clean_png_or_jpeg_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(LogoError, match=message):
        check_logo(data)
    with pytest.raises(ValidationError, match="logo"):
        OrganisationWire(name="Northwind", logo=data)


def test_a_logo_over_the_size_limit_is_refused_before_decoding() -> None:
    noise = Image.frombytes("RGB", (400, 400), bytes(range(256)) * 1875)
    out = io.BytesIO()
    noise.save(out, "PNG", compress_level=0)
    assert len(out.getvalue()) > MAX_LOGO_BYTES
    with pytest.raises(LogoError, match=f"at most {MAX_LOGO_BYTES} bytes"):
        check_logo(out.getvalue())
