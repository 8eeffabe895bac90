"""Grab each kiosk screen into docs/screenshots/<screen>.png (run under Xvfb by a test).

`python -m tests.ui.screenshots OUT_DIR` with DISPLAY set and QT_QPA_PLATFORM=xcb. Screens are
filled from the bundled sample session; the interview screen is shown with a sample question
and caption rather than by running the whole interview.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication
from tests.ui import flow

from kiosk.domain.model import Question, QuestionKind
from kiosk.live.announcements import Caption, QuestionAsked, QuestionSpoken
from ui import theme
from ui.window import MainWindow


def grab_all(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    context = flow.context(flow.recorded_media())
    theme.apply(app, context.appearance)  # type: ignore[arg-type]
    service = context.core.service
    session = flow.demo_session(service, extra_time=25)
    window = MainWindow(context)
    window.resize(1280, 800)
    window.show()
    saved: list[Path] = []

    def save(name: str, widget: object = None) -> None:
        QApplication.processEvents()
        path = out / f"{name}.png"
        (widget or window).grab().save(str(path))  # type: ignore[union-attr]
        saved.append(path)

    flow.wait_until(lambda: window.start.packs.count() > 0, 10, "the session list")
    window.start.key.setText(session.session_key)
    save("start")
    flow.sign_in(window, session.session_key)
    flow.wait_until(lambda: window.current_screen() is window.consent, 20, "consent")
    save("consent")
    flow.give_consent(window)
    idcheck = window.idcheck
    flow.wait_until(lambda: idcheck.capture.isEnabled(), 20, "the ID card picture")
    save("id_check")
    idcheck.capture.click()
    flow.wait_until(lambda: idcheck.step == "face" and idcheck.capture.isEnabled(), 20, "face")
    idcheck.capture.click()
    flow.wait_until(lambda: idcheck.proceed.isEnabled(), 60, "the verification")
    save("id_check_result")
    idcheck.proceed.click()
    devices = window.devices
    flow.wait_until(lambda: devices.face_seen and devices.microphone_heard, 30, "the devices")
    flow.wait_until(lambda: devices.view.last is not None and bool(devices.view.last.faces), 20)
    save("device_check")
    devices.stop()
    interview = window.interview
    interview.prepare(service.get(session.session_id))
    window.stack.setCurrentWidget(interview)
    question = Question(
        "sample", 0, QuestionKind.INTRO,
        "To start, please introduce yourself and tell me what drew you to this role.",
    )
    interview.on_event(QuestionAsked(question, 1, 5, 112))
    interview.on_event(QuestionSpoken("sample", False, "no audio output device"))
    interview.on_event(Caption("sample", "I'm a backend engineer with about six years", 3.0))
    source = context.core.devices.camera()
    frame = next(item for item in source.frames() if hasattr(item, "image"))
    source.close()
    interview.publisher.offer(frame)
    flow.wait_until(lambda: interview.camera.frames_shown > 0, 5, "the camera picture")
    save("interview")
    window.panel.show()
    window.panel.pages.setCurrentIndex(1)
    window.panel.add_note("blocked_shortcut: Alt+Tab was pressed and blocked")
    window.panel.sync_status.refresh()
    flow.wait_until(lambda: window.panel.sync_status.state is not None, 10, "the sync status")
    save("invigilator_panel", window.panel)
    window.panel.hide()
    service.abort(session.session_id, "screenshot only")
    window.completion.show_completed()
    window.stack.setCurrentWidget(window.completion)
    save("completion")
    window.shutdown()
    context.core.close()
    return saved


if __name__ == "__main__":
    for path in grab_all(Path(sys.argv[1])):
        print(path)
