"""Look and readability: the style sheet (default or high contrast) at the chosen font scale.

Style sheets are plain files shipped as package data of `ui` (`ui/themes/`), so a test centre
can adjust colours without a rebuild; point sizes in them are placeholders filled from the font
scale.
"""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtWidgets import QApplication

from ui.context import Appearance

BASE_POINTS = 13.0
LARGE_FACTOR = 1.6


def style_sheet(appearance: Appearance) -> str:
    name = "high_contrast.qss" if appearance.high_contrast else "default.qss"
    base = BASE_POINTS * appearance.font_scale
    text = files("ui").joinpath("themes", name).read_text(encoding="utf-8")
    return text.replace("@BASE@", f"{base:.1f}").replace("@LARGE@", f"{base * LARGE_FACTOR:.1f}")


def apply(app: QApplication, appearance: Appearance) -> None:
    font = app.font()
    font.setPointSizeF(BASE_POINTS * appearance.font_scale)
    app.setFont(font)
    app.setStyleSheet(style_sheet(appearance))
