"""Layouts whose gaps and margins are tokens, not pixels: they follow the candidate's text size.

A layout made here remembers the names of its gap and margins (as Qt properties); when a theme
is applied, `ui.theme` sets them again in pixels of the new theme, so a screen built at 100% text
breathes the same way at 200%.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from ui import theme


def _spaced(layout: QBoxLayout, gap: str, margin: str | tuple[str, str] | None) -> QBoxLayout:
    layout.setProperty("gap", gap)
    if margin is not None:
        horizontal, vertical = (margin, margin) if isinstance(margin, str) else margin
        layout.setProperty("margin_h", horizontal)
        layout.setProperty("margin_v", vertical)
    else:
        layout.setContentsMargins(0, 0, 0, 0)
    theme.space_layout(layout)
    return layout


def vbox(
    parent: QWidget | None = None, gap: str = "m", margin: str | tuple[str, str] | None = None
) -> QVBoxLayout:
    """A column; `margin` is a space name, or (horizontal, vertical) names; None: no margin."""
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    _spaced(layout, gap, margin)
    return layout


def hbox(
    parent: QWidget | None = None, gap: str = "m", margin: str | tuple[str, str] | None = None
) -> QHBoxLayout:
    layout = QHBoxLayout(parent) if parent is not None else QHBoxLayout()
    _spaced(layout, gap, margin)
    return layout


__all__ = ["hbox", "vbox"]
