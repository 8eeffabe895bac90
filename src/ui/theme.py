"""The look in force: the candidate's theme applied to the whole application, and read back by
the widgets that paint themselves.

A theme follows the session (`kiosk.domain.accessibility`): the window applies the candidate's
text size and contrast when their session is shown and the standard look again for the next
one, with no restart. The bundled Inter typeface is registered once; where it cannot load, the
system's sans serif stands in.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLayout, QProxyStyle, QStyle, QWidget

from kiosk.resources import resource
from ui.design import Theme

_FONT_FILES = ("Inter-Regular.otf", "Inter-Medium.otf", "Inter-SemiBold.otf", "Inter-Bold.otf")
_state: dict[str, object] = {"theme": Theme(), "fonts": False}


def current() -> Theme:
    """The theme applied last (the standard look before any)."""
    theme = _state["theme"]
    assert isinstance(theme, Theme)
    return theme


def colour(name: str) -> QColor:
    """A colour of the theme in force, for a widget that paints itself."""
    return QColor(current().colour(name))


def font(role: str, *, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """The font of a text role in the theme in force, for a widget that paints itself."""
    chosen = QFont(current().family)
    chosen.setPointSizeF(current().points(role))
    chosen.setWeight(weight)
    return chosen


def _load_fonts() -> None:
    if _state["fonts"]:
        return
    for name in _FONT_FILES:
        QFontDatabase.addApplicationFont(str(resource("fonts", name)))
    _state["fonts"] = True


class _KioskStyle(QProxyStyle):
    """Fusion, with access keys that work but are not underlined: underlines under every
    button's letter read as clutter, and Windows, too, shows them only while Alt is held."""

    def styleHint(self, hint, option=None, widget=None, returnData=None):  # type: ignore[no-untyped-def]
        if hint == QStyle.StyleHint.SH_UnderlineShortcut:
            return 0
        return super().styleHint(hint, option, widget, returnData)


def apply(app: QApplication, theme: Theme) -> None:
    """Make `theme` the look of every window; widgets that paint themselves are repainted."""
    _load_fonts()
    if not isinstance(app.style(), _KioskStyle):
        app.setStyle(_KioskStyle("Fusion"))
    if theme == current() and app.styleSheet():
        return
    _state["theme"] = theme
    base = QFont(theme.family)
    base.setPointSizeF(theme.points("body"))
    app.setFont(base)
    app.setStyleSheet(theme.style_sheet())
    # Layouts are found as children, never by `widget.layout()`: in PySide6 6.12 each call that
    # returns no object releases a reference to None it never took (see `_named`).
    for window in app.topLevelWidgets():
        for layout in window.findChildren(QLayout):
            space_layout(layout)
    for widget in app.allWidgets():
        widget.updateGeometry()
        widget.update()


def _named(layout: QLayout, name: str) -> str | None:
    """A space name `ui.components.layout` stored on `layout`, or None. Only properties that
    exist are read: PySide6 6.12's `property()` of an absent name releases a reference to None
    it never took, and enough of them (one per layout per theme change) crash the interpreter."""
    if name.encode() not in {bytes(n.data()) for n in layout.dynamicPropertyNames()}:
        return None
    value = layout.property(name)
    return value if isinstance(value, str) else None


def space_layout(layout: QLayout) -> None:
    """Set a layout's gap and margins, named by `ui.components.layout`, in the theme's pixels."""
    chosen = current()
    gap = _named(layout, "gap")
    if gap is not None:
        layout.setSpacing(chosen.space(gap))
    horizontal, vertical = _named(layout, "margin_h"), _named(layout, "margin_v")
    if horizontal is not None and vertical is not None:
        h, v = chosen.space(horizontal), chosen.space(vertical)
        layout.setContentsMargins(h, v, h, v)


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property (role, tone, variant) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


__all__ = ["apply", "colour", "current", "font", "repolish", "space_layout"]
