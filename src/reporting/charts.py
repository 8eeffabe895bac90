"""Vector charts for the report: criterion scores and the proctoring timeline."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from contract.proctoring import Severity
from reporting.record import EventLine

SEVERITY_COLOURS = {
    Severity.LOW: colors.HexColor("#f0b429"),
    Severity.MEDIUM: colors.HexColor("#de7c1d"),
    Severity.HIGH: colors.HexColor("#ba2525"),
}


def score_chart(scores: dict[str, float], font: str, width: float = 440) -> Drawing:
    """Horizontal bars, one per criterion, on a fixed 0-10 axis so reports compare at a glance."""
    names = list(scores)
    height = 30 + 26 * len(names)
    drawing = Drawing(width, height, initialFontName=font)
    chart = HorizontalBarChart()
    chart.x, chart.y = 120, 20
    chart.width, chart.height = width - 150, height - 30
    chart.data = [[scores[n] for n in reversed(names)]]
    chart.categoryAxis.categoryNames = [n.capitalize() for n in reversed(names)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 10, 2
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = colors.HexColor("#2f6fb0")
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 12
    drawing.add(chart)
    return drawing


def timeline_chart(
    events: list[EventLine], duration: float, font: str, width: float = 460
) -> Drawing:
    """One lane per event kind over the interview's duration, coloured by severity."""
    kinds = sorted({e.kind for e in events}) or ["(no events)"]
    lane, left, top_pad = 16, 110, 10
    height = top_pad + lane * len(kinds) + 28
    drawing = Drawing(width, height, initialFontName=font)
    span = max(duration, max((e.end for e in events), default=0.0), 1.0)
    plot = width - left - 10

    def x_of(t: float) -> float:
        return left + plot * max(0.0, min(t, span)) / span

    for row, kind in enumerate(kinds):
        y = height - top_pad - lane * (row + 1)
        drawing.add(
            Rect(
                left, y + 2, plot, lane - 4, fillColor=colors.HexColor("#f0f4f8"), strokeColor=None
            )
        )
        drawing.add(
            String(
                left - 6, y + 5, kind.replace("_", " "), fontName=font, fontSize=8, textAnchor="end"
            )
        )
        for event in (e for e in events if e.kind == kind):
            x0 = x_of(event.start)
            drawing.add(
                Rect(
                    x0,
                    y + 2,
                    max(x_of(event.end) - x0, 1.5),
                    lane - 4,
                    fillColor=SEVERITY_COLOURS[event.severity],
                    strokeColor=None,
                )
            )
    axis_y = 18
    drawing.add(Line(left, axis_y, left + plot, axis_y, strokeWidth=0.5))
    for step in range(6):
        t = span * step / 5
        drawing.add(Line(x_of(t), axis_y - 2, x_of(t), axis_y + 2, strokeWidth=0.5))
        drawing.add(
            String(
                x_of(t),
                axis_y - 11,
                f"{int(t // 60)}:{int(t % 60):02d}",
                fontName=font,
                fontSize=7,
                textAnchor="middle",
            )
        )
    return drawing
