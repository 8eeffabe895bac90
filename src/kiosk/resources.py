"""Where the plain-file resources (fonts, question bank, demo media, themes) are found.

They ship with the code, so they are found next to it, never through the environment: there is
no setting that could point a kiosk at another question bank.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    path = RESOURCES.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"resource {path} is missing; reinstall the kiosk")
    return path


def question_bank_dir() -> Path:
    return resource("question_bank")


__all__ = ["RESOURCES", "question_bank_dir", "resource"]
