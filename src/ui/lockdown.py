"""What the kiosk window does itself to stay in front: full screen, frameless, on top, and an
event filter that swallows the shortcuts Qt gets to see, reporting each attempt.

An application cannot block everything (Ctrl+Alt+Del, a compositor's own shortcuts never reach
it), so the operating system's kiosk configuration does the rest: see docs/lockdown.md. What the
app cannot block it still notices: focus leaving the window and a second screen are reported.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from contract.proctoring import EventKind
from kiosk.environment import environment_signs

Report = Callable[[EventKind, str], None]
Ended = Callable[[EventKind], None]
_K, _M = Qt.Key, Qt.KeyboardModifier
#: (key, modifiers that must be held) -> what the attempt is called in the report.
BLOCKED: dict[tuple[Qt.Key, Qt.KeyboardModifier], str] = {
    (_K.Key_Tab, _M.AltModifier): "Alt+Tab",
    (_K.Key_Backtab, _M.AltModifier): "Alt+Shift+Tab",
    (_K.Key_F4, _M.AltModifier): "Alt+F4",
    (_K.Key_Escape, _M.NoModifier): "Esc",
    (_K.Key_W, _M.ControlModifier): "Ctrl+W",
    (_K.Key_Q, _M.ControlModifier): "Ctrl+Q",
    (_K.Key_Meta, _M.NoModifier): "Super",
    (_K.Key_Super_L, _M.NoModifier): "Super",
    (_K.Key_Super_R, _M.NoModifier): "Super",
}
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)


def blocked_shortcut(event: QKeyEvent) -> str | None:
    """The name of the blocked combination `event` is, or None to let it through."""
    held = event.modifiers() & ~_M.KeypadModifier
    key = Qt.Key(event.key())
    for (blocked_key, needed), name in BLOCKED.items():
        if key == blocked_key and (held & needed) == needed:
            return name
    if held & _M.MetaModifier and key not in (_K.Key_Meta,):
        return "Super+" + (event.text() or str(key.name))
    return None


class Lockdown(QObject):
    """Install with `engage()`; `window` is the kiosk's main window."""

    def __init__(
        self, window: QWidget, report: Report, *, ended: Ended = lambda _kind: None
    ) -> None:
        super().__init__(window)
        self._window = window
        self._report = report
        self._ended = ended  # a condition reported earlier (a second display) is gone
        self._was_active = False
        self._last_key: tuple[int, int, int] | None = None
        self.attempts: list[str] = []

    def engage(self) -> None:
        window = self._window
        window.setWindowFlags(
            window.windowFlags()
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        window.showFullScreen()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._state_changed)
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._screen_removed)
        if len(QGuiApplication.screens()) > 1:
            self._report_screens()
        for sign in environment_signs():
            self._report(sign.kind, sign.detail)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _KEY_EVENTS and isinstance(event, QKeyEvent):
            name = blocked_shortcut(event)
            if name is None:
                return False
            # the same key press reaches the filter once per receiver: report it once
            stamp = (event.key(), int(event.modifiers().value), event.timestamp())
            if event.type() == QEvent.Type.KeyPress and stamp != self._last_key:
                self._last_key = stamp
                self.attempts.append(name)
                self._report(EventKind.BLOCKED_SHORTCUT, f"{name} was pressed and blocked")
            return True
        if watched is self._window and event.type() == QEvent.Type.WindowActivate:
            self._was_active = True
        elif watched is self._window and event.type() == QEvent.Type.WindowDeactivate:
            self._focus_lost("the kiosk window was deactivated")
        return False

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self._was_active = True
        elif self._was_active:
            self._focus_lost("another application took the focus")

    def _focus_lost(self, detail: str) -> None:
        if not self._was_active:
            return
        self._was_active = False
        self._report(EventKind.FOCUS_LOST, detail)
        self._window.raise_()
        self._window.activateWindow()

    def _screen_added(self, screen: QScreen) -> None:
        self._report(EventKind.SECOND_DISPLAY, f"a display was connected: {screen.name()}")

    def _screen_removed(self, screen: QScreen) -> None:
        left = [s for s in QGuiApplication.screens() if s is not screen]
        if len(left) <= 1:
            self._ended(EventKind.SECOND_DISPLAY)

    def _report_screens(self) -> None:
        names = ", ".join(s.name() for s in QGuiApplication.screens())
        self._report(EventKind.SECOND_DISPLAY, f"more than one display at start-up: {names}")

    def release(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
