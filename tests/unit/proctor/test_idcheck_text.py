"""Name matching and field parsing, on text and fake OCR lines."""

from __future__ import annotations

from datetime import date

import pytest

from proctor.detections import Box
from proctor.idcheck import OcrLine, match_name, parse_date, parse_id_fields


@pytest.mark.parametrize(
    ("registered", "card"),
    [
        ("Eileen Collins", "COLLINS Eileen Marie"),
        ("José García", "JOSE GARCIA LOPEZ"),
        ("Zoë Saldaña-Nazario", "saldana nazario zoe"),
        ("Eileen Marie Collins", "Eileen Collins"),
        ("E. Collins", "Eileen Collins"),
        ("Eileen Collins", "EILEEN C0LLINS"),  # one OCR slip
    ],
)
def test_names_that_match(registered, card):
    assert match_name(registered, card).matched


@pytest.mark.parametrize(
    ("registered", "card"),
    [
        ("Eileen Collins", "Eileen Robinson"),
        ("John Smith", "Jane Smith"),
        ("Collins", "Eileen Collins Marie"),  # one shared part is not enough for a long name
        ("Eileen Collins", ""),
    ],
)
def test_names_that_do_not_match(registered, card):
    result = match_name(registered, card)
    assert not result.matched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19.11.1956", date(1956, 11, 19)),
        ("19 / 11 / 1956", date(1956, 11, 19)),
        ("1956-11-19", date(1956, 11, 19)),
        ("19 NOV 1956", date(1956, 11, 19)),
        ("31.02.2020", None),
        ("X1234567", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def _line(text: str, x: float, y: float, confidence: float = 0.99) -> OcrLine:
    return OcrLine(text, confidence, Box(x, y, 10 * len(text), 20))


def test_fields_by_label_below_and_beside():
    lines = [
        _line("IDENTITY CARD", 0, 0),
        _line("Surname", 300, 50),
        _line("DOE", 300, 75),
        _line("Given names", 300, 120),
        _line("Jane Ann", 300, 145, 0.7),
        _line("Date of birth: 01.02.1990", 300, 190),
        _line("Document No.", 300, 240),
        _line("AB123456", 450, 241),
        _line("Date of expiry", 300, 290),
        _line("01.02.2030", 300, 315),
    ]
    fields = parse_id_fields(lines)
    assert fields.name.value == "Jane Ann DOE" and fields.name.confidence == 0.7
    assert fields.date_of_birth.as_date == date(1990, 2, 1)
    assert fields.document_number.value == "AB123456"
    assert fields.expiry_date.as_date == date(2030, 2, 1)
    assert fields.missing() == ()


def test_unlabelled_dates_fall_back_to_earliest_and_latest():
    lines = [_line("JANE DOE", 0, 0), _line("01.02.1990", 0, 40), _line("05.06.2031", 0, 80)]
    fields = parse_id_fields(lines)
    assert fields.date_of_birth.as_date == date(1990, 2, 1)
    assert fields.expiry_date.as_date == date(2031, 6, 5)
    assert fields.expiry_date.confidence < 0.99  # less sure without a label
    assert fields.missing() == ("name", "document_number")
