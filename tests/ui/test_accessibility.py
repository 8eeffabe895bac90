"""Accessibility: every control has an accessible name, keyboard order and mnemonics work, the
high-contrast theme and font scaling apply."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from tests.ui import flow

from ui import theme
from ui.components.controls import ChoiceGroup, Stepper
from ui.context import KioskContext
from ui.design import Theme
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]
INTERACTIVE = (QAbstractButton, QLineEdit, QListWidget, QSpinBox)


def test_every_interactive_widget_has_an_accessible_name(
    make_context: MakeContext, make_window: MakeWindow
) -> None:
    window = make_window(make_context(flow.recorded_media()))
    missing = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for root in (window, window.panel)
        for kind in INTERACTIVE
        for w in root.findChildren(kind)
        if not w.accessibleName() and w.parent() is not None and w.isEnabledTo(root)
        and type(w).__module__.startswith("PySide6") and w.objectName() != "qt_spinbox_lineedit"
    ]
    assert missing == []
    # a mnemonic on every labelled button; the options of a choice or a stepper's − and + are
    # reached with Tab inside their group, whose name a screen reader reads with each
    grouped = (ChoiceGroup, Stepper)
    buttons = [
        b.text()
        for b in window.findChildren(QAbstractButton)
        if b.text() and not isinstance(b.parentWidget(), grouped)
    ]
    assert buttons and all("&" in text for text in buttons), buttons


def test_tab_order_on_the_start_screen(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    window = make_window(make_context(flow.recorded_media()))
    start = window.start

    def next_tab_stop(widget: QWidget) -> QWidget:
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        return widget

    assert next_tab_stop(start.key) is start.pin
    assert next_tab_stop(start.pin) is start.start
    assert next_tab_stop(start.start) is start.packs


def test_the_candidates_theme_applies_and_the_standard_look_returns(qapp: QApplication) -> None:
    app = qapp
    standard = Theme()
    try:
        theme.apply(app, Theme(font_scale=1.5, high_contrast=True))
        assert app.font().pointSizeF() == standard.points("body") * 1.5
        sheet = app.styleSheet()
        assert "background: #000000" in sheet and not re.search(r"@[a-z0-9_]+@", sheet)
        assert f"font-size: {standard.points('body') * 1.5:.1f}pt" in sheet
        assert theme.colour("primary").name().upper() == "#FFFF00"
        theme.apply(app, standard)
        assert app.font().pointSizeF() == standard.points("body")
        assert theme.colour("primary").name().upper() == standard.colour("primary").upper()
    finally:
        theme.apply(app, standard)


def test_extra_time_and_captions_are_shown_on_the_interview_screen(
    make_context: MakeContext, make_window: MakeWindow
) -> None:
    from kiosk.domain.model import Question, QuestionKind
    from kiosk.live.announcements import Caption, QuestionAsked, QuestionSpoken

    window = make_window(make_context(flow.recorded_media()))
    screen = window.interview
    session = flow.demo_session(window.context.core.service, extra_time=50)
    screen.prepare(session)  # as `begin` does, without running the conductor
    question = Question("q1", 0, QuestionKind.INTRO, "Tell me about yourself.")
    screen.on_event(QuestionAsked(question, 1, 2, session.settings.answer_seconds()))
    screen.on_event(QuestionSpoken("q1", False, "no audio output device"))
    screen.on_event(Caption("q1", "I am a backend engineer", 2.0))
    assert screen.caption.text() == "I am a backend engineer"
    assert screen.ring.text == "2:15" and "2:15" in screen.countdown.text()  # 90 s + 50 %
    assert screen.spoken_note.text() == "This question is shown on screen only: please read it."
    assert "no audio output device" not in screen.spoken_note.text()  # that is for the panel
    assert "+50%" in screen.extra_time.text()
