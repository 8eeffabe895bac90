"""Run `kiosk-hub serve` as a real subprocess on a loopback port, and kill it without mercy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


class HubProcess:
    def __init__(self, data_dir: Path, port: int, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "HUB_DATA_DIR": str(data_dir),
            "HUB_SECRET_KEY": "fault-test-secret-of-at-least-32-characters",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self, timeout: float = 30.0) -> None:
        command = [sys.executable, "-m", "hub.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "warning"]
        log = (self.data_dir / "hub.log").open("ab")
        self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}; see hub.log")
            try:
                httpx.get(f"{self.url}/api/v1/whoami", timeout=1.0)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"the hub did not start within {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, exactly like a power cut of the hub's machine."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
