"""`kiosk-hub` refuses bad settings and a bad worker count with one clear line, exit code 2."""

from __future__ import annotations

import pytest

from hub.cli import main


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("HUB_DB_POOL_SIZE", "0", "HUB_DB_POOL_SIZE='0': Input should be greater than or equal"),
        ("HUB_DB_MAX_OVERFLOW", "many", "HUB_DB_MAX_OVERFLOW='many': Input should be a valid"),
        ("HUB_DB_POOL_TIMEOUT_SECONDS", "-1", "HUB_DB_POOL_TIMEOUT_SECONDS='-1'"),
    ],
)
def test_a_bad_pool_setting_is_named_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str,
    says: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_workers_below_one_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path,
) -> None:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HUB_SECRET_KEY", "x" * 40)
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers must be at least 1, not 0" in capsys.readouterr().err
    assert not (tmp_path / "hub.sqlite3").exists()  # refused before anything was opened
