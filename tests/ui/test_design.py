"""The design system: both themes come from one set of tokens, every pair of colours that text is
drawn in keeps its contrast, sizes follow the candidate's text size, and applying a theme is safe
to repeat for every candidate."""

from __future__ import annotations

import re
import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from ui import theme
from ui.components.layout import vbox
from ui.design import Theme, ThemeError, template, tokens

LOOKS = (Theme(), Theme(high_contrast=True))
#: (text, background) pairs the style sheet and the painted widgets draw text in.
TEXT_ON = (
    ("text", "canvas"),
    ("text", "surface"),
    ("heading", "surface"),
    ("text_muted", "canvas"),
    ("text_muted", "surface"),
    ("primary", "surface"),  # quiet buttons and links
    ("on_primary", "primary"),
    ("on_primary", "primary_hover"),
    ("on_danger", "danger"),
    ("on_danger", "danger_hover"),
    ("danger", "danger_soft"),
    ("warning", "warning_soft"),
    ("success", "success_soft"),
    ("text", "primary_soft"),
    ("text", "subtle"),
    ("on_camera", "camera"),
)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_both_palettes_name_the_same_tokens() -> None:
    palettes = tokens()["palette"]
    assert set(palettes) == {"default", "high_contrast"}
    assert set(palettes["default"]) == set(palettes["high_contrast"])


@pytest.mark.parametrize("look", LOOKS, ids=["default", "high-contrast"])
def test_text_keeps_its_contrast(look: Theme) -> None:
    least = 7.0 if look.high_contrast else 4.5  # WCAG AAA in high contrast, AA otherwise
    weak = [
        f"{fg} on {bg}: {contrast(look.colour(fg), look.colour(bg)):.2f}"
        for fg, bg in TEXT_ON
        if contrast(look.colour(fg), look.colour(bg)) < least
    ]
    assert weak == []


@pytest.mark.parametrize("look", LOOKS, ids=["default", "high-contrast"])
def test_one_template_fills_completely_for_each_look(look: Theme) -> None:
    sheet = look.style_sheet()
    assert not re.search(r"@[a-z0-9_]+@", sheet)
    assert f"background: {look.colour('primary')}" in sheet
    # the two looks differ only in values: the same rules, in the same order
    assert sheet.count("{") == template().count("{")


def test_an_unknown_token_is_an_error_that_names_it() -> None:
    with pytest.raises(ThemeError, match="no colour 'sparkle'"):
        Theme().colour("sparkle")
    with pytest.raises(ThemeError, match="no text role 'huge'"):
        Theme().points("huge")
    with pytest.raises(ThemeError, match="no space 'vast'"):
        Theme().space("vast")


def test_sizes_follow_the_text_size_and_headings_stay_headings() -> None:
    standard, doubled = Theme(), Theme(font_scale=2.0)
    assert doubled.points("body") == pytest.approx(2 * standard.points("body"))
    # headings grow less than the body, but stay larger than it at every scale
    assert doubled.points("title") < 2 * standard.points("title")
    for scale in (1.0, 1.25, 1.5, 1.75, 2.0):
        look = Theme(font_scale=scale)
        sizes = [look.points(role) for role in ("body", "lead", "subtitle", "title", "hero")]
        assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    # spaces grow half as fast as the text
    assert doubled.space("l") == round(standard.space("l") * 1.5)


def test_applying_a_theme_respaces_layouts_and_leaves_nones_count_alone(
    qapp: QApplication,
) -> None:
    """Every candidate's session applies a theme to every widget; PySide6 6.12.0 releases a
    reference to None for every null a call returns (`widget.layout()` of a plain label, the
    property a layout does not have), which crashed the kiosk after a few thousand of them."""
    app = qapp
    root = QWidget()
    column = vbox(root, gap="l", margin="xl")
    plain = QVBoxLayout()  # not made by ui.components: its spacing is its own
    plain.setSpacing(7)
    column.addLayout(plain)
    for index in range(300):
        plain.addWidget(QLabel(f"line {index}"))
    try:
        before = sys.getrefcount(None)
        theme.apply(app, Theme(font_scale=2.0))
        theme.apply(app, Theme())
        theme.apply(app, Theme(font_scale=2.0))
        assert sys.getrefcount(None) >= before - 5  # nothing in proportion to the widgets
        assert column.spacing() == Theme(font_scale=2.0).space("l")
        assert column.contentsMargins().left() == Theme(font_scale=2.0).space("xl")
        assert plain.spacing() == 7
    finally:
        theme.apply(app, Theme())
        root.deleteLater()
