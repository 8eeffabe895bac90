"""The report's look: paragraph styles, tables and escaped text, shared by every section."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from reporting.fonts import BOLD, FONT

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
PROVISIONAL = colors.HexColor("#b44d12")


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


def para(text: str, style: ParagraphStyle = S.body) -> Paragraph:
    """Text as a paragraph: escaped (candidate text is never markup), line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def table(rows: list[list[object]], widths: list[float], header: bool = True) -> Table:
    grid = Table(rows, colWidths=widths, hAlign="LEFT")
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
    grid.setStyle(TableStyle(commands))
    return grid


__all__ = ["INK", "MUTED", "PROVISIONAL", "S", "para", "table"]
