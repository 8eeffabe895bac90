"""`kiosk-hub serve --forwarded-allow-ips`: which proxies may say who the client is.

Per-address limits (wrong enrolment codes, sign-in failures) need the real client's address.
Behind a reverse proxy every request comes from the proxy, so the hub believes X-Forwarded-For
from the addresses given here, and from nobody else: a client that writes the header itself
cannot pick a fresh address for every guess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from tests.integration.hub.support import free_port

ENROL = "/api/v1/enrol"


@contextmanager
def _hub(tmp_path: Path, trusted: str) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(
        HUB_DATA_DIR=str(tmp_path),
        HUB_SECRET_KEY="reverse-proxy-test-secret-0123456789abcdef",
        HUB_KEY_MISSES_PER_MINUTE="3",
    )
    command = [sys.executable, "-m", "hub.cli", "serve", "--port", str(port)]
    command += ["--forwarded-allow-ips", trusted, "--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/login", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def _wrong_code(url: str, client: str) -> int:
    body = {"code": "AAAA-BBBB-CCCC", "kiosk_name": "x"}
    return httpx.post(f"{url}{ENROL}", json=body, headers={"X-Forwarded-For": client}).status_code


def test_a_trusted_proxy_names_the_client(tmp_path: Path) -> None:
    with _hub(tmp_path, "127.0.0.1") as url:
        assert [_wrong_code(url, "203.0.113.5") for _ in range(3)] == [401] * 3
        assert _wrong_code(url, "203.0.113.5") == 429  # that client is held back ...
        assert _wrong_code(url, "198.51.100.9") == 401  # ... another behind the proxy is not


def test_an_untrusted_sender_cannot_choose_its_address(tmp_path: Path) -> None:
    with _hub(tmp_path, "192.0.2.254") as url:  # the proxy is elsewhere: 127.0.0.1 is a client
        for n in range(3):
            assert _wrong_code(url, f"203.0.113.{n}") == 401
        assert _wrong_code(url, "198.51.100.9") == 429  # a forged header buys no fresh address
