"""Screenshots of every screen under a real X server (Xvfb), for the README and docs.

They are written to a temporary folder; `make screenshots` (KIOSK_UPDATE_SCREENSHOTS=1) copies
them over docs/screenshots, so an ordinary test run never changes tracked files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("start", "consent", "id_check", "id_check_result", "device_check", "interview",
           "invigilator_panel", "completion")


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (apt xvfb)")
def test_screenshots_of_every_screen(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    server = subprocess.Popen(  # -displayfd: Xvfb picks a free display and tells us which
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number or server.poll() is not None:
            pytest.skip("Xvfb could not start")
        display = f":{number}"
        out = tmp_path / "screenshots"
        out.mkdir()
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        result = subprocess.run(
            [sys.executable, "-m", "tests.ui.screenshots", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        if "Could not load the Qt platform plugin" in result.stderr:
            pytest.skip("Qt's xcb plugin cannot load (apt install libxcb-cursor0)")
        assert result.returncode == 0, result.stderr[-3000:]
        for name in SCREENS:
            path = out / f"{name}.png"
            assert path.is_file() and path.stat().st_size > 5_000, name
        if os.environ.get("KIOSK_UPDATE_SCREENSHOTS") == "1":
            shutil.copytree(out, ROOT / "docs" / "screenshots", dirs_exist_ok=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
