"""Render a stored session into a PDF for HR: cover, scores, each answer, ID check, proctoring.

Fonts are DejaVu Sans, embedded, so any Latin, Greek or Cyrillic name prints as written. Every
provisional score is marked, and the integrity section is worded for human review.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from contract.privacy import policy_digest, policy_text
from contract.proctoring import IntegritySummary
from contract.rubric import Criterion
from contract.words import EVENT_KINDS, SEVERITIES
from kiosk.domain.model import Answer, AnswerScore, IdCheck, Recommendation
from kiosk.report.charts import score_chart, timeline_chart
from kiosk.resources import resource
from kiosk.sessions import SessionRecord
from kiosk.storage.media import MediaError, MediaStore

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
PROVISIONAL = colors.HexColor("#b44d12")
RECOMMENDATION_TEXT = {
    Recommendation.STRONG_YES: "Strongly recommend",
    Recommendation.YES: "Recommend",
    Recommendation.NO: "Do not recommend",
    Recommendation.STRONG_NO: "Strongly do not recommend",
}


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    # every canvas starts in this font, so no unembedded base-14 font slips into the file
    rl_config.canvas_basefontname = FONT


@dataclass(frozen=True)
class _Styles:
    title = ParagraphStyle("title", fontName=BOLD, fontSize=22, leading=28, textColor=INK)
    h1 = ParagraphStyle(
        "h1", fontName=BOLD, fontSize=15, leading=20, spaceBefore=10, spaceAfter=6, textColor=INK
    )
    h2 = ParagraphStyle(
        "h2", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3, textColor=INK
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10.5, textColor=MUTED)
    quote = ParagraphStyle(
        "quote",
        fontName=FONT,
        fontSize=9,
        leading=12.5,
        leftIndent=10,
        textColor=colors.HexColor("#3e4c59"),
    )
    badge = ParagraphStyle(
        "badge", fontName=BOLD, fontSize=13, leading=17, alignment=TA_CENTER, textColor=colors.white
    )
    warn = ParagraphStyle("warn", fontName=BOLD, fontSize=9, leading=12, textColor=PROVISIONAL)


S = _Styles()


def _p(text: str, style: ParagraphStyle = S.body) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows: list[list[object]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9e2ec")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), BOLD, 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f4f8")),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _average_scores(scores: dict[str, AnswerScore]) -> dict[str, float]:
    totals = {c.value: [] for c in Criterion}
    for score in scores.values():
        for criterion in score.criteria:
            totals[criterion.criterion.value].append(criterion.score)
    return {name: round(sum(v) / len(v), 1) for name, v in totals.items() if v}


def _consent_text(record: SessionRecord) -> str:
    consent = record.consent
    if consent is None:
        return "No consent was recorded on the kiosk for this session."
    biometric = "agreed" if consent.biometric else "NOT agreed"
    at = consent.at.astimezone(UTC)
    if not consent.agreed:
        return (
            f"Consent declined at {at:%d %B %Y, %H:%M:%S} UTC; notice version "
            f"{consent.notice_version} (sha256 {consent.notice_sha256[:16]}…)"
        )
    return (
        f"Consent given at {at:%d %B %Y, %H:%M:%S} UTC; biometric processing "
        f"{biometric}; notice version {consent.notice_version} "
        f"(sha256 {consent.notice_sha256[:16]}…)"
    )


def _cover(record: SessionRecord, sample: bool) -> list[object]:
    session = record.session
    flow: list[object] = []
    if sample:
        flow.append(_p("SAMPLE DATA — demonstration session, not a real candidate", S.warn))
    flow += [_p("Interview report", S.title), Spacer(1, 4 * mm)]
    when = session.created_at.strftime("%d %B %Y, %H:%M UTC")
    details = [
        ["Candidate", _p(session.candidate.full_name)],
        ["Role", _p(session.job.title)],
        ["Date", _p(when)],
        ["Kiosk", _p(session.kiosk_id or "—")],
        ["Session", _p(f"{session.session_key}  ({session.session_id})")],
        ["Status", _p(session.state.value.replace("_", " "))],
        ["Consent", _p(_consent_text(record))],
    ]
    flow += [_table(details, [30 * mm, 140 * mm], header=False), Spacer(1, 6 * mm)]

    evaluation = record.evaluation
    if evaluation is not None:
        colour = {
            Recommendation.STRONG_YES: "#1f7a4d",
            Recommendation.YES: "#3f9142",
            Recommendation.NO: "#c65d21",
            Recommendation.STRONG_NO: "#a61b1b",
        }
        badge = Table(
            [[Paragraph(RECOMMENDATION_TEXT[evaluation.recommendation], S.badge)]],
            colWidths=[170 * mm],
        )
        badge.setStyle(
            TableStyle(
                [
                    (
                        "BACKGROUND",
                        (0, 0),
                        (-1, -1),
                        colors.HexColor(colour[evaluation.recommendation]),
                    ),
                    ("FONT", (0, 0), (-1, -1), BOLD, 13),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        flow += [_p("Recommendation", S.h1), badge]
        if evaluation.provisional:
            flow.append(
                _p(
                    f"Provisional: produced offline by the {evaluation.engine} engine; it "
                    "will be replaced when the session is re-scored online.",
                    S.warn,
                )
            )
    averages = (
        evaluation.overall if evaluation and evaluation.overall else _average_scores(record.scores)
    )
    if averages:
        flow += [_p("Overall scores (0-10)", S.h1), score_chart(averages, FONT)]
    provisional = sum(s.provisional for s in record.scores.values())
    if provisional:
        flow.append(
            _p(
                f"{provisional} of {len(record.scores)} answer scores are PROVISIONAL "
                "(offline scoring); they are marked ‡ below.",
                S.warn,
            )
        )
    if evaluation is not None:
        for title, items in (
            ("Strengths", evaluation.strengths),
            ("Concerns", evaluation.concerns),
        ):
            if items:
                flow += [_p(title, S.h2), *(_p(f"• {item}") for item in items)]
        if evaluation.behavioural_note:
            flow += [_p("Behavioural note", S.h2), _p(evaluation.behavioural_note)]
    return flow


def _transcript(answer: Answer | None) -> str:
    if answer is not None and answer.recording_damaged:
        return (
            "(The recording of this answer was damaged, so it was neither transcribed nor "
            "scored. The invigilator was told at the time.)"
        )
    return answer.text if answer and answer.text.strip() else "(no answer given)"


def _questions(record: SessionRecord) -> list[object]:
    flow: list[object] = [PageBreak(), _p("Questions and answers", S.h1)]
    if not record.questions:
        flow.append(_p("No question was asked."))
    for question in record.questions:
        answer = record.answer_for(question)
        score = record.scores.get(answer.answer_id) if answer else None
        block: list[object] = [
            _p(f"Q{question.index + 1}. {question.text}", S.h2),
            _p(
                f"{question.kind.value.replace('_', ' ')}"
                + (f" · skill: {question.skill}" if question.skill else "")
                + (f" · why asked: {question.rationale}" if question.rationale else ""),
                S.small,
            ),
            Spacer(1, 2 * mm),
            _p("Transcript", S.h2),
            _p(_transcript(answer), S.quote),
        ]
        if score is not None:
            mark = " ‡ PROVISIONAL" if score.provisional else " (final)"
            rows: list[list[object]] = [["Criterion", "Score", "Why"]]
            rows += [
                [c.criterion.value.capitalize(), f"{c.score:.1f}", _p(c.rationale, S.small)]
                for c in score.criteria
            ]
            rows.append(
                ["Overall", f"{score.overall:.1f}", _p(f"scored by {score.engine}{mark}", S.small)]
            )
            block += [Spacer(1, 2 * mm), _table(rows, [32 * mm, 16 * mm, 122 * mm])]
            if score.provisional:
                block.append(
                    _p("‡ Provisional offline score: to be confirmed by online re-scoring.", S.warn)
                )
            if score.feedback:
                block += [_p("Feedback", S.h2), _p(score.feedback)]
            if score.evidence:
                block += [
                    _p("Evidence from the answer", S.h2),
                    *(_p(f"“{quote}”", S.quote) for quote in score.evidence),
                ]
        elif answer is not None:
            block.append(_p("Not scored yet.", S.warn))
        flow.append(KeepTogether(block[:6]))
        flow += block[6:]
        flow.append(Spacer(1, 4 * mm))
    return flow


def _id_check(check: IdCheck | None, media: MediaStore) -> list[object]:
    flow: list[object] = [_p("Identity check", S.h1)]
    if check is None:
        return [*flow, _p("No identity check was recorded for this session.", S.warn)]

    def yes_no(ok: bool) -> str:
        return "match" if ok else "NO MATCH"

    distance = (
        "—"
        if check.face_distance is None
        else f"{check.face_distance:.3f} (accepted below {check.face_threshold:.2f})"
    )
    rows = [
        ["Name on document", _p(check.name_on_document), yes_no(check.name_matches)],
        ["Face", _p(f"distance {distance}"), yes_no(check.face_matches)],
        ["Document number", _p(check.document_number or "—"), ""],
        ["Date of birth", _p(check.date_of_birth or "—"), ""],
        ["Expiry", _p(check.expiry_date or "—"), "EXPIRED" if check.expired else "valid"],
    ]
    flow.append(_table(rows, [40 * mm, 95 * mm, 35 * mm], header=False))
    if check.override_reason:
        flow.append(
            _p(
                f"Invigilator override by {check.overridden_by or 'invigilator'}: "
                f"{check.override_reason}",
                S.warn,
            )
        )
    if check.card_image or check.live_image:
        pictures = [
            [_p("ID card as captured", S.small), _p("Live photo", S.small)],
            [
                _thumbnail(media, check.card_image.sha256 if check.card_image else None, 80 * mm),
                _thumbnail(media, check.live_image.sha256 if check.live_image else None, 60 * mm),
            ],
        ]
        flow += [Spacer(1, 3 * mm), _table(pictures, [85 * mm, 85 * mm], header=False)]
    return [KeepTogether(flow)]


def _thumbnail(media: MediaStore, sha256: str | None, width: float = 34 * mm) -> object:
    if sha256 is None:
        return _p("—", S.small)
    try:
        data = media.read(sha256)
    except MediaError as error:
        return _p(f"snapshot unavailable: {error}", S.small)
    image = Image(io.BytesIO(data))
    scale = width / max(image.imageWidth, 1)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _integrity(summary: IntegritySummary | None) -> list[object]:
    """The summary as stored when the interview ended: re-rendering never re-judges."""
    if summary is None:
        return [
            _p("No integrity summary", S.h2),
            _p("The interview did not complete, so no integrity summary was made."),
        ]
    if not summary.proctored:
        return [_p("Not proctored", S.h2), _p(summary.headline)]
    flow: list[object] = [_p(f"Integrity confidence: {summary.level.upper()}", S.h2)]
    reasons = summary.reasons or ("No proctoring rule fired during the session.",)
    flow += [_p(f"• {reason}") for reason in reasons]
    if summary.note:
        flow.append(_p(summary.note[0].upper() + summary.note[1:] + "."))
    flow.append(
        _p(
            "Automatic flags are observations for a person to review, not findings: "
            "cameras, lighting and posture cause false alarms. Judged when the interview "
            f"ended, under proctoring policy {summary.policy_digest[:12]} (sha256).",
            S.small,
        )
    )
    return flow


def _proctoring(record: SessionRecord, media: MediaStore) -> list[object]:
    summary = record.integrity
    flow: list[object] = [PageBreak(), _p("Proctoring and integrity", S.h1)]
    flow += _integrity(summary)
    events = list(record.events)
    seconds = summary.session_seconds if summary is not None else record.duration_seconds
    flow += [_p("Timeline", S.h2), timeline_chart(events, seconds, FONT)]
    if events:
        rows: list[list[object]] = [["When", "What", "Confidence", "Snapshot"]]
        for event in events:
            what = f"{EVENT_KINDS[event.kind]} ({SEVERITIES[event.severity]})"
            if event.detail:
                what += f": {event.detail}"
            if event.thresholds:
                what += f"\njudged with {_thresholds(event.thresholds)}"
            rows.append(
                [
                    f"{event.start:.0f}–{event.end:.0f} s",
                    _p(what, S.small),
                    f"{event.confidence:.2f}",
                    _thumbnail(media, event.snapshot.sha256 if event.snapshot else None),
                ]
            )
        flow.append(_table(rows, [24 * mm, 80 * mm, 22 * mm, 44 * mm]))
        if summary is not None and summary.proctored:
            flow.append(
                _p(
                    "Every flag above was judged under proctoring policy "
                    f"{summary.policy_digest} (sha256 of its values), with the values shown "
                    "beside it under the policy file's own names.",
                    S.small,
                )
            )
    return flow


def _thresholds(values: dict[str, float]) -> str:
    """The policy values a flag was judged with, as the policy file names them ("hold_s 5")."""
    return ", ".join(f"{name} {value:g}" for name, value in sorted(values.items()))


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


def _data_policy(record: SessionRecord) -> list[object]:
    """The session's data policy in the words the candidate was shown (generated from the
    policy stored with the session, never written here), with their digest."""
    policy = record.session.data_policy
    flow: list[object] = [Spacer(1, 4 * mm), _p("Personal data", S.h1)]
    flow += [_p(paragraph) for paragraph in policy_text(policy).split("\n\n")]
    flow.append(_p(f"Policy words sha256 {policy_digest(policy)[:16]}…", S.small))
    return flow


def render_report(
    record: SessionRecord,
    media: MediaStore,
    *,
    sample: bool = False,
) -> bytes:
    """The report as PDF bytes."""
    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Interview report — {record.session.candidate.full_name}",
        author="Interview Kiosk",
        subject=record.session.job.title,
        creator="Interview Kiosk",
    )
    story = [
        *_cover(record, sample),
        *_questions(record),
        *_id_check(record.id_check, media),
        *_proctoring(record, media),
        *_data_policy(record),
    ]
    footer = _footer(record.session.session_key)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
