"""Device check: the camera with the face box, the microphone level, a spoken test sentence.

A missing device is the common failure at a test centre, so it is shown as guidance (what is
wrong, what to check) next to a Retry button rather than as an error. Continue needs a camera
picture and some sound from the microphone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import InterviewSession
from kiosk.live.voice import Spoken
from speech import AudioSource
from ui.camera import CameraView, PreviewFrame, camera_loop
from ui.context import KioskContext
from ui.sources import level
from ui.widgets import banner, button, heading, level_meter, paragraph
from ui.workers import LoopWorker, start_loop, submit

TEST_SENTENCE = "This is a test of the speakers. If you can hear this sentence, the sound works."
#: Above this meter level the microphone is taken to hear the candidate.
HEARD_LEVEL = 0.25


class DevicesScreen(QWidget):
    advanced = Signal(object)  # InterviewSession, once DEVICES_CHECKED is stored

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: InterviewSession | None = None
        self._loops: list[LoopWorker] = []
        self.camera_ok = self.microphone_ok = False
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Check your camera and microphone"))
        layout.addWidget(paragraph(context.devices.description, "Devices in use"))
        grid = QGridLayout()
        self.view = CameraView("Camera preview with face box")
        grid.addWidget(self.view, 0, 0)
        side = QVBoxLayout()
        side.addWidget(
            paragraph("Sit so that your face is inside the green box.", "Camera instructions")
        )
        side.addWidget(paragraph("Say a few words: the bar should move.", "Microphone hint"))
        self.meter = level_meter("Microphone level")
        side.addWidget(self.meter)
        self.speak = button("&Play test sentence", "Play the test sentence")
        self.speak.clicked.connect(self._speak)
        side.addWidget(self.speak)
        self.speaker_note = paragraph("", "Speaker check result")
        side.addWidget(self.speaker_note)
        side.addStretch(1)
        grid.addLayout(side, 0, 1)
        layout.addLayout(grid, 1)
        self.camera_problem = banner("Camera guidance")
        self.microphone_problem = banner("Microphone guidance")
        layout.addWidget(self.camera_problem)
        layout.addWidget(self.microphone_problem)
        row = QHBoxLayout()
        self.retry = button("&Retry devices", "Retry the device check")
        self.retry.clicked.connect(self._start_devices)
        self.proceed = button("&Continue", "Continue to the interview")
        self.proceed.clicked.connect(self._record)
        row.addWidget(self.retry)
        row.addStretch(1)
        row.addWidget(self.proceed)
        layout.addLayout(row)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self._start_devices()

    def _start_devices(self) -> None:
        self.stop()
        self.camera_ok = self.microphone_ok = False
        self._update()
        self._start_camera()
        self._start_microphone()

    # -- camera ----------------------------------------------------------------------------------
    def _start_camera(self) -> None:
        self.camera_problem.hide()
        loop = camera_loop(self._context.devices.camera, self._context.face_detector)
        loop.signals.yielded.connect(self._frame)
        loop.signals.failed.connect(self._camera_failed)
        self._loops.append(start_loop(loop))

    def _frame(self, frame: PreviewFrame) -> None:
        self.view.show_frame(frame)
        if not self.camera_ok:
            self.camera_ok = True
            self._update()

    def _camera_failed(self, error: Exception) -> None:
        self.camera_ok = False
        self.view.show_message("No camera picture")
        self.camera_problem.setText(
            f"Camera not found: {error}. Ask the invigilator to plug the camera in (or close "
            "any program using it), then press Retry devices."
        )
        self.camera_problem.show()
        self._update()

    # -- microphone ------------------------------------------------------------------------------
    def _start_microphone(self) -> None:
        self.microphone_problem.hide()
        opened: list[AudioSource] = []
        # opening the device (PortAudio) happens on the loop's thread; AudioDeviceError -> failed
        loop = LoopWorker(
            lambda: _levels(self._context.devices.microphone, opened),
            lambda: [source.close() for source in opened],
        )
        loop.signals.yielded.connect(self._level)
        loop.signals.failed.connect(self._microphone_failed)
        self._loops.append(start_loop(loop))

    def _level(self, value: float) -> None:
        self.meter.setValue(round(value * 100))
        if value >= HEARD_LEVEL and not self.microphone_ok:
            self.microphone_ok = True
            self._update()

    def _microphone_failed(self, error: Exception) -> None:
        self.microphone_ok = False
        self.meter.setValue(0)
        self.microphone_problem.setText(
            f"Microphone not found: {error}. Ask the invigilator to plug the microphone or "
            "headset in, then press Retry devices."
        )
        self.microphone_problem.show()
        self._update()

    # -- speakers ----------------------------------------------------------------------------------
    def _speak(self) -> None:
        self.speak.setEnabled(False)
        self.speaker_note.setText("Playing…")
        submit(self._context.voice.speak, TEST_SENTENCE, done=self._spoken, failed=self._spoken)

    def _spoken(self, result: Spoken | Exception) -> None:
        self.speak.setEnabled(True)
        if isinstance(result, Spoken) and result.spoken:
            self.speaker_note.setText("Did you hear the sentence? If not, tell the invigilator.")
        else:
            reason = result.reason if isinstance(result, Spoken) else str(result)
            self.speaker_note.setText(
                f"No sound ({reason}). Questions will be shown on screen as well as read aloud."
            )

    # -- leaving -----------------------------------------------------------------------------------
    def _update(self) -> None:
        self.proceed.setEnabled(self.camera_ok and self.microphone_ok)

    def _record(self) -> None:
        assert self._session is not None
        self.proceed.setEnabled(False)
        self.stop()
        submit(
            self._context.writer.call,
            self._context.service.advance,
            self._session.session_id,
            SessionState.DEVICES_CHECKED,
            "camera, microphone and speakers checked",
            done=self.advanced.emit,
            failed=lambda error: self.speaker_note.setText(f"Could not save the step: {error}"),
        )

    def stop(self) -> None:
        for loop in self._loops:
            loop.quit()
        self._loops.clear()


def _levels(
    open_microphone: Callable[[], AudioSource], opened: list[AudioSource]
) -> Iterator[float]:
    opened.append(open_microphone())
    for block in opened[0]:
        yield level(block)
