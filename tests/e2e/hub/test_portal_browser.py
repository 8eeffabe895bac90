"""A person's path through the portal in a real browser (Debian's Chromium, driven by Playwright):
log in, create a session, hand its key to a kiosk, see the synced report and download its PDF;
the session page reads at a desk (1280 px) and on a tablet (800 px) under the real CSP."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from tests.integration.hub.support import (
    SimulatedKiosk,
    hub_settings,
    memory_keyring,
    run_interview,
    serve_in_thread,
)

from hub.app import create_app
from hub.container import build_hub
from kiosk.settings import KioskSettings
from kiosk.sync import Pusher, enrol, hub_client, import_pack

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed: apt-get install chromium",
)
PASSWORD = "correct horse battery"


def test_hr_creates_a_session_and_downloads_the_synced_report(tmp_path: Path) -> None:
    hub = build_hub(hub_settings(tmp_path / "hub"))
    org_id = hub.accounts.ensure_organisation("Acme")
    hub.accounts.create_user(org_id, "hr@acme.test", PASSWORD, "hr")
    with serve_in_thread(create_app(hub=hub)) as url, playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(accept_downloads=True).new_page()
        page.goto(f"{url}/")
        page.fill("input[name=email]", "hr@acme.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("text=New session")
        page.fill("input[name=candidate_name]", "Ada Lovelace")
        page.fill("input[name=candidate_email]", "ada@example.org")
        page.fill("textarea[name=resume_text]", "Analytical engines, 10 years")
        page.fill("input[name=job_title]", "Engineer")
        page.fill("input[name=question_count]", "2")
        page.click("text=Create session and print the slip")
        key = page.inner_text("#session-key")
        session_path = page.url.removesuffix("/slip").removeprefix(url)

        with memory_keyring():
            enrol(url, hub.enrolment.issue_code(org_id, "t").code, "desk")
            kiosk = SimulatedKiosk.create(tmp_path / "kiosk")
            with hub_client(KioskSettings(data_dir=tmp_path / "kiosk", hub_url=url)) as client:
                local = import_pack(kiosk.service, client.pack(key)).session
                run_interview(kiosk.service, local.session_id, rng=random.Random(3))
                Pusher(kiosk.service, client).drain()
            kiosk.close()

        page.goto(f"{url}/?status=completed")
        page.click("text=Ada Lovelace")
        assert page.url.endswith(session_path)
        assert page.inner_text("#state") == "Ready to review"
        assert page.is_visible("#provisional")
        with page.expect_download() as download_info:
            page.click("#report-pdf")
        saved = tmp_path / "report.pdf"
        download_info.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF")
        page.screenshot(path=str(tmp_path / "session.png"), full_page=True)
        _reads_at_desk_and_tablet_widths(page, f"{url}{session_path}", tmp_path)
        browser.close()
    hub.close()


def _reads_at_desk_and_tablet_widths(page: object, session_url: str, folder: Path) -> None:
    """At 1280 and 800 px the session page scrolls only down, the key stays on one line, the
    organisation's name sits in the header, a snapshot enlarges on a click, the browser reports
    no Content-Security-Policy violation (no inline style or script sneaked in), and the PDF
    opens in the browser instead of downloading (`page.goto` of a download raises)."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)  # type: ignore[attr-defined]
            if "Content Security Policy" in message.text else None)
    for width, height in ((1280, 800), (800, 1100)):
        page.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
        page.goto(session_url)  # type: ignore[attr-defined]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert scroll_width <= width, (width, scroll_width)
        key = page.locator("#session-key").bounding_box()  # type: ignore[attr-defined]
        line = page.evaluate(  # type: ignore[attr-defined]
            "parseFloat(getComputedStyle(document.querySelector('#session-key')).lineHeight)"
        )
        assert key["height"] < 1.5 * line, (width, key, line)
        head = page.locator("header.site-head").bounding_box()  # type: ignore[attr-defined]
        org = page.locator("#org-name").bounding_box()  # type: ignore[attr-defined]
        assert head["y"] <= org["y"] and org["y"] + org["height"] <= head["y"] + head["height"]
        assert org["x"] < width / 2  # beside the product's name, not floating mid-header
        page.screenshot(path=str(folder / f"session-{width}.png"), full_page=True)  # type: ignore[attr-defined]
    page.click(".event a[title=Enlarge]")  # type: ignore[attr-defined]
    assert page.locator(".lightbox:target").is_visible()  # type: ignore[attr-defined]
    assert violations == []
    # the report opens in the browser's PDF viewer under the evidence's sandboxing CSP
    report = page.eval_on_selector("#report-view", "a => a.href")  # type: ignore[attr-defined]
    viewer = page.goto(report)  # type: ignore[attr-defined]
    assert viewer is not None and viewer.headers["content-disposition"].startswith("inline")
    assert page.evaluate("document.contentType") == "application/pdf"  # type: ignore[attr-defined]
