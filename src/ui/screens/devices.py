"""Device check: a face on camera, the candidate's voice on the microphone, the test sentence
heard on the speakers; or the invigilator's override of what falls short.

What passes is the core's rule (`kiosk.domain.devices.DeviceCheck`); this screen gathers the
three observations and ticks each as it is met. A missing device is the common failure at a test
centre, so it is shown as guidance (what is wrong, who will help) next to a Try again button,
and the device's own error goes to the invigilator panel (`details`) and the log. Whether the
candidate heard the sentence only they can say, so they are asked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from kiosk.domain.devices import DeviceCheck, SpeakerCheck
from kiosk.domain.model import InterviewSession
from kiosk.live.devices import HEARD_LEVEL, level
from kiosk.live.voice import Spoken
from speech import AudioSource
from ui.camera import CameraView, Guide, PreviewFrame, camera_loop
from ui.components.basics import Card, banner, button, divider, label
from ui.components.layout import hbox
from ui.components.page import ResponsiveRow, Screen
from ui.components.painted import Mark, StatusMark
from ui.context import KioskContext
from ui.pin import PinPrompt
from ui.workers import LoopWorker, start_loop, submit

_log = logging.getLogger(__name__)
TEST_SENTENCE = "This is a test of the speakers. If you can hear this sentence, the sound works."


class _Check(QWidget):
    """One device: its mark, its name, and what to do or what was found."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setAccessibleName(f"{title} check")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.mark = StatusMark(title)
        self.title = label(title, "subtitle", title)
        self.state = label("", "body", f"{title} check")
        grid.addWidget(self.mark, 0, 0)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.state, 1, 1)
        grid.setColumnStretch(1, 1)
        self.extra = grid  # rows 2.. hold the device's own controls

    def show_state(self, mark: Mark, text: str) -> None:
        self.mark.set_mark(mark)
        self.state.setText(text)

    def add(self, widget: QWidget, row: int) -> None:
        self.extra.addWidget(widget, row, 1)


