"""The report's sections, in order: cover, questions and answers, identity check, proctoring.

A section is a function of the record and the pictures that returns reportlab flowables; the
report is the concatenation of its sections (`STANDARD_SECTIONS`). Adding one (HR's reviews and
decisions on the hub, say) is writing one more such function and passing the longer tuple to
`render_report`. Every provisional score is marked; the integrity section is worded for human
review; the points of each answer are printed in the words of `contract.rubric`.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Spacer, Table, TableStyle

from contract.evaluation import RECOMMENDATION_WORDS, Recommendation
from contract.fit import RequirementFitLine
from contract.privacy import policy_digest, policy_text
from contract.proctoring import IntegritySummary
from contract.rubric import DECIDED_BY_WORDS, VERDICT_WORDS, Verdict, path_words
from contract.words import EVENT_KINDS, SEVERITIES
from reporting.charts import score_chart, timeline_chart
from reporting.decisions import decisions
from reporting.fonts import BOLD, FONT
from reporting.record import IdentityLine, QuestionLine, ReportRecord, ScoreLine
from reporting.styles import S, para, table

Pictures = Callable[[str], bytes]
Section = Callable[[ReportRecord, Pictures], list[Flowable]]

RECOMMENDATION_COLOURS = {
    Recommendation.STRONG_YES: "#1f7a4d",
    Recommendation.YES: "#3f9142",
    Recommendation.NO: "#c65d21",
    Recommendation.STRONG_NO: "#a61b1b",
}


def engine_words(engine: str) -> str:
    """Who made a score or an evaluation, for people (the engine's own name in brackets)."""
    if engine == "offline-judge":
        return "the on-device judge (offline-judge)"
    if engine == "offline-minilm":
        return "closeness of wording on the kiosk (offline-minilm)"
    if engine.startswith("gemini:"):
        return f"Gemini ({engine.removeprefix('gemini:')})"
    return engine or "an unnamed engine"


def _average_scores(scores: tuple[ScoreLine, ...]) -> dict[str, float]:
    totals: dict[str, list[float]] = defaultdict(list)
    for score in scores:
        for criterion in score.criteria:
            totals[criterion.criterion].append(criterion.score)
    return {name: round(sum(v) / len(v), 1) for name, v in totals.items() if v}


def _consent_text(record: ReportRecord) -> str:
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


def _badge(recommendation: Recommendation) -> Table:
    badge = Table(
        [[para(RECOMMENDATION_WORDS[recommendation], S.badge)]], colWidths=[170 * mm]
    )
    badge.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1),
                 colors.HexColor(RECOMMENDATION_COLOURS[recommendation])),
                ("FONT", (0, 0), (-1, -1), BOLD, 13),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return badge


