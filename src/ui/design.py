"""The design system's numbers: colours, text sizes, spaces and radii, for one candidate's look.

Everything a screen draws comes from `ui/themes/tokens.toml` through a `Theme`: the style
sheet (`ui/themes/kiosk.qss`, one template for both palettes) and the widgets that paint
themselves (the step indicator, the countdown, the camera's framing guides) alike. So the
default and the high-contrast looks are two palettes over one design, and a text size is one
number that every size follows. Qt-free: the window applies a theme (`ui.theme`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from kiosk.domain.accessibility import Accessibility

_PLACEHOLDER = re.compile(r"@([a-z0-9_]+)@")
#: The design system's files are package data of `ui` (a wheel carries them; no lower layer
#: reads them).
THEMES = Path(str(files("ui").joinpath("themes")))


def theme_file(name: str) -> Path:
    path = THEMES / name
    if not path.is_file():
        raise FileNotFoundError(f"theme file {path} is missing; reinstall the kiosk")
    return path


class ThemeError(ValueError):
    """The tokens or the style sheet template do not fit together; the message says where."""


@cache
def tokens() -> dict[str, Any]:
    return tomllib.loads(theme_file("tokens.toml").read_text(encoding="utf-8"))


@cache
def template() -> str:
    return theme_file("kiosk.qss").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Theme:
    """One look: a palette at a text size. Sizes are points (text) and pixels (spaces)."""

    font_scale: float = 1.0
    high_contrast: bool = False

    @classmethod
    def of(cls, accessibility: Accessibility) -> Theme:
        return cls(accessibility.font_scale, accessibility.high_contrast)

    @property
    def palette_name(self) -> str:
        return "high_contrast" if self.high_contrast else "default"

    @property
    def family(self) -> str:
        return str(tokens()["type"]["family"])

    def colour(self, name: str) -> str:
        palette = tokens()["palette"][self.palette_name]
        if name not in palette:
            raise ThemeError(f"the {self.palette_name} palette has no colour {name!r}")
        return str(palette[name])

    def points(self, role: str) -> float:
        """The text size of `role` (small, body, lead, title, display, ...), in points."""
        ratios = tokens()["type"]["ratio"]
        if role not in ratios:
            raise ThemeError(f"there is no text role {role!r} (known: {', '.join(ratios)})")
        ratio = float(ratios[role])
        grown = 1 + (ratio - 1) / self.font_scale  # larger roles grow less than the body
        return round(float(tokens()["type"]["base_pt"]) * self.font_scale * grown, 1)

    def space(self, name: str) -> int:
        """A spacing in pixels: it grows half as fast as the text."""
        spaces = tokens()["space"]
        if name not in spaces:
            raise ThemeError(f"there is no space {name!r} (known: {', '.join(spaces)})")
        return round(int(spaces[name]) * (1 + (self.font_scale - 1) / 2))

    def radius(self, name: str) -> int:
        return int(tokens()["radius"][name])

    def values(self) -> dict[str, str]:
        """Every placeholder of the style sheet template and its value."""
        palette = tokens()["palette"][self.palette_name]
        values = {name: str(value) for name, value in palette.items()}
        for name, value in palette.items():  # pictures the sheet draws, as absolute paths
            if name.endswith("_icon"):
                values[name] = theme_file(str(value)).as_posix()
        values.update({f"pt_{role}": f"{self.points(role)}" for role in tokens()["type"]["ratio"]})
        values.update({f"px_{name}": str(self.space(name)) for name in tokens()["space"]})
        values.update({f"r_{name}": str(self.radius(name)) for name in tokens()["radius"]})
        values["family"] = self.family
        return values

    def style_sheet(self) -> str:
        """The style sheet with every placeholder filled; an unknown one is an error, never a
        silently broken rule."""
        values = self.values()
        missing = sorted({m for m in _PLACEHOLDER.findall(template()) if m not in values})
        if missing:
            raise ThemeError(f"kiosk.qss uses tokens that tokens.toml lacks: {', '.join(missing)}")
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template())


__all__ = ["Theme", "ThemeError", "template", "tokens"]
