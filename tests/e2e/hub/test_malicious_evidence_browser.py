"""A malicious snapshot never runs script, in a real browser (Debian's Chromium via Playwright).

Finding 1 of issue 12 as it happened: a compromised kiosk uploads evidence whose bytes are a
page with a script, declares it `text/html` (or an SVG with `onload`, or a JPEG/HTML polyglot),
and an admin opens it, on the session page and by its own URL. The script would read the CSRF
token from the admin page and create an admin user. Here it must never run: no dialog, no
marker set, no user created.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from tests.integration.hub.support import hub_settings, serve_in_thread

from contract.sessionkey import new_session_key
from hub.app import create_app
from hub.container import build_hub

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed: apt-get install chromium",
)
PASSWORD = "correct horse battery"
NOW = "2026-11-24T09:00:00+00:00"
STEAL = (
    "window.top.pwned=1;try{alert('pwned')}catch(e){};"
    "fetch('/admin').then(r=>r.text()).then(t=>{const m=t.match(/name=\"csrf_token\" "
    "value=\"([^\"]+)\"/);return fetch('/admin/users',{method:'POST',headers:{'Content-Type':"
    "'application/x-www-form-urlencoded'},body:'email=evil%40x.test&password=violet+tractor+"
    "sings+at+dawn&role=admin&csrf_token='+m[1]})})"
)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
EVIDENCE = {
    "html page": (b"<!doctype html><body><script>" + STEAL.encode() + b"</script>", "text/html"),
    "svg with onload": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="'
        + STEAL.replace('"', "&quot;").encode()
        + b'"><script>'
        + STEAL.encode()
        + b"</script></svg>",
        "image/svg+xml",
    ),
    "jpeg/html polyglot": (
        JPEG_HEAD + b"<html><script>" + STEAL.encode() + b"</script>",
        "text/html",
    ),
    "xhtml": (
        b'<html xmlns="http://www.w3.org/1999/xhtml"><script>'
        + STEAL.encode()
        + b"</script></html>",
        "application/xhtml+xml",
    ),
}


def _push(url: str, token: str, entries: list[dict[str, Any]]) -> None:
    numbered = [{"outbox_id": n + 1, "created_at": NOW, **e} for n, e in enumerate(entries)]
    answer = httpx.post(
        f"{url}/api/v1/batches",
        json={"entries": numbered},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text


def test_a_malicious_snapshot_never_runs_script(tmp_path: Path) -> None:
    hub = build_hub(hub_settings(tmp_path / "hub"))
    org_id = hub.accounts.ensure_organisation("Acme")
    admin = hub.accounts.create_user(org_id, "admin@acme.test", PASSWORD, "admin")
    secret = hub.accounts.begin_two_factor(admin)
    earlier = datetime.now(UTC) - timedelta(seconds=30)  # leaves this step's code for sign-in
    hub.accounts.confirm_two_factor(admin, pyotp.TOTP(secret).at(earlier))
    token = hub.enrolment.enrol(hub.enrolment.issue_code(org_id, "t").code, "desk").token
    kiosk_session = str(uuid.uuid4())
    entries: list[dict[str, Any]] = [
        {
            "topic": "session.created",
            "payload": {
                "session_id": kiosk_session,
                "session_key": new_session_key(),
                "candidate": {"full_name": "Mallory"},
                "job": {"title": "Engineer"},
                "settings": {},
                "state": "created",
                "created_at": NOW,
            },
        }
    ]
    shas = []
    with serve_in_thread(create_app(hub=hub)) as url, playwright_api.sync_playwright() as pw:
        for name, (data, declared) in EVIDENCE.items():
            sha = hashlib.sha256(data).hexdigest()
            shas.append(sha)
            put = httpx.put(
                f"{url}/api/v1/blobs/{sha}",
                content=data,
                headers={"Authorization": f"Bearer {token}"},
            )
            assert put.status_code in (200, 201)
            ref = {"sha256": sha, "kind": "snapshot", "content_type": declared, "size": len(data)}
            entries.append({"topic": "media", "payload": ref})
            entries.append(
                {
                    "topic": "event",
                    "payload": {
                        "session_id": kiosk_session,
                        "event_id": f"flag-{name.replace(' ', '-').replace('/', '-')}",
                        "kind": "multiple_people",
                        "severity": "high",
                        "confidence": 0.9,
                        "start": 1.0,
                        "end": 2.0,
                        "detector": "test",
                        "snapshot": ref,
                    },
                }
            )
        _push(url, token, entries)
        session_id = next(s.session_id for s in hub.records.list(admin))

        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(accept_downloads=True).new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{url}/login")
        page.fill("input[name=email]", "admin@acme.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
        assert page.url.rstrip("/") == url, page.url

        page.goto(f"{url}/sessions/{session_id}")  # the snapshots shown in the page, as <img>
        assert page.locator("img.snapshot").count() == len(EVIDENCE)
        page.wait_for_timeout(1000)
        assert page.evaluate("typeof window.pwned") == "undefined"
        for sha in shas:  # and each opened by its own URL, as the finding did
            target = f"{url}/sessions/{session_id}/media/{sha}"
            try:
                page.goto(target)
            except playwright_api.Error as error:  # served as a download: nothing to run
                assert "Download is starting" in str(error)
            page.wait_for_timeout(500)
            assert page.evaluate("typeof window.pwned") == "undefined", sha
        browser.close()
    assert dialogs == []
    assert [u.email for u in hub.accounts.users(org_id)] == ["admin@acme.test"]
    hub.close()
