"""The report's fonts: DejaVu Sans, embedded, so any Latin, Greek or Cyrillic name prints as
written. The TrueType files are this package's data (`reporting/fonts/`), so the kiosk's and the
hub's wheels both carry them; found next to the code, never through the environment."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONTS_DIR = Path(str(files("reporting").joinpath("fonts")))


def _font_file(name: str) -> Path:
    path = FONTS_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"the report font {path} is missing; reinstall interview-kiosk")
    return path


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(_font_file("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(_font_file("DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    # every canvas starts in this font, so no unembedded base-14 font slips into the file
    rl_config.canvas_basefontname = FONT


__all__ = ["BOLD", "FONT", "register_fonts"]
