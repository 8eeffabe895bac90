"""Device check: a face on camera, the candidate's voice on the microphone, the test sentence
heard on the speakers; or the invigilator's override of what falls short.

What passes is the core's rule (`kiosk.domain.devices.DeviceCheck`); this screen gathers the
three observations and shows each as it is met. A missing device is the common failure at a test
centre, so it is shown as guidance (what is wrong, what to check) next to a Retry button rather
than as an error. Whether the candidate heard the sentence only they can say, so they are asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.devices import DeviceCheck, SpeakerCheck
from kiosk.domain.model import InterviewSession
from kiosk.live.devices import HEARD_LEVEL, level
from kiosk.live.voice import Spoken
from speech import AudioSource
from ui.camera import CameraView, PreviewFrame, camera_loop
from ui.context import KioskContext
from ui.pin import PinPrompt
from ui.widgets import banner, button, heading, level_meter, paragraph
from ui.workers import LoopWorker, start_loop, submit

TEST_SENTENCE = "This is a test of the speakers. If you can hear this sentence, the sound works."


class DevicesScreen(QWidget):
    advanced = Signal(object)  # InterviewSession, once DEVICES_CHECKED is stored

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: InterviewSession | None = None
        self._loops: list[LoopWorker] = []
        self.face_seen = self.microphone_heard = False
        self.speakers = SpeakerCheck.NOT_PLAYED
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Check your camera and microphone"))
        grid = QGridLayout()
        self.view = CameraView("Camera preview with face box")
        grid.addWidget(self.view, 0, 0)
        side = QVBoxLayout()
        side.addWidget(
            paragraph("Sit so that your face is inside the green box.", "Camera instructions")
        )
        self.camera_state = paragraph("", "Camera check")
        side.addWidget(self.camera_state)
        side.addWidget(paragraph("Say a few words: the bar should move.", "Microphone hint"))
        self.meter = level_meter("Microphone level")
        side.addWidget(self.meter)
        self.microphone_state = paragraph("", "Microphone check")
        side.addWidget(self.microphone_state)
        self.speak = button("&Play test sentence", "Play the test sentence")
        self.speak.clicked.connect(self._speak)
        side.addWidget(self.speak)
        self.speaker_note = paragraph("", "Speaker check result")
        side.addWidget(self.speaker_note)
        heard_row = QHBoxLayout()
        self.heard = button("Yes, I &heard it", "Yes, I heard the test sentence")
        self.heard.clicked.connect(lambda: self._answer_heard(SpeakerCheck.HEARD))
        self.not_heard = button("No, I did &not hear it", "No, I did not hear the test sentence")
        self.not_heard.clicked.connect(lambda: self._answer_heard(SpeakerCheck.NOT_HEARD))
        heard_row.addWidget(self.heard)
        heard_row.addWidget(self.not_heard)
        side.addLayout(heard_row)
        side.addStretch(1)
        grid.addLayout(side, 0, 1)
        layout.addLayout(grid, 1)
        self.camera_problem = banner("Camera guidance")
        self.microphone_problem = banner("Microphone guidance")
        layout.addWidget(self.camera_problem)
        layout.addWidget(self.microphone_problem)
        self.override_box = QGroupBox("Invigilator override")
        self.override_box.setAccessibleName("Invigilator override")
        box_layout = QVBoxLayout(self.override_box)
        box_layout.addWidget(
            paragraph(
                "If a check cannot pass here but you are satisfied in person, accept the devices "
                "with the reason, your name and your PIN; the decision is recorded.",
                "Override instructions",
            )
        )
        self.override_prompt = PinPrompt(
            context.check_pin, action="Accept the &devices", ask_reason=True, ask_name=True
        )
        self.override_prompt.verified.connect(self._override)
        box_layout.addWidget(self.override_prompt)
        layout.addWidget(self.override_box)
        row = QHBoxLayout()
        self.retry = button("&Retry devices", "Retry the device check")
        self.retry.clicked.connect(self._start_devices)
        self.proceed = button("&Continue", "Continue to the interview")
        self.proceed.clicked.connect(lambda: self._record(self.check()))
        row.addWidget(self.retry)
        row.addStretch(1)
        row.addWidget(self.proceed)
        layout.addLayout(row)
        self.message = paragraph("", "Device check message")
        layout.addWidget(self.message)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self.speakers = SpeakerCheck.NOT_PLAYED
        self.speaker_note.setText("Press Play, listen, then tell us whether you heard it.")
        self._show_heard_question(False)
        self._start_devices()

    def check(self, override_reason: str = "", overridden_by: str = "") -> DeviceCheck:
        """What the devices have shown so far, as the core judges it."""
        return DeviceCheck(
            self.face_seen, self.microphone_heard, self.speakers, override_reason, overridden_by
        )

    def _start_devices(self) -> None:
        self.stop()
        self.face_seen = self.microphone_heard = False
        self._update()
        self._start_camera()
        self._start_microphone()

    # -- camera ----------------------------------------------------------------------------------
    def _start_camera(self) -> None:
        self.camera_problem.hide()
        core = self._context.core
        loop = camera_loop(core.devices.camera, core.face_detector)
        loop.signals.yielded.connect(self._frame)
        loop.signals.failed.connect(self._camera_failed)
        self._loops.append(start_loop(loop))

    def _frame(self, frame: PreviewFrame) -> None:
        self.view.show_frame(frame)
        if frame.faces and not self.face_seen:
            self.face_seen = True
            self._update()

    def _camera_failed(self, error: Exception) -> None:
        self.face_seen = False
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
            lambda: _levels(self._context.core.devices.microphone, opened),
            lambda: [source.close() for source in opened],
        )
        loop.signals.yielded.connect(self._level)
        loop.signals.failed.connect(self._microphone_failed)
        self._loops.append(start_loop(loop))

    def _level(self, value: float) -> None:
        self.meter.setValue(round(value * 100))
        if value >= HEARD_LEVEL and not self.microphone_heard:
            self.microphone_heard = True
            self._update()

    def _microphone_failed(self, error: Exception) -> None:
        self.microphone_heard = False
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
        self._show_heard_question(False)
        self.speaker_note.setText("Playing…")
        submit(
            self._context.core.voice.speak, TEST_SENTENCE, done=self._spoken, failed=self._spoken
        )

    def _spoken(self, result: Spoken | Exception) -> None:
        self.speak.setEnabled(True)
        if isinstance(result, Spoken) and result.spoken:
            self.speaker_note.setText("Did you hear the sentence?")
            self._show_heard_question(True)
            self.heard.setFocus()
            return
        self.speakers = SpeakerCheck.NOT_PLAYED
        self.speaker_note.setText(
            "No sound could be played. Please tell the invigilator: they will check the "
            "speakers or headphones."
        )
        self._update()

    def _answer_heard(self, answer: SpeakerCheck) -> None:
        self.speakers = answer
        self._show_heard_question(False)
        self.speaker_note.setText(
            "Thank you: the sound works."
            if answer is SpeakerCheck.HEARD
            else "Please tell the invigilator that you could not hear the sentence."
        )
        self._update()

    def _show_heard_question(self, shown: bool) -> None:
        self.heard.setVisible(shown)
        self.not_heard.setVisible(shown)

    # -- leaving -----------------------------------------------------------------------------------
    def _update(self) -> None:
        self.camera_state.setText(
            "✔ Your face is in view." if self.face_seen else "Waiting to see your face…"
        )
        self.microphone_state.setText(
            "✔ We can hear you." if self.microphone_heard else "Waiting to hear your voice…"
        )
        self.proceed.setEnabled(self.check().passed)

    def _override(self, reason: str, name: str) -> None:
        self._record(self.check(reason, name))

    def _record(self, check: DeviceCheck) -> None:
        assert self._session is not None
        self.proceed.setEnabled(False)
        self.stop()
        self._context.ops.run(
            self._context.core.service.confirm_devices,
            self._session.session_id,
            check,
            done=self.advanced.emit,
            failed=self._not_recorded,
        )

    def _not_recorded(self, error: Exception) -> None:
        self.message.setText(f"Could not save the device check: {error}")
        self._start_devices()

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