class DevicesScreen(Screen):
    advanced = Signal(object)  # InterviewSession, once DEVICES_CHECKED is stored
    details = Signal(str)  # what a device reported, for the invigilator panel

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Check your camera, microphone and sound",
            "Three quick checks so that your interview runs smoothly.",
            parent,
        )
        self._context = context
        self._session: InterviewSession | None = None
        self._loops: list[LoopWorker] = []
        self.face_seen = self.microphone_heard = False
        self.camera_failed = self.microphone_failed = False
        self.speakers = SpeakerCheck.NOT_PLAYED
        self._played = False
        self._asking = False  # the candidate is asked whether they heard the sentence
        row = ResponsiveRow(breakpoint=50)
        self.view = CameraView("Camera preview with face oval")
        self.view.set_guide(Guide.FACE)
        row.add(self.view, 3)
        checks = Card(name="Device checks")
        self.camera_check = _Check("Camera")
        checks.body.addWidget(self.camera_check)
        checks.body.addWidget(divider())
        self.microphone_check = _Check("Microphone")
        meter_label = label("Microphone level", "small", "Microphone level")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Microphone level")
        meter_label.setBuddy(self.meter)
        self.microphone_check.add(meter_label, 2)
        self.microphone_check.add(self.meter, 3)
        checks.body.addWidget(self.microphone_check)
        checks.body.addWidget(divider())
        self.sound_check = _Check("Sound")
        self.speak = button("&Play test sentence", "Play the test sentence", "secondary")
        self.speak.clicked.connect(self._speak)
        heard_row = QWidget()
        answers = hbox(heard_row, gap="s")
        self.heard = button("Yes, I &heard it", "Yes, I heard the test sentence", "primary")
        self.heard.clicked.connect(lambda: self._answer_heard(SpeakerCheck.HEARD))
        self.not_heard = button(
            "No, I did &not hear it", "No, I did not hear the test sentence", "secondary"
        )
        self.not_heard.clicked.connect(lambda: self._answer_heard(SpeakerCheck.NOT_HEARD))
        answers.addWidget(self.heard)
        answers.addWidget(self.not_heard)
        answers.addStretch(1)
        self.sound_check.add(self.speak, 2)
        self.sound_check.add(heard_row, 3)
        self._heard_row = heard_row
        checks.body.addWidget(self.sound_check)
        checks.body.addStretch(1)
        row.add(checks, 2)
        self.body.addWidget(row, 1)
        # the names the tests and the help text use for each device's words
        self.camera_state: QLabel = self.camera_check.state
        self.microphone_state: QLabel = self.microphone_check.state
        self.speaker_note: QLabel = self.sound_check.state
        self.camera_problem = banner("Camera guidance", "warning")
        self.microphone_problem = banner("Microphone guidance", "warning")
        self.notices.addWidget(self.camera_problem)
        self.notices.addWidget(self.microphone_problem)
        self.override_box = Card(
            "Invigilator: accept the devices in person", tone="warning", name="Invigilator override"
        )
        self.override_box.body.addWidget(
            label(
                "If a check cannot pass here but you are satisfied in person (for example, you "
                "checked the headphones yourself), accept the devices with the reason, your name "
                "and your PIN. The decision is recorded with the session.",
                "body",
                "Override instructions",
            )
        )
        self.override_prompt = PinPrompt(
            context.check_pin, action="Accept the &devices", ask_reason=True, ask_name=True
        )
        self.override_prompt.verified.connect(self._override)
        self.override_box.body.addWidget(self.override_prompt)
        self.override_box.hide()
        self.body.addWidget(self.override_box)
        self.retry = button("&Try again", "Retry the device check", "secondary")
        self.retry.clicked.connect(self._start_devices)
        self.invigilator = button("&Invigilator…", "Show the invigilator override", "quiet")
        self.invigilator.clicked.connect(self._show_override)
        self.proceed = button("&Continue", "Continue to the interview", "primary")
        self.proceed.clicked.connect(lambda: self._record(self.check()))
        self.actions.addWidget(self.retry)
        self.actions.addWidget(self.invigilator)
        self.actions.addStretch(1)
        self.actions.addWidget(self.proceed)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self.speakers = SpeakerCheck.NOT_PLAYED
        self._played = False
        self.override_box.hide()
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
        self.camera_failed = self.microphone_failed = False
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
        self.view.guide_met = len(frame.faces) == 1
        if frame.faces and not self.face_seen:
            self.face_seen = True
            self._update()

    def _camera_failed(self, error: Exception) -> None:
        self.face_seen = False
        self.camera_failed = True
        self.view.show_message("No camera picture")
        _log.warning("device check, camera: %s", error)
        self.details.emit(f"Device check: camera not found ({error})")
        self.camera_problem.setText(
            "The camera is not working. Please tell the invigilator: they will plug it in or "
            "close any program using it, then press Try again."
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
        self.microphone_failed = True
        self.meter.setValue(0)
        _log.warning("device check, microphone: %s", error)
        self.details.emit(f"Device check: microphone not found ({error})")
        self.microphone_problem.setText(
            "The microphone is not working. Please tell the invigilator: they will plug the "
            "microphone or headset in, then press Try again."
        )
        self.microphone_problem.show()
        self._update()

    # -- speakers ----------------------------------------------------------------------------------
    def _speak(self) -> None:
        self.speak.setEnabled(False)
        self._show_heard_question(False)
        self.speaker_note.setText("Playing… listen carefully.")
        submit(
            self._context.core.voice.speak, TEST_SENTENCE, done=self._spoken, failed=self._spoken
        )

    def _spoken(self, result: Spoken | Exception) -> None:
        self.speak.setEnabled(True)
        self._played = True
        if isinstance(result, Spoken) and result.spoken:
            self._show_heard_question(True)
            self.heard.setFocus()
            self._update()
            return
        reason = result.reason if isinstance(result, Spoken) else str(result)
        _log.warning("device check, sound: the test sentence was not played: %s", reason)
        self.details.emit(f"Device check: the test sentence was not played ({reason})")
        self.speakers = SpeakerCheck.NOT_PLAYED
        self._update()

    def _answer_heard(self, answer: SpeakerCheck) -> None:
        self.speakers = answer
        self._show_heard_question(False)
        self._update()

    def _show_heard_question(self, shown: bool) -> None:
        self._asking = shown
        self._heard_row.setVisible(shown)
        self.heard.setVisible(shown)
        self.not_heard.setVisible(shown)

    # -- leaving -----------------------------------------------------------------------------------
    def _update(self) -> None:
        if self.face_seen:
            self.camera_check.show_state(Mark.PASSED, "We can see your face.")
        elif self.camera_failed:
            self.camera_check.show_state(Mark.FAILED, "No camera picture.")
        else:
            self.camera_check.show_state(
                Mark.PENDING, "Sit so that your face is inside the oval. Waiting to see your face…"
            )
        if self.microphone_heard:
            self.microphone_check.show_state(Mark.PASSED, "We can hear you.")
        elif self.microphone_failed:
            self.microphone_check.show_state(Mark.FAILED, "No microphone.")
        else:
            self.microphone_check.show_state(
                Mark.PENDING,
                "Say a few words, for example your name: the bar moves when we hear you. "
                "Waiting to hear your voice…",
            )
        self._update_sound()
        problems = self.camera_failed or self.microphone_failed or (
            self._played and self.speakers is not SpeakerCheck.HEARD and not self._asking
        )
        if problems:
            self._show_override()
        self.proceed.setEnabled(self.check().passed)

    def _update_sound(self) -> None:
        if self._asking:
            self.sound_check.show_state(Mark.PENDING, "Did you hear the sentence?")
        elif self.speakers is SpeakerCheck.HEARD:
            self.sound_check.show_state(Mark.PASSED, "You heard the sentence: the sound works.")
        elif self.speakers is SpeakerCheck.NOT_HEARD:
            self.sound_check.show_state(
                Mark.FAILED, "Please tell the invigilator that you could not hear the sentence."
            )
        elif self._played:
            self.sound_check.show_state(
                Mark.FAILED,
                "No sound could be played. Please tell the invigilator: they will check the "
                "speakers or headphones.",
            )
        else:
            self.sound_check.show_state(
                Mark.PENDING, "Press Play test sentence, listen, then tell us if you heard it."
            )

    def _show_override(self) -> None:
        self.override_box.show()

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
        _log.warning("device check not stored: %s", error)
        self.details.emit(f"Device check not stored: {error}")
        self.camera_problem.setText("The check could not be saved. Please call the invigilator.")
        self.camera_problem.show()
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
