"""The Qt application around the kiosk window: style, lockdown, and an orderly exit."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui import theme
from ui.context import KioskContext
from ui.design import Theme
from ui.window import MainWindow


def run_window(context: KioskContext, argv: list[str]) -> int:
    """Show the kiosk and run the event loop until the window has shut down."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    # quit only once the interview has stopped (`shut_down`), not when the window closes
    app.setQuitOnLastWindowClosed(False)
    theme.apply(app, Theme())  # the standard look until a candidate's session is shown
    window = MainWindow(context)
    window.shut_down.connect(app.quit)
    if context.lockdown:
        window.engage_lockdown()
    else:
        window.resize(1280, 800)
        window.show()
    return app.exec()
