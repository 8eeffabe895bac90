"""Where the plain-file resources (skills vocabulary, question bank) live."""

from __future__ import annotations

import os
from pathlib import Path

_SOURCE_TREE = Path(__file__).resolve().parents[3] / "resources"


def resources_dir() -> Path:
    """KIOSK_RESOURCES_DIR for an installed kiosk, else the source tree's `resources/`."""
    configured = os.environ.get("KIOSK_RESOURCES_DIR")
    return Path(configured).expanduser() if configured else _SOURCE_TREE


def question_bank_dir() -> Path:
    return resources_dir() / "question_bank"


__all__ = ["question_bank_dir", "resources_dir"]
