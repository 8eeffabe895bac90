"""Real-looking resumes in several conventions and formats, parsed to their expected structure.

The corpus (`tests/data/ingest/`) has Indian, US and European (Europass) layouts, dates written
"03/2018 to 11/2020", "Jan 2020 – Present", "2019-2021", dates before titles, labelled fields
("Company:", "Designation:"), promotions under one employer, a resume with no headings, and a
headline "Backend Engineer · Pune" that must never become a job. Each is read as text, and
several as PDF and DOCX made from the same lines, through `read_document`.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kiosk.ingest import ResumeProfile, parse_resume, read_document
from reporting.fonts import FONTS_DIR

CORPUS = Path(__file__).resolve().parents[2] / "data" / "ingest"
EXPECTED = {k: v for k, v in json.loads((CORPUS / "expected.json").read_text()).items()
            if not k.startswith("_")}
TODAY = date(2025, 6, 1)
FONT = FONTS_DIR / "DejaVuSans.ttf"


def _pdf(lines: list[str], path: Path) -> Path:
    """A one-column PDF in an embedded Unicode font, one resume line per text line."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        if y < 60:
            page.showPage()
            y = 800
        page.setFont("DejaVu", 9)
        page.drawString(40, y, line.replace("\t", "    "))
        y -= 13
    page.save()
    path.write_bytes(buffer.getvalue())
    return path


def _docx(lines: list[str], path: Path, table_section: str | None = None) -> Path:
    """A Word document; the lines of `table_section` (up to the next blank line) go into a
    table, as many resumes lay out education, so table order matters."""
    document = docx.Document()
    rows: list[list[str]] = []
    in_table = False
    for line in lines:
        if table_section and line.strip() == table_section:
            document.add_paragraph(line)
            in_table = True
            continue
        if in_table and line.strip():
            rows.append([cell.strip() for cell in line.split("|")])
            continue
        if in_table:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, text in enumerate(cells):
                    table.rows[r].cells[c].text = text
            in_table, rows = False, []
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _month(text: str) -> tuple[int, int | None] | str:
    if text == "present":
        return text
    year, _, month = text.partition("-")
    return int(year), int(month) if month else None


def _check(profile: ResumeProfile, expected: dict) -> None:
    assert profile.name == expected["name"]
    got_roles = [
        [r.title, r.organisation, (r.start_year, r.start_month),
         "present" if r.current else (r.end_year, r.end_month)]
        for r in profile.roles
    ]
    want_roles = [[t, o, _month(s), _month(e)] for t, o, s, e in expected["roles"]]
    assert got_roles == want_roles
    assert [r.location for r in profile.roles] == expected["locations"]
    assert [[e.degree, e.institution, e.year] for e in profile.education] == expected["education"]
    assert profile.years_experience == expected["years_experience"]
    for skill, organisation in expected["skills"].items():
        assert skill in profile.skills, skill
        role = profile.role_for_skill(skill)
        assert (role.organisation if role else "") == organisation, skill
        evidence = profile.evidence_for(skill)
        assert evidence is not None and evidence.sentence in profile.text, skill
    assert not profile.doubts or expected["name"] == "Lena Okafor"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_text_resume_parses_to_its_expected_structure(name: str) -> None:
    text = read_document(CORPUS / name).text
    _check(parse_resume(text, today=TODAY), EXPECTED[name])


@pytest.mark.parametrize("name", ["resume_us.txt", "resume_europass.txt",
                                  "resume_one_org_promotions.txt"])
def test_pdf_resume_parses_like_its_text(name: str, tmp_path: Path) -> None:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    extracted = read_document(_pdf(lines, tmp_path / "cv.pdf"))
    assert extracted.source_format == "pdf"
    _check(parse_resume(extracted.text, today=TODAY), EXPECTED[name])


@pytest.mark.parametrize(("name", "table"), [("resume_india.txt", "ACADEMIC QUALIFICATIONS"),
                                             ("resume_dates_first.txt", None)])
def test_docx_resume_parses_like_its_text(name: str, table: str | None, tmp_path: Path) -> None:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    extracted = read_document(_docx(lines, tmp_path / "cv.docx", table))
    assert extracted.source_format == "docx"
    _check(parse_resume(extracted.text, today=TODAY), EXPECTED[name])


def test_headline_in_the_header_is_never_a_job() -> None:
    profile = parse_resume((CORPUS / "resume_pune_headline.txt").read_text(), today=TODAY)
    assert all(r.organisation != "Pune" and "Pune" not in r.title for r in profile.roles)
    header_only = parse_resume("Rahul Verma\nBackend Engineer · Pune · rahul@example.in\n"
                               "Skills\nGo, Java, PostgreSQL", today=TODAY)
    assert header_only.roles == ()
    assert header_only.role_for_skill("go") is None


def test_education_dates_are_not_experience() -> None:
    profile = parse_resume(
        "Ana Lima\nEducation\n2010 - 2014 BSc Physics, Universidade de São Paulo\n"
        "Experience\nPhysics Teacher, Colégio Rio Branco (2015 - 2017)\n", today=TODAY)
    assert profile.years_experience == 2.0
    assert [(e.degree, e.year) for e in profile.education] == [("BSc Physics", 2014)]


def test_a_second_pass_is_asked_only_when_the_rules_doubt() -> None:
    calls: list[tuple[str, ...]] = []

    def judge(text: str, draft: ResumeProfile) -> ResumeProfile:
        calls.append(draft.doubts)
        return draft

    clean = parse_resume((CORPUS / "resume_us.txt").read_text(), today=TODAY, second_pass=judge)
    assert calls == [] and clean.parsed_by == "rules"
    doubtful = parse_resume("references available on request\nSkills\nPython", today=TODAY,
                            second_pass=judge)
    assert calls and "no candidate name" in calls[0][0]
    assert doubtful.parsed_by == "rules+second_pass"