def cover(record: ReportRecord, pictures: Pictures) -> list[Flowable]:
    """Who, what, when, the recommendation, the overall scores and what is still provisional."""
    del pictures
    flow: list[Flowable] = []
    if record.sample:
        flow.append(para("SAMPLE DATA — demonstration session, not a real candidate", S.warn))
    flow += [para("Interview report", S.title), Spacer(1, 4 * mm)]
    details = [
        ["Candidate", para(record.candidate_name)],
        ["Role", para(record.job_title)],
        ["Date", para(record.held_at.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC"))],
        ["Kiosk", para(record.kiosk_id or "—")],
        ["Session", para(f"{record.session_key}  ({record.session_id})")],
        ["Status", para(record.status.replace("_", " "))],
        ["Consent", para(_consent_text(record))],
    ]
    flow += [table(details, [30 * mm, 140 * mm], header=False), Spacer(1, 6 * mm)]

    evaluation = record.evaluation
    if evaluation is not None:
        flow += [para("Recommendation", S.h1), _badge(evaluation.recommendation)]
        if evaluation.provisional:
            flow.append(
                para(
                    f"Provisional: made by {engine_words(evaluation.engine)} from provisional "
                    "answer scores; it is made again, with a new version of this report, once "
                    "every answer's score is final.",
                    S.warn,
                )
            )
    averages = (
        dict(evaluation.overall)
        if evaluation and evaluation.overall
        else _average_scores(record.scores)
    )
    if averages:
        flow += [para("Overall scores (0-10)", S.h1), score_chart(averages, FONT)]
    provisional = sum(s.provisional for s in record.scores)
    if provisional:
        flow.append(
            para(
                f"{provisional} of {len(record.scores)} answer scores are PROVISIONAL: scored "
                "by closeness of wording only, before the on-device judge or an online "
                "re-score decided them. They are marked ‡ below; a new version of this report "
                "follows when they are final.",
                S.warn,
            )
        )
    if evaluation is not None:
        for title, items in (
            ("Strengths", evaluation.strengths),
            ("Concerns", evaluation.concerns),
        ):
            if items:
                flow += [para(title, S.h2), *(para(f"• {item}") for item in items)]
        if evaluation.behavioural_note:
            flow += [para("Behavioural note", S.h2), para(evaluation.behavioural_note)]
    return flow


def _points(score: ScoreLine) -> list[Flowable]:
    """Each expected point: covered, contradicted or not covered, the answer's own words, and
    who decided."""
    if not score.points:
        return []
    order = {Verdict.COVERED: 0, Verdict.CONTRADICTED: 1, Verdict.ABSENT: 2}
    rows: list[list[object]] = [["", "Expected point and the answer's words", "Decided"]]
    for point in sorted(score.points, key=lambda p: order[p.verdict]):
        said = f"{point.point}\n“{point.evidence}”" if point.evidence else point.point
        rows.append(
            [
                para(VERDICT_WORDS[point.verdict], S.body),
                para(said, S.small),
                para(DECIDED_BY_WORDS[point.decided_by].removeprefix("decided "), S.small),
            ]
        )
    flow: list[Flowable] = [para("Expected points", S.h2),
                            table(rows, [26 * mm, 106 * mm, 38 * mm])]
    how = path_words(score.path)
    if how:
        flow.append(para(how[0].upper() + how[1:] + ".", S.small))
    return flow


def _transcript(question: QuestionLine) -> str:
    if question.recording_damaged:
        return (
            "(The recording of this answer was damaged, so it was neither transcribed nor "
            "scored. The invigilator was told at the time.)"
        )
    answered = question.answer is not None and question.answer.strip()
    return question.answer if answered else "(no answer given)"


def questions(record: ReportRecord, pictures: Pictures) -> list[Flowable]:
    """Every question, the transcript of its answer, its score and its points."""
    del pictures
    flow: list[Flowable] = [PageBreak(), para("Questions and answers", S.h1)]
    if not record.questions:
        flow.append(para("No question was asked."))
    for question in record.questions:
        score = question.score
        why = (
            question.kind.replace("_", " ")
            + (f" · skill: {question.skill}" if question.skill else "")
            + (f" · why asked: {question.rationale}" if question.rationale else "")
        )
        block: list[Flowable] = [
            para(f"Q{question.index + 1}. {question.text}", S.h2),
            para(why, S.small),
            Spacer(1, 2 * mm),
            para("Transcript", S.h2),
            para(_transcript(question), S.quote),
        ]
        if score is not None:
            mark = " ‡ PROVISIONAL" if score.provisional else " (final)"
            rows: list[list[object]] = [["Criterion", "Score", "Why"]]
            rows += [
                [c.criterion.capitalize(), f"{c.score:.1f}", para(c.rationale, S.small)]
                for c in score.criteria
            ]
            rows.append(
                [
                    "Overall",
                    f"{score.overall:.1f}",
                    para(f"scored by {engine_words(score.engine)}{mark}", S.small),
                ]
            )
            block += [Spacer(1, 2 * mm), table(rows, [32 * mm, 16 * mm, 122 * mm])]
            if score.provisional:
                block.append(
                    para(
                        "‡ Provisional score: closeness of wording only, to be confirmed by "
                        "the on-device judge or an online re-score.",
                        S.warn,
                    )
                )
            if score.feedback:
                block += [para("Feedback", S.h2), para(score.feedback)]
            block += _points(score)
            if score.evidence:
                block += [
                    para("Evidence from the answer", S.h2),
                    *(para(f"“{quote}”", S.quote) for quote in score.evidence),
                ]
        elif question.answer is not None and not question.recording_damaged:
            block.append(para("Not scored yet.", S.warn))
        flow.append(KeepTogether(block[:6]))
        flow += block[6:]
        flow.append(Spacer(1, 4 * mm))
    return flow


def picture(pictures: Pictures, sha256: str | None, width: float = 34 * mm) -> Flowable:
    """A stored picture scaled to `width`, or a line saying why it cannot be shown."""
    if sha256 is None:
        return para("—", S.small)
    try:
        image = Image(io.BytesIO(pictures(sha256)))
        scale = width / max(image.imageWidth, 1)
    except Exception as error:  # a missing or unreadable file must not stop the report
        return para(f"picture unavailable ({type(error).__name__})", S.small)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def identity(record: ReportRecord, pictures: Pictures) -> list[Flowable]:
    """The ID check: what was read, whether name and face matched, any override."""
    check: IdentityLine | None = record.identity
    flow: list[Flowable] = [para("Identity check", S.h1)]
    if check is None:
        return [*flow, para("No identity check was recorded for this session.", S.warn)]

    def yes_no(ok: bool) -> str:
        return "match" if ok else "NO MATCH"

    threshold = f" (accepted below {check.face_threshold:.2f})" if check.face_threshold else ""
    distance = "—" if check.face_distance is None else f"{check.face_distance:.3f}{threshold}"
    rows = [
        ["Name on document", para(check.name_on_document), yes_no(check.name_matches)],
        ["Face", para(f"distance {distance}"), yes_no(check.face_matches)],
        ["Document number", para(check.document_number or "—"), ""],
        ["Date of birth", para(check.date_of_birth or "—"), ""],
        ["Expiry", para(check.expiry_date or "—"), "EXPIRED" if check.expired else "valid"],
    ]
    flow.append(table(rows, [40 * mm, 95 * mm, 35 * mm], header=False))
    if check.override_reason:
        flow.append(
            para(
                f"Invigilator override by {check.overridden_by or 'invigilator'}: "
                f"{check.override_reason}",
                S.warn,
            )
        )
    if check.card_image or check.live_image:
        shown = [
            [para("ID card as captured", S.small), para("Live photo", S.small)],
            [
                picture(pictures, check.card_image, 80 * mm),
                picture(pictures, check.live_image, 60 * mm),
            ],
        ]
        flow += [Spacer(1, 3 * mm), table(shown, [85 * mm, 85 * mm], header=False)]
    return [KeepTogether(flow)]


def _integrity(summary: IntegritySummary | None) -> list[Flowable]:
    """The summary as stored when the interview ended: re-rendering never re-judges."""
    if summary is None:
        return [
            para("No integrity summary", S.h2),
            para("The interview did not complete, so no integrity summary was made."),
        ]
    if not summary.proctored:
        return [para("Not proctored", S.h2), para(summary.headline)]
    flow: list[Flowable] = [para(f"Integrity confidence: {summary.level.upper()}", S.h2)]
    reasons = summary.reasons or ("No proctoring rule fired during the session.",)
    flow += [para(f"• {reason}") for reason in reasons]
    if summary.note:
        flow.append(para(summary.note[0].upper() + summary.note[1:] + "."))
    flow.append(
        para(
            "Automatic flags are observations for a person to review, not findings: "
            "cameras, lighting and posture cause false alarms. Judged when the interview "
            f"ended, under proctoring policy {summary.policy_digest[:12]} (sha256).",
            S.small,
        )
    )
    return flow


def proctoring(record: ReportRecord, pictures: Pictures) -> list[Flowable]:
    """The integrity summary, the timeline of events and each event with its snapshot."""
    summary = record.integrity
    flow: list[Flowable] = [PageBreak(), para("Proctoring and integrity", S.h1)]
    flow += _integrity(summary)
    events = list(record.events)
    seconds = summary.session_seconds if summary is not None else record.duration_seconds
    flow += [para("Timeline", S.h2), timeline_chart(events, seconds, FONT)]
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
                    para(what, S.small),
                    f"{event.confidence:.2f}",
                    picture(pictures, event.snapshot),
                ]
            )
        flow.append(table(rows, [24 * mm, 80 * mm, 22 * mm, 44 * mm]))
        if summary is not None and summary.proctored:
            flow.append(
                para(
                    "Every flag above was judged under proctoring policy "
                    f"{summary.policy_digest} (sha256 of its values), with the values shown "
                    "beside it under the policy file's own names.",
                    S.small,
                )
            )
    return flow


