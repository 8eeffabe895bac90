"""The kiosk's plain-file resources: fonts, the question bank and the demo's media.

They are package data of `kiosk.resources` (this folder), so a wheel carries them and an
installed kiosk finds them next to its code, exactly as a checkout does; nothing in the
environment can point a kiosk at another question bank. Each package owns the files it reads:
the proctoring policy is `integrity`'s (`integrity.policy`), the style sheets are `ui`'s
(`ui.theme`), the model manifest is `modelstore`'s, because a lower layer may not import this
one.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: The folder of this package. Wheels install unzipped, so package data is a real folder that
#: reportlab, OpenCV and PyAV can open by path.
RESOURCES = Path(str(files(__name__)))


def resource(*parts: str) -> Path:
    path = RESOURCES.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"resource {path} is missing; reinstall the kiosk")
    return path


def question_bank_dir() -> Path:
    return resource("question_bank")


__all__ = ["RESOURCES", "question_bank_dir", "resource"]
