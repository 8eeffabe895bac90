"""Render a `ReportRecord` into PDF bytes: A4, DejaVu Sans embedded, a footer on every page."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, SimpleDocTemplate

from reporting.fonts import FONT, register_fonts
from reporting.record import ReportRecord
from reporting.sections import STANDARD_SECTIONS, Pictures, Section
from reporting.styles import MUTED


def _footer(session_key: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            20 * mm, 10 * mm, f"Interview Kiosk · session {session_key} · confidential"
        )
        canvas.drawRightString(190 * mm, 10 * mm, f"page {document.page}")
        canvas.restoreState()

    return draw


def render_report(
    record: ReportRecord,
    pictures: Pictures,
    sections: Sequence[Section] = STANDARD_SECTIONS,
) -> bytes:
    """The report as PDF bytes. `pictures` returns the bytes of a stored picture by sha256
    (any error prints "picture unavailable" in its place)."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Interview report — {record.candidate_name}",
        author="Interview Kiosk",
        subject=record.job_title,
        creator="Interview Kiosk",
    )
    story = [flowable for section in sections for flowable in section(record, pictures)]
    footer = _footer(record.session_key)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


__all__ = ["Pictures", "render_report"]
