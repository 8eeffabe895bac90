"""Picture every kiosk screen into OUT_DIR, at each size and in each look (run under Xvfb by a
test; `make screenshots` keeps them in docs/screenshots).

`python -m tests.ui.screenshots OUT_DIR` with DISPLAY set and QT_QPA_PLATFORM=xcb. Files are
named `<state>-<width>x<height>-<look>.png` (look: default or high-contrast), states as in
`tests.ui.gallery.STATES`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication
from tests.ui import flow
from tests.ui.gallery import STATES, Gallery, settle

from ui import theme
from ui.design import Theme
from ui.window import MainWindow

SIZES = ((1280, 800), (1920, 1080))
LOOKS = (("default", Theme()), ("high-contrast", Theme(high_contrast=True)))


def name(state: str, size: tuple[int, int], look: str) -> str:
    return f"{state}-{size[0]}x{size[1]}-{look}.png"


def grab_all(out: Path, states: tuple[str, ...] = STATES) -> list[Path]:
    # run on its own, never on the user's kiosk database (the test gives a data dir of its own)
    os.environ.setdefault("KIOSK_DATA_DIR", tempfile.mkdtemp(prefix="kiosk-screenshots-"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply(app, Theme())  # type: ignore[arg-type]
    context = flow.context(flow.recorded_media())
    window = MainWindow(context)
    window.show()
    gallery = Gallery(context, window)
    saved: list[Path] = []
    try:
        for look_name, look in LOOKS:
            for size in SIZES:
                window.resize(*size)
                settle()
                for state in states:
                    shown = gallery.show(state, look)
                    path = out / name(state, size, look_name)
                    shown.grab().save(str(path))
                    saved.append(path)
    finally:
        window.panel.hide()
        window.shutdown()
        context.core.close()
    return saved


if __name__ == "__main__":
    only = tuple(sys.argv[2:]) or STATES
    for path in grab_all(Path(sys.argv[1]), only):
        print(path)
