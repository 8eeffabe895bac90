"""Find the name, date of birth, document number and expiry date among a card's OCR lines.

Cards differ in layout but nearly all print a label next to or above each value, so values are
found by label first (the nearest line to the right on the same row, else the nearest below),
with pattern fallbacks when a label is missing: the earliest date is the birth date, the latest
the expiry, and a letters-and-digits code the document number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from proctor.idcheck.ocr import OcrLine

_LABELS: dict[str, tuple[str, ...]] = {
    "surname": ("surname", "last name", "family name"),
    "given": ("given names", "given name", "first names", "first name", "forenames"),
    "name": ("full name", "name"),
    "birth": ("date of birth", "birth date", "dob", "born"),
    "number": ("document no", "document number", "card no", "id no", "passport no", "number"),
    "expiry": ("date of expiry", "expiry date", "expiry", "expires", "valid until"),
}
_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y")
_DATE_PATTERN = re.compile(
    r"\b(\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4})\b"
)
_NUMBER_PATTERN = re.compile(r"\b(?=[A-Z0-9]*\d)[A-Z0-9]{6,12}\b")


@dataclass(frozen=True)
class FieldReading:
    """A value read from the card, the OCR's confidence in it, and the date if it is one."""

    value: str
    confidence: float
    as_date: date | None = None


@dataclass(frozen=True)
class IdFields:
    name: FieldReading | None
    date_of_birth: FieldReading | None
    document_number: FieldReading | None
    expiry_date: FieldReading | None

    def missing(self) -> tuple[str, ...]:
        pairs = {
            "name": self.name,
            "date_of_birth": self.date_of_birth,
            "document_number": self.document_number,
            "expiry_date": self.expiry_date,
        }
        return tuple(name for name, reading in pairs.items() if reading is None)


def parse_date(text: str) -> date | None:
    """A date in any of the common card formats, or None."""
    match = _DATE_PATTERN.search(text)
    if not match:
        return None
    compact = re.sub(r"\s*([./-])\s*", r"\1", match.group(1))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(compact, fmt).date()
        except ValueError:
            continue
    return None


def _label_of(line: OcrLine) -> tuple[str, str] | None:
    """(field, text after the label) if the line starts with a known label."""
    text = line.text.casefold().strip()
    for field, labels in _LABELS.items():
        for label in labels:
            if text.startswith(label):
                rest = line.text[len(label) :].strip(" :.")
                return field, rest
    return None


def _value_for(label: OcrLine, values: Sequence[OcrLine]) -> OcrLine | None:
    """The value line nearest to a label: same row to its right, else below and aligned."""
    height = max(label.box.height, 1.0)
    centre = label.box.y + label.box.height / 2
    best, best_distance = None, float("inf")
    for line in values:
        line_centre = line.box.y + line.box.height / 2
        if abs(line_centre - centre) < 0.6 * height and line.box.x > label.box.x + label.box.width:
            distance = line.box.x - (label.box.x + label.box.width)
        elif line.box.y >= centre and abs(line.box.x - label.box.x) < 2 * height:
            distance = line.box.y - (label.box.y + label.box.height) + height
        else:
            continue
        if distance < best_distance:
            best, best_distance = line, distance
    return best


def parse_id_fields(lines: Sequence[OcrLine]) -> IdFields:
    """The four fields the kiosk checks, each None when it could not be found."""
    labelled = [(line, _label_of(line)) for line in lines]
    values = [line for line, label in labelled if label is None]
    found: dict[str, FieldReading] = {}
    for line, label in labelled:
        if label is None or label[0] in found:
            continue
        field, rest = label
        if rest:
            found[field] = FieldReading(rest, line.confidence)
            continue
        value = _value_for(line, values)
        if value is not None:
            found[field] = FieldReading(value.text, value.confidence)
    return IdFields(
        name=_name(found),
        date_of_birth=_date(found.get("birth")) or _date_fallback(lines, earliest=True),
        document_number=_number(found.get("number"), lines),
        expiry_date=_date(found.get("expiry")) or _date_fallback(lines, earliest=False),
    )


def _name(found: dict[str, FieldReading]) -> FieldReading | None:
    given, surname = found.get("given"), found.get("surname")
    if given and surname:
        return FieldReading(
            f"{given.value} {surname.value}", min(given.confidence, surname.confidence)
        )
    return found.get("name") or surname or given


def _date(reading: FieldReading | None) -> FieldReading | None:
    if reading is None:
        return None
    parsed = parse_date(reading.value)
    return FieldReading(reading.value, reading.confidence, parsed) if parsed else None


def _date_fallback(lines: Sequence[OcrLine], *, earliest: bool) -> FieldReading | None:
    dated = [(parse_date(line.text), line) for line in lines]
    dated = [(d, line) for d, line in dated if d is not None]
    if len(dated) < 2:  # one unlabelled date could be either: do not guess
        return None
    pick = min if earliest else max
    when, line = pick(dated, key=lambda pair: pair[0])
    return FieldReading(line.text, line.confidence * 0.8, when)  # less sure without a label


def _number(reading: FieldReading | None, lines: Sequence[OcrLine]) -> FieldReading | None:
    if reading is not None:
        match = _NUMBER_PATTERN.search(reading.value.upper().replace(" ", ""))
        if match:
            return FieldReading(match.group(0), reading.confidence)
    for line in lines:
        match = _NUMBER_PATTERN.search(line.text.upper())
        if match and parse_date(line.text) is None:
            return FieldReading(match.group(0), line.confidence * 0.8)
    return None
