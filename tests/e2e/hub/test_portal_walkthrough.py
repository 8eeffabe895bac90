"""HR's whole path through the portal in a real browser (Debian's Chromium, driven by Playwright):
create a job, invite two candidates by e-mail (a real SMTP server, aiosmtpd, receives the
invitations), receive both interviews from kiosks, compare the candidates, decide, and export
the job's CSV. Each page is photographed; `KIOSK_UPDATE_SCREENSHOTS=1` copies the pictures to
docs/screenshots/portal, where docs/hub.md shows them."""

from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from tests.integration.hub.smtp_server import SmtpProcess
from tests.integration.hub.support import (
    SimulatedKiosk,
    hub_settings,
    memory_keyring,
    rescored,
    run_interview,
    serve_in_thread,
)

from hub.app import create_app
from hub.container import build_hub
from kiosk.settings import KioskSettings
from kiosk.sync import Pusher, enrol, hub_client, import_pack

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed: apt-get install chromium",
)
PASSWORD = "correct horse battery"
CANDIDATES = {"Grace Hopper": ("grace@example.org", 8.0), "Alan Turing": ("alan@example.org", 5.0)}


def test_hr_hires_for_a_job_from_invitation_to_export(tmp_path: Path) -> None:
    smtp = SmtpProcess(tmp_path / "maildir")
    smtp.start()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    settings = hub_settings(
        tmp_path / "hub",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_tls="none",
        mail_from="hiring@acme.test",
        mail_from_name="Acme Hiring",
        mail_poll_seconds=0,  # the test sends when it chooses
    )
    hub = build_hub(settings)
    org_id = hub.accounts.ensure_organisation("Acme")
    hub.accounts.create_user(org_id, "hr@acme.test", PASSWORD, "hr")
    try:
        with serve_in_thread(create_app(hub=hub)) as url, playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(
                accept_downloads=True, viewport={"width": 1280, "height": 800}
            )
            page = context.new_page()

            def shot(name: str) -> None:
                """Photograph the page, which must read at 1280 px without scrolling sideways."""
                page.wait_for_load_state()
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 1280, (name, width)
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

            page.goto(f"{url}/")
            shot("01-sign-in")
            page.fill("input[name=email]", "hr@acme.test")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            shot("02-sessions")

            # a job, with its description, skills and interview settings
            page.click("header >> text=Jobs")
            page.click("text=New job")
            page.fill("input[name=title]", "Data engineer")
            page.fill("textarea[name=description]", "Build and run the data pipelines in Python.")
            page.fill("input[name=required_skills]", "python, sql, airflow")
            page.fill("input[name=question_count]", "2")
            shot("03-new-job")
            page.click("text=Create the job")
            job_url = page.url
            assert re.search(r"/jobs/[^/]+$", job_url), job_url

            # two candidates booked for it, each invited by e-mail
            keys: dict[str, str] = {}
            for name, (email, _) in CANDIDATES.items():
                page.goto(job_url)
                page.click("text=Book a session for this job")
                page.fill("input[name=candidate_name]", name)
                page.fill("input[name=candidate_email]", email)
                page.fill("textarea[name=resume_text]", f"{name}: ten years of Python and SQL")
                page.check("input[name=invite]")
                if not keys:
                    shot("04-new-session-for-the-job")
                page.click("text=Create session and print the slip")
                keys[name] = page.inner_text("#session-key")
            shot("05-slip")
            assert hub.mail_sender.send_due().sent == 2
            invited = {m["X-RcptTo"]: m for m in smtp.received()}
            for name, (email, _) in CANDIDATES.items():
                text = invited[email].get_body(("plain",)).get_content()
                assert keys[name] in text and "Data engineer" in invited[email]["Subject"]

            # both interviews arrive from kiosks, scored differently
            for n, (name, (_, mean)) in enumerate(CANDIDATES.items()):
                with memory_keyring():  # each kiosk enrols with its own credentials
                    enrol(url, hub.enrolment.issue_code(org_id, "t").code, f"desk {n}")
                    folder = tmp_path / f"kiosk{n}"
                    kiosk = SimulatedKiosk.create(folder)
                    with hub_client(KioskSettings(data_dir=folder, hub_url=url)) as client:
                        local = import_pack(kiosk.service, client.pack(keys[name])).session
                        run_interview(kiosk.service, local.session_id, rng=random.Random(n))
                        rescored(mean, f"{name.split()[0]} explained it")(
                            kiosk.service, local.session_id
                        )
                        Pusher(kiosk.service, client).drain()
                    kiosk.close()

            # the job ranks them; two are compared side by side
            page.goto(job_url)
            ranking = page.locator(".ranking tbody tr")
            assert ranking.count() == 2
            assert "Grace Hopper" in ranking.nth(0).inner_text()  # 8.1 before 5.1
            assert "8.1 / 10" in ranking.nth(0).inner_text()
            shot("06-job-ranking")
            for name in CANDIDATES:
                page.check(f"input[aria-label='compare {name}']")
            page.click("text=Compare the ticked candidates")
            compare = page.inner_text("main")
            assert "Grace explained it" in compare and "Alan explained it" in compare
            shot("07-compare")

            # a decision on the stronger candidate, from her session page
            page.goto(job_url)
            page.click("text=Grace Hopper")
            shot("08-session")
            page.check("input[name=outcome][value=advance]")
            page.fill("#decision-notes", "Clear on pipelines; invite to the panel round.")
            page.click("#decision-submit")
            assert "Advance to next round" in page.inner_text("#decision-state")
            shot("09-decided")

            # the job's candidates as CSV, with the decision in it
            page.goto(job_url)
            with page.expect_download() as download:
                page.click("text=Download the candidates (CSV)")
            rows = list(
                csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig")))
            )
            assert [r["Candidate"] for r in rows] == ["Grace Hopper", "Alan Turing"]
            assert rows[0]["Decision"] == "Advance to next round"
            assert rows[1]["Decision"] == "No decision yet"

            # the landing page now says what is left for HR: one interview to decide on
            page.goto(f"{url}/")
            assert page.inner_text("#needs-undecided").startswith("1 completed interview ")
            shot("10-dashboard")
            browser.close()
    finally:
        smtp.stop()
        hub.close()
    pictures = sorted(p.name for p in shots.iterdir())
    assert len(pictures) == 10, pictures
    if os.environ.get("KIOSK_UPDATE_SCREENSHOTS") == "1":
        shutil.copytree(shots, ROOT / "docs" / "screenshots" / "portal", dirs_exist_ok=True)
