"""`kiosk demo`, as `make demo` runs it: a whole sample session ending in a readable PDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_prints_the_path_of_a_complete_labelled_report(
    kiosk_env: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = Path(result.stdout.strip().splitlines()[-1])
    assert report.is_file() and report.is_relative_to(tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SAMPLE DATA" in text
    assert "José Ñúñez-Øberg" in text
    for section in (
        "Recommendation",
        "Questions and answers",
        "Identity check",
        "Proctoring and integrity",
        "Timeline",
    ):
        assert section in text, section
    assert "[demo]" in result.stdout  # progress is shown
