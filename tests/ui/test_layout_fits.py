"""Every screen fits the window at every supported size and text size: nothing is pushed off the
edge, cut short or scrolled sideways, from a 1024x768 kiosk to a 1920x1080 one, at text sizes
100% to 200% (at 1.5x the old window needed 1,501 px of width).

The screens are the app's own in representative states (`tests.ui.gallery`), measured after
their layouts settle: the window kept the size it was given (Qt grows a window whose contents do
not fit), each scrolling body needs no sideways scrolling, every widget outside a scrolling body
lies inside the window, and no button or single-line text is narrower than its text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QWidget
from tests.ui import flow
from tests.ui.gallery import STATES, Gallery, settle

from ui import theme
from ui.design import Theme
from ui.window import MainWindow

SIZES = ((1024, 768), (1280, 800), (1920, 1080))
SCALES = (1.0, 1.5, 2.0)
SCREENS = tuple(state for state in STATES if state != "invigilator_panel")


@pytest.fixture(scope="module")
def gallery(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gallery]:
    """One window for every case (building the sample session and its ID check once), with a
    data dir of its own: the per-test one (`tests/conftest.py`) is not set yet for a module."""
    app = qapp
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIOSK_DATA_DIR", str(tmp_path_factory.mktemp("gallery") / "kiosk-data"))
        context = flow.context(flow.recorded_media())
    window = MainWindow(context)
    window.show()
    try:
        yield Gallery(context, window)
    finally:
        window.panel.hide()
        window.shutdown()
        context.core.close()
        theme.apply(app, Theme())


def _inside_scroll_body(widget: QWidget, bodies: list[QWidget]) -> bool:
    return any(body.isAncestorOf(widget) for body in bodies)


def overflows(window: QWidget) -> list[str]:
    """What does not fit in `window` as it is laid out now, in words."""
    found: list[str] = []
    frame = QRect(QPoint(0, 0), window.size())
    scrolls = [s for s in window.findChildren(QScrollArea) if s.isVisibleTo(window)]
    bodies = [s.widget() for s in scrolls if s.widget() is not None]
    for scroll in scrolls:
        body = scroll.widget()
        if body.width() > scroll.viewport().width():
            found.append(
                f"{scroll.parentWidget().accessibleName() or type(scroll.parentWidget()).__name__}"
                f": its content is {body.width()} px wide in {scroll.viewport().width()} px"
            )
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() == 0:
            continue
        name = widget.accessibleName() or type(widget).__name__
        if not _inside_scroll_body(widget, bodies):
            place = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
            if not frame.contains(place):
                found.append(f"{name}: at {place.getRect()} outside the window {frame.getRect()}")
        cut = isinstance(widget, QPushButton) or (
            isinstance(widget, QLabel) and not widget.wordWrap() and widget.text()
        )
        if cut and widget.width() < widget.minimumSizeHint().width():
            found.append(f"{name}: {widget.width()} px for {widget.minimumSizeHint().width()} px")
    return found


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits_the_window(
    gallery: Gallery, size: tuple[int, int], scale: float
) -> None:
    window = gallery.window
    look = Theme(font_scale=scale)
    problems: dict[str, list[str]] = {}
    for state in SCREENS:
        window.resize(*size)
        gallery.show(state, look)
        window.resize(*size)
        settle()
        found = []
        if (window.width(), window.height()) != size:
            found.append(f"the window grew to {window.width()}x{window.height()}")
        found += overflows(window)
        if found:
            problems[state] = found
    assert problems == {}


def test_the_invigilator_panel_fits_the_smallest_screen_at_double_text(gallery: Gallery) -> None:
    panel = gallery.show("invigilator_panel", Theme(font_scale=2.0))
    panel.resize(panel.minimumSizeHint())
    settle()
    assert panel.width() <= 1024 and panel.height() <= 768
    assert overflows(panel) == []
