"""What a person sees when the input is bad: the kiosk's own one line, not a library's chatter,
and words that fit the mistake (an unknown id is "no session", not a remark on key length)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[3]
JD = ROOT / "resources" / "demo" / "job_description.txt"


def _kiosk(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process, as a user runs it (library state and environment
    such as FFmpeg's log level are per process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


def _pdf_without_end_marker(path: Path) -> Path:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 750, "Jane Doe")
    page.save()
    data = buffer.getvalue()
    path.write_bytes(data[: data.rindex(b"startxref")])  # pypdf warns, then fails
    return path


def test_damaged_pdf_resume_gives_one_line_and_no_pypdf_warning(tmp_path: Path) -> None:
    done = _kiosk("interview", "--resume", str(_pdf_without_end_marker(tmp_path / "cv.pdf")),
                  "--jd", str(JD), data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("kiosk interview: cv.pdf is a damaged PDF")
    assert "pypdf" not in done.stderr and "WARNING" not in done.stderr


def test_cut_video_gives_one_line_and_no_ffmpeg_chatter(tmp_path: Path) -> None:
    video = tmp_path / "cut.mp4"
    video.write_bytes((ROOT / "resources" / "demo" / "media" / "camera.mp4").read_bytes()[:300_000])
    done = _kiosk("proctor", str(video), data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("kiosk proctor: ")
    assert "moov atom" not in done.stderr


@pytest.mark.parametrize("reference", ["3f2a8c1e-0b6d-4c8e-9a51-2b7d4e6f8a90",
                                       "3F2A8C1E-0B6D-4C8E-9A51-2B7D4E6F8A90"])
def test_unknown_session_id_is_no_session_not_a_key_length(tmp_path: Path,
                                                           reference: str) -> None:
    done = _kiosk("report", reference, "--out", str(tmp_path / "r.pdf"),
                  data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.strip() == f"kiosk report: no session with id {reference} on this kiosk"


def test_unknown_but_valid_session_key_is_no_session(tmp_path: Path) -> None:
    from contract.sessionkey import new_session_key

    key = new_session_key()
    done = _kiosk("report", key, "--out", str(tmp_path / "r.pdf"), data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert "no session" in done.stderr and "on this kiosk" in done.stderr
    assert "characters" not in done.stderr


def test_docx_that_is_not_a_zip_via_the_interview_command(tmp_path: Path) -> None:
    resume = tmp_path / "cv.docx"
    resume.write_text("Jane Doe\nPython developer\n")
    done = _kiosk("interview", "--resume", str(resume), "--jd", str(JD),
                  data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.startswith("kiosk interview: cv.docx is not a valid DOCX file")
