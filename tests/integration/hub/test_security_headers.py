"""Finding 8: headers. No CSP, no frame protection, no Referrer-Policy, no `no-store` on pages
with personal data; /docs, /redoc and /openapi.json were public; the hub started without
HUB_SECRET_KEY (a random key per process, so two processes rejected each other's logins)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from tests.integration.hub.attack_support import API, Arena, arena
from tests.integration.hub.support import free_port, hub_settings

from hub.app import create_app
from hub.settings import HubConfigurationError


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Arena]:
    with arena(tmp_path / "hub", "") as built:
        yield built


def _pages(two: Arena) -> dict[str, httpx.Response]:
    """Every kind of page an admin sees, an error page, the login page, an API answer."""
    _, session = two.walk_in(two.a)
    admin = two.browser(two.a.users["admin"])
    paths = [
        "/",
        "/admin",
        "/account",
        "/sessions/new",
        f"/sessions/{session}",
        f"/sessions/{session}/slip",
        "/no-such-page",
        "/sessions/x/slip",
    ]
    pages = {path: admin.http.get(path) for path in paths}
    pages["/login"] = two.api.get("/login")
    pages[f"{API}/whoami"] = two.api.get(f"{API}/whoami", headers=two.a.kiosk)
    pages[f"{API}/packs"] = two.api.get(f"{API}/packs", headers=two.a.kiosk)
    return pages


def test_every_page_and_api_answer_carries_the_security_headers(two: Arena) -> None:
    for path, response in _pages(two).items():
        headers = response.headers
        csp = dict(
            ([*part.split(" ", 1), ""])[:2]
            for part in headers["content-security-policy"].split("; ")
        )
        assert csp["frame-ancestors"] == "'none'", path
        assert csp["script-src"] == "'self'" and "unsafe" not in headers["content-security-policy"]
        assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert "camera=()" in headers["permissions-policy"], path
        assert headers["cache-control"] == "no-store", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["strict-transport-security"].startswith("max-age="), path


class _InlineScript(HTMLParser):
    """Collects whatever the CSP would have to block: inline scripts, on* handlers, javascript:
    URLs, inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def test_no_page_has_inline_script_or_style(two: Arena) -> None:
    for path, response in _pages(two).items():
        if "html" in response.headers.get("content-type", ""):
            parser = _InlineScript()
            parser.feed(response.text)
            assert parser.found == [], (path, parser.found)
    static = two.api.get("/static/hub.js")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")


def test_api_docs_are_off_unless_asked_for(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    off = TestClient(create_app(hub_settings(tmp_path / "off")))
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert off.get(path).status_code == 404, path
    on = TestClient(create_app(hub_settings(tmp_path / "on", api_docs=True)))
    assert on.get("/openapi.json").status_code == 200 and on.get("/docs").status_code == 200


def test_the_app_needs_a_long_secret_key_outside_dev_mode(tmp_path: Path) -> None:
    with pytest.raises(HubConfigurationError, match="HUB_SECRET_KEY is not set"):
        create_app(hub_settings(tmp_path / "a", secret_key=None))
    with pytest.raises(HubConfigurationError, match="at least 32"):
        create_app(hub_settings(tmp_path / "b", secret_key="short-and-guessable"))
    assert create_app(hub_settings(tmp_path / "c", secret_key=None, dev=True)) is not None


def _serve(tmp_path: Path, *extra: str, env: dict[str, str]) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    command = [sys.executable, "-m", "hub.cli", "serve", "--port", str(free_port()), *extra]
    return subprocess.Popen(
        command,
        env={**clean, "HUB_DATA_DIR": str(tmp_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kiosk_hub_serve_refuses_to_start_without_a_secret_key_and_says_how(
    tmp_path: Path,
) -> None:
    refused = _serve(tmp_path / "a", env={})
    _, err = refused.communicate(timeout=60)
    assert refused.returncode == 2
    assert "HUB_SECRET_KEY is not set" in err and "export HUB_SECRET_KEY=" in err
    assert "secrets.token_urlsafe" in err and "--dev" in err
    short = _serve(tmp_path / "b", env={"HUB_SECRET_KEY": "1234"})
    assert short.wait(60) == 2


def test_kiosk_hub_serve_dev_starts_without_one(tmp_path: Path) -> None:
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    command = [sys.executable, "-m", "hub.cli", "serve", "--port", str(port), "--dev"]
    process = subprocess.Popen(
        command, env={**clean, "HUB_DATA_DIR": str(tmp_path)}, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 200
        assert "secure" not in answer.headers.get("set-cookie", "").lower()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert re.search(r"development mode", err)
