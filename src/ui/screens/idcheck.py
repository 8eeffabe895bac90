"""ID verification: capture the card, capture the face, verify in a worker, override if needed.

The verifier decides; this screen only shows its checks. A failed check is never final: the
invigilator may accept it in person with a reason, their name and the PIN, and the override is
stored with the check (`proctor.idcheck.override`, `SessionService.verify_identity`).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.model import InterviewSession
from kiosk.proctoring import id_check_from
from proctor import FrameSource
from proctor.idcheck import IdVerification, override
from ui.camera import CameraView, PreviewFrame, camera_loop
from ui.context import KioskContext
from ui.pin import PinPrompt
from ui.widgets import banner, button, heading, paragraph
from ui.workers import LoopWorker, start_loop, submit

STEPS = {
    "card": "Step 1 of 2: hold your ID card up to the camera, photo side towards it, then press "
    "Capture.",
    "face": "Step 2 of 2: look straight into the camera, then press Capture.",
    "verify": "Checking your ID card and face. This takes a few seconds…",
    "result": "",
}


class IdCheckScreen(QWidget):
    advanced = Signal(object)  # InterviewSession, once ID_VERIFIED is stored

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: InterviewSession | None = None
        self._loop: LoopWorker | None = None
        self._card: np.ndarray | None = None
        self._face: np.ndarray | None = None
        self.result: IdVerification | None = None
        self.step = "card"
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Identity check"))
        self.instruction = paragraph("", "Instruction")
        layout.addWidget(self.instruction)
        self.view = CameraView("Camera view for the identity check")
        layout.addWidget(self.view, 1)
        self.problem = banner("Camera problem")
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        self.retake = button("&Retake", "Retake the pictures")
        self.retake.clicked.connect(self._restart)
        self.capture = button("&Capture", "Capture picture")
        self.capture.setEnabled(False)  # until `begin` shows the first picture
        self.capture.clicked.connect(self._capture)
        self.proceed = button("C&ontinue", "Continue to the device check")
        self.proceed.clicked.connect(self._record)
        row.addWidget(self.retake)
        row.addStretch(1)
        row.addWidget(self.capture)
        row.addWidget(self.proceed)
        layout.addLayout(row)
        self.checks = paragraph("", "Identity check results")
        layout.addWidget(self.checks)
        self.override_box = QGroupBox("Invigilator override")
        self.override_box.setAccessibleName("Invigilator override")
        box_layout = QVBoxLayout(self.override_box)
        box_layout.addWidget(
            paragraph(
                "Check the card in person. To accept the failed checks, give the reason, your "
                "name and your PIN; the decision is recorded with the session.",
                "Override instructions",
            )
        )
        self.override_prompt = PinPrompt(
            context.check_pin, action="Accept &ID in person", ask_reason=True, ask_name=True
        )
        self.override_prompt.verified.connect(self._override)
        box_layout.addWidget(self.override_prompt)
        layout.addWidget(self.override_box)

    # -- steps -----------------------------------------------------------------------------------
    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self._restart()

    def _restart(self) -> None:
        self._card = self._face = None
        self.result = None
        self.checks.setText("")
        self.override_box.hide()
        self._show_step("card", self._context.core.devices.card_camera)

    def _show_step(self, step: str, camera: Callable[[], FrameSource] | None) -> None:
        self.step = step
        self.instruction.setText(STEPS[step])
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
        loop = camera_loop(camera)
        # a frame still queued from the previous step's camera must not be captured in this one
        loop.signals.yielded.connect(
            lambda frame: self._frame(frame) if loop is self._loop else None
        )
        loop.signals.failed.connect(self._camera_failed)
        self._loop = start_loop(loop)

    def _frame(self, frame: PreviewFrame) -> None:
        if self.step in ("card", "face"):
            self.view.show_frame(frame)
            self.capture.setEnabled(True)

    def _camera_failed(self, error: Exception) -> None:
        self.capture.setEnabled(False)
        self.problem.setText(
            f"The camera is not available: {error}. Ask the invigilator to check the camera "
            "connection, then press Retake."
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
        lines = [f"{'✔' if c.passed else '✖'} {c.check.value}: {c.detail}" for c in result.checks]
        lines += [f"Accepted in person by {o.by}: {o.reason}" for o in result.overrides]
        self.checks.setText("\n".join(lines))
        if result.accepted:
            self.instruction.setText("Your identity has been confirmed. Thank you.")
            self.proceed.setEnabled(True)
            self.override_box.hide()
        else:
            self.instruction.setText(
                "Some checks need the invigilator. Please wait; they will check your card."
            )
            self.override_box.show()

    def _verify_failed(self, error: Exception) -> None:
        self._show_step("result", None)
        self.instruction.setText(f"The check could not run ({error}). Press Retake to try again.")

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
