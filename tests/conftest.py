"""Shared fixtures: every test gets its own data and models environment, never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def kiosk_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test (and every process it starts) gets its own data dir and no secrets: no test
    may touch the user's kiosk database or reach a real Gemini or hub."""
    data = tmp_path / "kiosk-data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    monkeypatch.setenv("KIOSK_KIOSK_ID", "test-kiosk")
    for name in ("KIOSK_GEMINI_API_KEY", "KIOSK_HUB_TOKEN", "KIOSK_HUB_URL"):
        monkeypatch.delenv(name, raising=False)
    return data


#: The kind of every test, from where it lives: `make check` runs the `unit` ones.
KINDS = ("unit", "integration", "ui", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        kind = item.path.relative_to(root).parts[0]
        if kind in KINDS:
            item.add_marker(kind)
