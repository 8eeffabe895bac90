"""Where the plain-file resources (fonts, question bank, demo media, policies) are found."""

from __future__ import annotations

import os
from pathlib import Path

_SOURCE_TREE_RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def resources_dir() -> Path:
    """KIOSK_RESOURCES_DIR when set (an installed kiosk), else the source tree's `resources/`."""
    configured = os.environ.get("KIOSK_RESOURCES_DIR")
    return Path(configured) if configured else _SOURCE_TREE_RESOURCES


def resource(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"resource {path} is missing; reinstall the kiosk or set KIOSK_RESOURCES_DIR"
        )
    return path
