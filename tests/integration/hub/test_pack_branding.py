"""HR sets the candidate's accessibility in the new-session form, the admin sets the name and
logo kiosks show (`kiosk-hub branding`), and a real kiosk pulling the pack gets both: the
settings in the session, the branding stored with it. Wrong values are refused next to their
field or with the reason, and the hub keeps what it had."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from tests.integration.hub.portal_support import (
    PASSWORD,
    SESSION_FORM,
    Browser,
    Portal,
    portal_hub,
)
from tests.integration.hub.support import SimulatedKiosk, memory_keyring, serve_in_thread

from hub.app import create_app
from hub.cli import main as hub_cli
from hub.errors import InvalidInputError
from hub.views import KioskIdentity
from kiosk.domain.accessibility import Accessibility
from kiosk.domain.model import Branding
from kiosk.settings import KioskSettings
from kiosk.sync import enrol, hub_client, import_pack


@pytest.fixture
def portal(tmp_path: Path, database_url: str) -> Iterator[Portal]:
    with portal_hub(tmp_path / "hub", database_url) as portal:
        yield portal


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 64), (16, 84, 140)).save(out, "PNG")
    return out.getvalue()


def _key(portal: Portal, session_id: str) -> str:
    slip = portal.browser("hr@acme.test").http.get(f"/sessions/{session_id}/slip").text
    found = re.search(r'id="session-key">([^<]+)<', slip)
    assert found is not None
    return found.group(1)


def test_accessibility_and_branding_travel_in_the_pack_to_the_kiosk(
    portal: Portal, tmp_path: Path
) -> None:
    logo = _logo()
    portal.hub.accounts.set_branding(portal.acme, display_name="Acme Recruitment", logo=logo)
    hr = portal.browser("hr@acme.test")
    form = hr.http.get("/sessions/new").text
    assert 'name="font_scale"' in form and '<option value="1.5">150%</option>' in form
    session_id = _create(hr, font_scale="1.5", high_contrast="true", captions="false")
    detail = portal.hub.records.detail(
        portal.hub.accounts.login("hr@acme.test", PASSWORD), session_id
    )
    assert (detail.settings["font_scale"], detail.settings["captions"]) == (1.5, False)

    with serve_in_thread(create_app(hub=portal.hub)) as url, memory_keyring():
        enrol(url, portal.hub.enrolment.issue_code(portal.acme, "t").code, "desk")
        kiosk = SimulatedKiosk.create(tmp_path / "kiosk")
        try:
            with hub_client(KioskSettings(data_dir=tmp_path / "kiosk", hub_url=url)) as client:
                local = import_pack(
                    kiosk.service, client.pack(_key(portal, session_id)), portal.clock.now
                ).session
            assert Accessibility.of(local.settings) == Accessibility(1.5, True, False, 25)
            assert kiosk.service.branding(local.session_id) == Branding("Acme Recruitment", logo)
        finally:
            kiosk.close()


def _create(browser: Browser, **accessibility: str) -> str:
    """HR fills in the new-session form, choosing the accessibility from its lists."""
    response = browser.post(
        "/sessions/new", {**SESSION_FORM, **accessibility}, page="/sessions/new"
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[2]


def test_a_text_size_the_kiosk_cannot_show_is_refused_next_to_its_field(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    response = hr.post(
        "/sessions/new", {**SESSION_FORM, "font_scale": "3"}, page="/sessions/new"
    )
    assert response.status_code == 422
    problem = re.search(r'id="error-font_scale">(.*?)</p>', response.text, re.S)
    assert problem and "less than or equal to 2" in html.unescape(problem.group(1))
    assert 'name="captions"' in response.text and 'value="Ada Lovelace"' in response.text


def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused_and_the_old_one_kept(
    portal: Portal,
) -> None:
    logo = _logo()
    portal.hub.accounts.set_branding(portal.acme, display_name=None, logo=logo)
    with pytest.raises(InvalidInputError, match="neither PNG nor JPEG"):
        portal.hub.accounts.set_branding(portal.acme, display_name="X", logo=b"<svg></svg>")
    with pytest.raises(InvalidInputError, match="at most 200 characters"):
        portal.hub.accounts.set_branding(portal.acme, display_name="A" * 201, logo=None)
    created = _create(portal.browser("hr@acme.test"))
    desk = KioskIdentity("k1", "desk", portal.acme, "Acme")
    shown = portal.hub.packs.by_key(desk, _key(portal, created)).organisation
    assert shown is not None and (shown.name, shown.logo) == ("Acme", logo)


def test_the_branding_command_sets_and_clears_the_logo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "hub"))
    logo = tmp_path / "logo.png"
    logo.write_bytes(_logo())
    args = ["branding", "--organisation", "Acme", "--display-name", "Acme Recruitment"]
    assert hub_cli([*args, "--logo", str(logo)]) == 0
    assert "kiosks show 'Acme Recruitment' with the logo" in capsys.readouterr().out
    logo.write_bytes(b"GIF89a not a logo")
    assert hub_cli([*args, "--logo", str(logo)]) == 2
    assert "the logo is not a picture (its content is neither PNG nor JPEG)" in (
        capsys.readouterr().err
    )
    assert hub_cli([*args, "--logo", str(tmp_path / "missing.png")]) == 2
    assert "cannot read the logo" in capsys.readouterr().err
    assert hub_cli(args) == 0
    assert "without a logo" in capsys.readouterr().out
