"""Date ranges as resumes write them, in the conventions of several countries.

"Jan 2020 – Present", "January 2020 - Dec 2021", "2019-2021", "03/2018 to 11/2020",
"03.2018 – 11.2020", "2018-03 – 2020-11", "Mar'18 - Nov'20", "Since 2019", "2019 – till date".
A month is kept when the resume gives one, so experience is counted in months; a year alone
counts from January. Only ranges are read here: a lone year ("MSc, 2018") is a graduation, not
a span of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # A few European spellings seen on English-language resumes.
    "mär": 3, "mrz": 3, "mai": 5, "okt": 10, "dez": 12, "janv": 1, "févr": 2, "avr": 4,
    "juin": 6, "juil": 7, "déc": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "set": 9,
}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun[ei]?|jul[iy]?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mär(?:z)?|mrz|mai|okt(?:ober)?|"
    r"dez(?:ember)?|janv(?:ier)?|févr(?:ier)?|avr(?:il)?|juin|juil(?:let)?|déc(?:embre)?|"
    r"ene(?:ro)?|abr(?:il)?|ago(?:sto)?|dic(?:iembre)?|set(?:embro)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_SHORT_YEAR = r"'\d\d"
#: One end of a range: "Jan 2020", "January, 2020", "03/2018", "03.2018", "2018-03", "Mar'18",
#: or a bare year.
_POINT = (
    rf"(?:(?P<{{p}}mw>{_MONTH_WORD})\s*,?\s*(?P<{{p}}y1>{_YEAR}|{_SHORT_YEAR})"
    rf"|(?P<{{p}}mn>0?[1-9]|1[0-2])\s*[/.]\s*(?P<{{p}}y2>{_YEAR})"
    rf"|(?P<{{p}}y3>{_YEAR})-(?P<{{p}}mi>0[1-9]|1[0-2])(?!\d)"
    rf"|(?P<{{p}}y4>{_YEAR}))"
)
_NOW = (
    r"(?P<now>present|current(?:ly)?|now|today|till\s+date|to\s+date|date|ongoing|heute|"
    r"aujourd'hui|actuel(?:lement)?|presente|atual)"
)
_DASH = r"\s*(?:-|–|—|‒|―|to|until|till|bis|à|a|au)\s*"
RANGE = re.compile(
    rf"(?<![\w/.-])(?:from\s+)?{_POINT.format(p='s')}{_DASH}"
    rf"(?:{_POINT.format(p='e')}|{_NOW})(?![\w/])",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"\b(?:since|seit|depuis|desde)\s+{_POINT.format(p='s')}(?![\w/])",
                    re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    year: int
    month: int = 1  # January when the resume gives only a year

    @property
    def index(self) -> int:
        """Months since year 0, so spans subtract."""
        return self.year * 12 + self.month - 1


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A span of time as written on the resume; `end` None means it continues today."""

    start: YearMonth
    end: YearMonth | None
    text: str  # the characters it was read from
    month_known: bool  # the start had a month, so the span is counted in months

    @property
    def current(self) -> bool:
        return self.end is None

    def end_or(self, today: date) -> YearMonth:
        return self.end or YearMonth(today.year, today.month)

    def months(self, today: date) -> int:
        return max(0, self.end_or(today).index - self.start.index)


def _year(text: str) -> int:
    if text.startswith("'"):
        short = int(text[1:])
        return 2000 + short if short < 70 else 1900 + short
    return int(text)


def _point(match: re.Match[str], prefix: str) -> tuple[YearMonth, bool] | None:
    group = match.groupdict()
    if group.get(f"{prefix}mw"):
        word = group[f"{prefix}mw"].lower().rstrip(".")
        month = _MONTHS.get(word[:4]) or _MONTHS.get(word[:3]) or 1
        return YearMonth(_year(group[f"{prefix}y1"]), month), True
    if group.get(f"{prefix}mn"):
        return YearMonth(int(group[f"{prefix}y2"]), int(group[f"{prefix}mn"])), True
    if group.get(f"{prefix}y3"):
        return YearMonth(int(group[f"{prefix}y3"]), int(group[f"{prefix}mi"])), True
    if group.get(f"{prefix}y4"):
        return YearMonth(int(group[f"{prefix}y4"])), False
    return None


def find_spans(text: str, today: date) -> list[DateSpan]:
    """Every date range in `text`, in order; ranges that end before they start, or start in
    the future, are not spans of work and are left out."""
    spans: list[DateSpan] = []
    for match in RANGE.finditer(text):
        start = _point(match, "s")
        if start is None:
            continue
        if match.group("now"):
            end: YearMonth | None = None
        else:
            parsed_end = _point(match, "e")
            end = parsed_end[0] if parsed_end else None
            if end is not None and not parsed_end[1] and start[1]:  # "Mar 2018 - 2020"
                end = YearMonth(end.year, 12)
        span = DateSpan(start[0], end, match.group(0).strip(), start[1])
        if _plausible(span, today):
            spans.append(span)
    if not spans:
        for match in _SINCE.finditer(text):
            start = _point(match, "s")
            if start is not None:
                span = DateSpan(start[0], None, match.group(0).strip(), start[1])
                if _plausible(span, today):
                    spans.append(span)
    return spans


def _plausible(span: DateSpan, today: date) -> bool:
    now = YearMonth(today.year, today.month)
    if span.start > now:
        return False
    return span.end is None or span.start <= span.end


def merged_months(spans: list[DateSpan], today: date) -> int:
    """Months covered by the spans together: overlapping jobs are not counted twice."""
    intervals = sorted((s.start.index, s.end_or(today).index) for s in spans)
    total, current_start, current_end = 0, None, None
    for start, end in intervals:
        if current_end is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total


__all__ = ["RANGE", "DateSpan", "YearMonth", "find_spans", "merged_months"]
