"""ID verification: capture the card inside its outline, capture the face inside the oval,
verify in a worker, and let the invigilator accept in person what a check could not confirm.

The verifier decides; this screen tells the candidate the outcome in plain words (the name
matches, the photo matches your face). The verifier's own measurements (distances, thresholds,
what OCR read) are for the invigilator: they go to the panel (`details`) and the log, never to
the candidate's screen. A failed check is never final: the invigilator may accept it in person
with a reason, their name and the PIN, and the override is stored with the check
(`proctor.idcheck.override`, `SessionService.verify_identity`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.domain.model import InterviewSession
from kiosk.proctoring import id_check_from
from proctor import FrameSource
from proctor.idcheck import Check, IdVerification, override
from ui.camera import CameraView, Guide, PreviewFrame, camera_loop
from ui.components.basics import Card, banner, button, label
from ui.components.page import ResponsiveRow, Screen
from ui.components.painted import Mark, StatusMark, StepIndicator
from ui.context import KioskContext
from ui.pin import PinPrompt
from ui.workers import LoopWorker, start_loop, submit

_log = logging.getLogger(__name__)

#: What each step asks of the candidate: a headline, then how.
STEPS: dict[str, tuple[str, str]] = {
    "card": (
        "Hold your ID card up to the camera",
        "Photo side towards the camera, inside the outline, held still. When the card fills the "
        "outline, press Take picture.",
    ),
    "face": (
        "Now a picture of your face",
        "Look straight at the camera with your face inside the oval. Remove hats or sunglasses. "
        "Then press Take picture.",
    ),
    "verify": ("Checking your ID card and face", "This takes a few seconds. Please wait."),
    "result": ("", ""),
}
#: Each check in the candidate's words: (passed, needs the invigilator).
CHECK_WORDS: dict[Check, tuple[str, str]] = {
    Check.FIELDS: ("Your ID card could be read", "Part of your ID card could not be read"),
    Check.NAME: ("The name matches your booking", "The name on the card needs checking"),
    Check.EXPIRY: ("Your ID card is in date", "The card's expiry date needs checking"),
    Check.FACE: ("Your face matches the photo", "The photo match needs checking"),
}
_STEP_INDEX = {"card": 0, "face": 1, "verify": 2, "result": 2}


class IdCheckScreen(Screen):
    advanced = Signal(object)  # InterviewSession, once ID_VERIFIED is stored
    details = Signal(str)  # the verifier's measurements, for the invigilator panel

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__("Confirm your identity", "", parent)
        self._context = context
        self._session: InterviewSession | None = None
        self._loop: LoopWorker | None = None
        self._card: np.ndarray | None = None
        self._face: np.ndarray | None = None
        self.result: IdVerification | None = None
        self.step = "card"
        self.progress = StepIndicator(("ID card", "Your face", "Check"))
        self.body.addWidget(self.progress)
        row = ResponsiveRow(breakpoint=48)
        self.view = CameraView("Camera view for the identity check")
        row.add(self.view, 3)
        side = Card(name="What to do")
        self.instruction = label("", "subtitle", "Instruction")
        self.how = label("", "body", "How to do it")
        side.body.addWidget(self.instruction)
        side.body.addWidget(self.how)
        self.outcome = QWidget()
        self.outcome.setAccessibleName("Identity check results")
        self.outcome_rows = QGridLayout(self.outcome)
        self.outcome_rows.setContentsMargins(0, 8, 0, 0)
        self.outcome_rows.setHorizontalSpacing(12)
        self.outcome_rows.setVerticalSpacing(10)
        self.marks: dict[Check, tuple[StatusMark, QLabel]] = {}
        for line, check in enumerate(Check):
            mark = StatusMark(CHECK_WORDS[check][0])
            words = label("", "body", CHECK_WORDS[check][0])
            self.outcome_rows.addWidget(mark, line, 0)
            self.outcome_rows.addWidget(words, line, 1)
            self.outcome_rows.setColumnStretch(1, 1)
            self.marks[check] = (mark, words)
        self.outcome.hide()
        side.body.addWidget(self.outcome)
        side.body.addStretch(1)
        row.add(side, 2)
        self.body.addWidget(row, 1)
        self.problem = banner("Camera problem", "warning")
        self.notices.addWidget(self.problem)
        self.override_box = Card(
            "Invigilator: check the ID card in person", tone="warning", name="Invigilator override"
        )
        self.override_box.body.addWidget(
            label(
                "The checks marked above need a person. Look at the card and the candidate. To "
                "accept, give the reason, your name and your PIN: the decision is recorded with "
                "the session. The measurements are in the invigilator panel (Ctrl+Shift+I).",
                "body",
                "Override instructions",
            )
        )
        self.override_prompt = PinPrompt(
            context.check_pin, action="Accept &ID in person", ask_reason=True, ask_name=True
        )
        self.override_prompt.verified.connect(self._override)
        self.override_box.body.addWidget(self.override_prompt)
        self.override_box.hide()
        self.body.addWidget(self.override_box)
        self.retake = button("&Retake pictures", "Retake the pictures", "secondary")
        self.retake.clicked.connect(self._restart)
        self.capture = button("&Take picture", "Capture picture", "primary")
        self.capture.setEnabled(False)  # until `begin` shows the first picture
        self.capture.clicked.connect(self._capture)
        self.proceed = button("C&ontinue", "Continue to the device check", "primary")
        self.proceed.clicked.connect(self._record)
        self.actions.addWidget(self.retake)
        self.actions.addStretch(1)
        self.actions.addWidget(self.capture)
        self.actions.addWidget(self.proceed)

    # -- steps -----------------------------------------------------------------------------------
    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self._restart()

    def _restart(self) -> None:
        self._card = self._face = None
        self.result = None
        self.outcome.hide()
        self.override_box.hide()
        self._show_step("card", self._context.core.devices.card_camera)

    def _show_step(self, step: str, camera: Callable[[], FrameSource] | None) -> None:
        self.step = step
        headline, how = STEPS[step]
        if headline:
            self.instruction.setText(headline)
            self.how.setText(how)
            self.how.setVisible(bool(how))
        self.progress.set_current(_STEP_INDEX[step])
        self.view.set_guide({"card": Guide.CARD, "face": Guide.FACE}.get(step, Guide.NONE))
        self.capture.setVisible(step in ("card", "face"))
        self.capture.setEnabled(False)  # until the first picture arrives
        self.proceed.setVisible(step == "result")
        self.proceed.setEnabled(False)
        self.retake.setEnabled(step != "verify")
        self.stop()
        if camera is not None:
            self._start_camera(camera)

    def _start_camera(self, camera: Callable[[], FrameSource]) -> None:
        self.problem.hide()
        detector = self._context.core.face_detector if self.step == "face" else None
        loop = camera_loop(camera, detector)
        # a frame still queued from the previous step's camera must not be captured in this one
        loop.signals.yielded.connect(
            lambda frame: self._frame(frame) if loop is self._loop else None
        )
        loop.signals.failed.connect(self._camera_failed)
        self._loop = start_loop(loop)

    def _frame(self, frame: PreviewFrame) -> None:
        if self.step in ("card", "face"):
            self.view.show_frame(frame)
            self.view.guide_met = self.step == "face" and len(frame.faces) == 1
            self.capture.setEnabled(True)

    def _camera_failed(self, error: Exception) -> None:
        self.capture.setEnabled(False)
        _log.warning("ID check camera: %s", error)
        self.details.emit(f"ID check: the camera could not be opened ({error})")
        self.problem.setText(
            "The camera is not working. Please tell the invigilator; they will check the camera "
            "and press Retake pictures."
        )
        self.problem.show()
        self.view.show_message("No camera picture")

    def _capture(self) -> None:
        frame = self.view.last
        if frame is None:
            return
        if self.step == "card":
            self._card = frame.bgr
            self._show_step("face", self._context.core.devices.camera)
            return
        self._face = frame.bgr
        self._show_step("verify", None)
        assert self._session is not None and self._card is not None
        submit(
            self._verify,
            self._card,
            self._face,
            self._session.candidate.full_name,
            done=self._verified,
            failed=self._verify_failed,
        )

    def _verify(self, card: np.ndarray, face: np.ndarray, name: str) -> IdVerification:
        return self._context.core.id_verifier().verify(card, face, name)

    def _verified(self, result: IdVerification) -> None:
        self.result = result
        self._show_step("result", None)
        accepted_in_person = {o.check for o in result.overrides}
        for check, (mark, words) in self.marks.items():
            outcome = result.result(check)
            passed = outcome.passed or check in accepted_in_person
            mark.set_mark(Mark.PASSED if passed else Mark.FAILED)
            text = CHECK_WORDS[check][0 if outcome.passed else 1]
            if not outcome.passed and check in accepted_in_person:
                text += ": accepted by the invigilator"
            words.setText(text)
        self.outcome.show()
        technical = "; ".join(f"{c.check.value}: {c.detail}" for c in result.checks)
        _log.info("ID check for session %s: %s", self._session_id, technical)
        self.details.emit(f"ID check: {technical}")
        if result.accepted:
            self.instruction.setText("Thank you: your identity is confirmed")
            self.how.setText("Press Continue to check your camera, microphone and sound.")
            self.proceed.setEnabled(True)
            self.override_box.hide()
            self.proceed.setFocus()
        else:
            self.instruction.setText("The invigilator will check your ID card")
            self.how.setText(
                "This is normal and quick. Please stay seated; the invigilator is on their way."
            )
            self.override_box.show()
            self.scroll.ensureWidgetVisible(self.override_box)

    @property
    def _session_id(self) -> str:
        return self._session.session_id if self._session is not None else "?"

    def _verify_failed(self, error: Exception) -> None:
        self._show_step("result", None)
        _log.warning("ID check for session %s could not run: %s", self._session_id, error)
        self.details.emit(f"ID check could not run: {error}")
        self.instruction.setText("The check could not be completed")
        self.how.setText("Please press Retake pictures to try again, or call the invigilator.")
        self.how.show()

    def _override(self, reason: str, name: str) -> None:
        assert self.result is not None
        result = self.result
        for check in result.needs_override:
            result = override(result, check, reason=reason, by=name)
        self._verified(result)

    # -- storing ---------------------------------------------------------------------------------
    def _record(self) -> None:
        """Store the check with both pictures and move on, in one step of the core."""
        assert self._session is not None and self.result is not None
        assert self._card is not None and self._face is not None
        self.proceed.setEnabled(False)
        self._context.ops.run(
            self._context.core.service.verify_identity,
            self._session.session_id,
            id_check_from(self.result),
            card_jpeg=cv2.imencode(".jpg", self._card)[1].tobytes(),
            live_jpeg=cv2.imencode(".jpg", self._face)[1].tobytes(),
            done=self.advanced.emit,
            failed=self._verify_failed,
        )

    def stop(self) -> None:
        """Leave the camera: the loop ends and the device is released."""
        if self._loop is not None:
            self._loop.quit()
            self._loop = None
