"""Screenshots of every screen under a real X server (Xvfb), for the README and docs: every state
of `tests.ui.gallery` at 1280x800 and 1920x1080, in the default and the high-contrast look.

They are written to a temporary folder; `make screenshots` (KIOSK_UPDATE_SCREENSHOTS=1) copies
them over docs/screenshots, so an ordinary test run never changes tracked files. Each picture is
checked to be the size asked for and to hold a drawn screen, not a blank window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from tests.ui.gallery import STATES
from tests.ui.screenshots import LOOKS, SIZES, name

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (apt xvfb)")
def test_screenshots_of_every_screen(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    server = subprocess.Popen(  # -displayfd: Xvfb picks a free display and tells us which
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
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
        expected = {name(s, size, look) for s in STATES for size in SIZES for look, _ in LOOKS}
        assert {p.name for p in out.iterdir()} == expected
        for picture in sorted(out.iterdir()):
            with Image.open(picture) as image:
                width, height = (int(v) for v in picture.stem.split("-")[1].split("x"))
                if not picture.name.startswith("invigilator_panel"):  # a dialog of its own size
                    assert image.size == (width, height), picture.name
                colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
                assert len(colours) > 50, f"{picture.name} looks blank"
        if os.environ.get("KIOSK_UPDATE_SCREENSHOTS") == "1":
            shutil.copytree(out, ROOT / "docs" / "screenshots", dirs_exist_ok=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