def _thresholds(values: Mapping[str, float]) -> str:
    """The policy values a flag was judged with, as the policy file names them ("hold_s 5")."""
    return ", ".join(f"{name} {value:g}" for name, value in sorted(values.items()))


def _evidence_words(line: RequirementFitLine) -> str:
    quotes = [f"“{e.sentence}”" + (f" ({e.organisation})" if e.organisation else "")
              for e in line.evidence]
    return "\n".join(quotes)


def job_fit(record: ReportRecord, pictures: Pictures) -> list[Flowable]:
    """The resume against the job: each required skill, whether the resume shows it (with its
    words) and which question asked about it; then the nice-to-haves. As stored when the
    interview began; nothing for a session from before the fit was kept."""
    del pictures
    fit = record.fit
    if fit is None:
        return []
    flow: list[Flowable] = [PageBreak(), para("The resume and the job", S.h1),
                            para(fit.headline), para(fit.caution, S.small), Spacer(1, 3 * mm)]
    main = record.main_question_numbers
    for title, lines in (("Required skills", fit.required),
                         ("Nice-to-have skills", fit.nice_to_have)):
        if not lines:
            continue
        rows: list[list[object]] = [["Skill", "On the resume", "In the interview"]]
        for line in lines:
            skill = line.requirement + (" (named by HR)" if line.from_hr else "")
            found = line.on_resume
            evidence = _evidence_words(line)
            rows.append([
                para(skill, S.small),
                para(found + ("\n" + evidence if evidence else ""), S.small),
                para(line.in_interview(main), S.small),
            ])
        flow += [para(title, S.h2), table(rows, [42 * mm, 84 * mm, 44 * mm])]
    if fit.extra_skills:
        flow += [para("Other skills on the resume", S.h2),
                 para(", ".join(fit.extra_skills))]
    return flow


def data_policy(record: ReportRecord, pictures: Pictures) -> list[Flowable]:
    """The session's data policy in the words the candidate was shown: generated from the
    policy itself (never written here), with their digest, which the consent record holds."""
    if record.data_policy is None:
        return []
    policy = record.data_policy
    flow: list[Flowable] = [Spacer(1, 4 * mm), para("Personal data", S.h1)]
    flow += [para(paragraph) for paragraph in policy_text(policy).split("\n\n")]
    flow.append(para(f"Policy words sha256 {policy_digest(policy)[:16]}…", S.small))
    return flow


#: `decisions` prints only what the hub filled in (`ReportRecord.decisions`): nothing for a kiosk.
STANDARD_SECTIONS: tuple[Section, ...] = (
    cover, decisions, job_fit, questions, identity, proctoring, data_policy,
)

__all__ = [
    "STANDARD_SECTIONS",
    "Pictures",
    "Section",
    "cover",
    "data_policy",
    "engine_words",
    "identity",
    "job_fit",
    "picture",
    "proctoring",
    "questions",
]
