"""Line and step charts as SVG geometry: series of (x, value) points in, coordinates and labels out.

No Django here: :func:`line_chart` returns a frozen :class:`Chart` that
``templates/offers/_chart.html`` draws as inline SVG (no script, so the content security policy
holds), with its ticks, labels, legend and a table of the same figures all worked out
here. The x axis is either dates (``x_kind="date"``: ticks on years or months) or
plain numbers (``x_kind="number"``: a discount rate, say); values are Decimals.

Worked example: one series rising from $0 on Oct 10, 2003 to $1,534 on Aug 1, 2009,

>>> from datetime import date
>>> chart = line_chart([Series("Cash", ((date(2003, 10, 10), Decimal(0)), (date(2009, 8, 1), Decimal(1534))))],
...                    chart_id="c", title="Cash", description="d", x_label="Year", y_label="Dollars", step=True)
>>> [tick.label for tick in chart.y_ticks]
['0', '500', '1,000', '1,500', '2,000']
>>> [tick.label for tick in chart.x_ticks]
['2004', '2005', '2006', '2007', '2008', '2009']
>>> chart.lines[0].end_label.text
'1,534'

A number axis, such as present value by discount rate, with a marked break-even rate
(any formatter writes the ticks and the table; ``offers.formatting`` has money and percent):

>>> pv = line_chart([Series("Original", ((Decimal(0), Decimal("2235.79")), (Decimal(30), Decimal("782.54")))),
...                  Series("Amended", ((Decimal(0), Decimal("2603.20")), (Decimal(30), Decimal("539.28"))))],
...                 chart_id="pv-chart", title="Present value by discount rate", description="...",
...                 x_label="Discount rate", y_label="Present value (US dollars)", x_kind="number",
...                 markers=[Marker(Decimal("7.3"), "Break-even 7.3%")], x_format=lambda r: f"{r}%", y_format=dollars)
>>> [tick.label for tick in pv.x_ticks], pv.y_ticks[-1].label, pv.table_rows[0]
(['0%', '5%', '10%', '15%', '20%', '25%', '30%'], '$3,000', TableRow(x='0%', values=('$2,235.79', '$2,603.20')))

In a template: ``{% include "offers/_chart.html" with chart=pv %}`` (add ``table_id=``, the id of a table of
the same figures already on the page, to link to it instead of drawing the chart's own).

Coordinates are Decimals rounded to a tenth of a pixel, so the output is the same on
every machine; nothing here touches money beyond comparing and scaling it for drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

DATE, NUMBER = "date", "number"
X = date | Decimal
TENTH = Decimal("0.1")
# Text is measured by estimate (no fonts on the server): an average character of the
# 12px sans-serif the stylesheet sets is about 6.6px wide.
CHAR_WIDTH = Decimal("6.6")
LINE_HEIGHT = 15
STEP_PADDING = Decimal("0.03")
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
DOT_SHAPES = ("circle", "square", "diamond")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Series:
    """One line: its name (for the legend and the table) and its points, in x order."""

    name: str
    points: tuple[tuple[X, Decimal], ...]


@dataclass(frozen=True)
class Marker:
    """A vertical line at ``at`` with a text label (the consummation date, a maturity).

    ``series`` ties it to a series' colour and dash pattern (None: neutral).
    """

    at: X
    label: str
    series: int | None = None


@dataclass(frozen=True)
class Tick:
    position: Decimal
    label: str


@dataclass(frozen=True)
class Dot:
    """A data point, drawn as a shape that differs by series (not by colour alone)."""

    x: Decimal
    y: Decimal
    shape: str
    path: str  # the shape outline, for square and diamond
    title: str  # what a pointer hovering it reads


@dataclass(frozen=True)
class Label:
    x: Decimal
    y: Decimal
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Line:
    """A series drawn: ``index`` picks its colour and dash pattern (``chart-series-N`` in site.css)."""

    index: int
    name: str
    path: str
    dots: tuple[Dot, ...]
    end_label: Label | None


@dataclass(frozen=True)
class MarkerLine:
    x: Decimal
    top: Decimal
    bottom: Decimal
    label: Label
    series: int | None


@dataclass(frozen=True)
class LegendEntry:
    index: int
    name: str
    x1: Decimal
    x2: Decimal
    y: Decimal
    text: Label
    shape: str
    dot: Dot | None


@dataclass(frozen=True)
class TableRow:
    x: str
    values: tuple[str, ...]
    names: tuple[str, ...] = field(repr=False, default=())  # each value's series, for a table that reflows

    @property
    def cells(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.values, self.names, strict=True))


@dataclass(frozen=True)
class Chart:
    """Everything the template draws, in SVG user units (``viewBox="0 0 width height"``)."""

    chart_id: str
    title: str
    description: str
    width: int
    height: int
    left: Decimal
    top: Decimal
    right: Decimal
    bottom: Decimal
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    x_label: Label
    y_label: Label
    lines: tuple[Line, ...]
    markers: tuple[MarkerLine, ...]
    legend: tuple[LegendEntry, ...]
    step: bool
    table_columns: tuple[str, ...]  # the x heading, then each series' name
    # What the table is built from; built only when asked for (a chart that links to a table
    # already on the page never draws its own).
    table_source: tuple[object, ...] = field(repr=False, compare=False, default=())

    @cached_property
    def table_rows(self) -> tuple[TableRow, ...]:
        return _table(*self.table_source)  # type: ignore[arg-type]


def plain_number(value: Decimal) -> str:
    """``1,500``, ``2.5``: thousands separators, no trailing zeros."""
    number = value.normalize()
    places = max(0, -number.as_tuple().exponent)
    return f"{number:,.{places}f}"


def dollars(value: Decimal) -> str:
    """An axis label in dollars: ``$50,000``, ``$2.50``."""
    size = abs(value)
    return f"{'-' if value < 0 else ''}${plain_number(size) if size == size.to_integral() else f'{size:,.2f}'}"


def short_date(day: date) -> str:
    """``Feb 1, 2004``, as everywhere on the site."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _text_width(text: str) -> Decimal:
    return CHAR_WIDTH * len(text)


def _px(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP) + 0  # + 0 turns -0.0 into 0.0


def _number(x: X) -> Decimal:
    return _day_number(x) if isinstance(x, date) else Decimal(x)


@lru_cache(maxsize=8192)
def _day_number(day: date) -> Decimal:
    """A date's place on a date axis (its ordinal), kept: a page asks for the same few hundred dates again and again."""
    return Decimal(day.toordinal())


def nice_step(span: Decimal, most: int = 6) -> Decimal:
    """The tick step: the smallest of 1, 2, 2.5 or 5 times a power of ten that covers ``span`` in ``most`` steps.

    >>> [plain_number(nice_step(Decimal(span))) for span in ("260392", "0.3", "100")]
    ['50,000', '0.05', '20']
    """
    raw = span / most
    power = Decimal(1).scaleb(raw.adjusted())
    return next(step * power for step in NICE_STEPS if step * power >= raw).normalize()


def _value_ticks(low: Decimal, high: Decimal, fmt: Callable[[Decimal], str]) -> tuple[Decimal, Decimal, list]:
    step = nice_step(high - low)
    start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    end = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    values = []
    value = start
    while value <= end:
        values.append(value)
        value += step
    return start, end, [(v, fmt(v)) for v in values]


def _date_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Jan 1 of each year (every n-th year when many), or the 1st of months when under three years."""
    if (last - first).days > 3 * 365:
        years = [year for year in range(first.year, last.year + 1) if first <= date(year, 1, 1) <= last]
        stride = -(-len(years) // 8)
        return [(date(year, 1, 1), str(year)) for year in years[::stride]]
    months = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        if date(year, month, 1) >= first:
            months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    stride = next(n for n in (1, 2, 3, 6, 12) if len(months) <= 8 * n)
    return [(day, f"{MONTHS[day.month - 1]} {day.year}") for day in months[::stride]]


def _dot(x: Decimal, y: Decimal, index: int, title: str) -> Dot:
    shape = DOT_SHAPES[index % len(DOT_SHAPES)]
    r = Decimal(4)
    if shape == "square":
        path = f"M{_px(x - r)} {_px(y - r)} h8 v8 h-8 Z"
    elif shape == "diamond":
        path = f"M{_px(x)} {_px(y - r - 1)} l5 5 l-5 5 l-5 -5 Z"
    else:
        path = ""
    return Dot(_px(x), _px(y), shape, path, title)


def _rows(items: list[tuple[Decimal, Decimal]]) -> list[int]:
    """Greedy rows for labels given (start, width): each goes in the first row where it fits."""
    ends: list[Decimal] = []
    placed = []
    for start, width in items:
        row = next((i for i, end in enumerate(ends) if start > end + 8), len(ends))
        if row == len(ends):
            ends.append(start + width)
        else:
            ends[row] = start + width
        placed.append(row)
    return placed


def line_chart(
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    x_kind: str = DATE,
    step: bool = False,
    markers: Sequence[Marker] = (),
    width: int = 720,
    height: int = 360,
    x_format: Callable[[X], str] | None = None,
    y_format: Callable[[Decimal], str] = plain_number,
    value_format: Callable[[Decimal], str] | None = None,
    from_zero: bool = True,
    dots: bool | None = None,
    end_values: bool = True,
) -> Chart:
    """Lay out a line chart (``step=True``: each value holds until the next point, the last to the right edge).

    ``y_format`` writes the axis ticks, ``value_format`` (default ``y_format``) the
    end-of-line labels and the table; ``x_format`` writes x values in the table and
    on the dots (dates as ``Feb 1, 2004`` by default). ``from_zero`` keeps 0 on the
    value axis. ``dots`` marks each point (default: on for line charts, off for step);
    ``end_values`` writes each line's last value by its last point. Series with no
    points are left out.
    """
    if x_kind not in (DATE, NUMBER):
        raise ValueError(f"x_kind must be {DATE!r} or {NUMBER!r}, not {x_kind!r}")
    drawn = [(i, s) for i, s in enumerate(series) if s.points]
    value_format = value_format or y_format
    x_format = x_format or (short_date if x_kind == DATE else plain_number)  # type: ignore[assignment]
    dots = (not step) if dots is None else dots

    xs = [_number(x) for _, s in drawn for x, _ in s.points] + [_number(m.at) for m in markers]
    ys = [v for _, s in drawn for _, v in s.points] + ([Decimal(0)] if from_zero else [])
    x_min, x_max = (min(xs), max(xs)) if xs else (Decimal(0), Decimal(1))
    if x_max == x_min:
        x_max = x_min + 1
    if step:  # room after the last step, so a rise on the last date is not drawn on the right edge
        x_max += (x_max - x_min) * STEP_PADDING
    y_low, y_high = (min(ys), max(ys)) if ys else (Decimal(0), Decimal(1))
    if y_high == y_low:
        y_high = y_low + 1
    y_min, y_max, y_values = _value_ticks(y_low, y_high, y_format)

    # Top to bottom: marker label rows, the plot, tick labels, the x axis label, then the legend rows
    # (below the axis, so no marker label reads as belonging to the legend entry above it).
    left = Decimal(max(60, 16 + max((len(label) for _, label in y_values), default=0) * 7 + 24))
    right = Decimal(width - 16)
    legend_items = []
    cursor = left
    legend_row = 0
    for index, s in drawn:
        item_width = 34 + _text_width(s.name)
        if cursor + item_width > right and cursor > left:
            legend_row, cursor = legend_row + 1, left
        legend_items.append((index, s, legend_row, cursor))
        cursor += item_width + 18
    legend_rows = legend_row + 1 if drawn else 0

    def x_at(x: X) -> Decimal:
        return left + (_number(x) - x_min) * (right - left) / (x_max - x_min)

    placed_markers = []
    for marker in sorted(markers, key=lambda m: _number(m.at)):
        x = x_at(marker.at)
        text_width = _text_width(marker.label)
        anchor = "end" if x + text_width > right else "start"
        start = x - text_width - 4 if anchor == "end" else x + 4
        placed_markers.append((marker, x, anchor, start, text_width))
    marker_rows = _rows([(start, w) for _, _, _, start, w in placed_markers])
    top = Decimal(8 + LINE_HEIGHT * (max(marker_rows, default=-1) + 1) + 10)
    bottom = Decimal(height - 44)

    def y_at(value: Decimal) -> Decimal:
        return bottom - (value - y_min) * (bottom - top) / (y_max - y_min)

    lines = []
    for index, s in drawn:
        points = [(x_at(x), y_at(v)) for x, v in s.points]
        path = f"M{_px(points[0][0])} {_px(points[0][1])}"
        for x, y in points[1:]:
            path += f" H{_px(x)} V{_px(y)}" if step else f" L{_px(x)} {_px(y)}"
        if step and points[-1][0] < right:
            path += f" H{_px(right)}"
        line_dots = tuple(_dot(px, py, index, f"{s.name}: {x_format(x)}, {value_format(v)}")
                          for (px, py), (x, v) in zip(points, s.points, strict=True)) if dots else ()
        lines.append([index, s, path, line_dots, points[-1]])

    # Each line's last value, written just left of its last point and above it; labels that would
    # overlap are pushed down a line.
    placed: list[tuple[Decimal, Decimal, Decimal]] = []  # (start, end, y) of labels already placed
    end_labels: dict[int, Label | None] = {}
    for index, s, _, _, (last_x, last_y) in sorted(lines, key=lambda line: line[4][1]):
        text = value_format(s.points[-1][1])
        end, start = last_x - 6, last_x - 6 - _text_width(text)
        y = max(last_y - 6, top + 12)
        while any(start < other_end and other_start < end and abs(y - other_y) < LINE_HEIGHT
                  for other_start, other_end, other_y in placed):
            y += LINE_HEIGHT
        placed.append((start, end, y))
        end_labels[index] = Label(_px(end), _px(y), text, "end") if end_values else None

    x_ticks_raw = (_date_ticks(date.fromordinal(int(x_min)), date.fromordinal(int(x_max))) if x_kind == DATE
                   else _value_ticks(x_min, x_max, x_format)[2])  # type: ignore[arg-type]
    x_ticks = tuple(Tick(_px(x_at(x)), label) for x, label in x_ticks_raw if x_min <= _number(x) <= x_max)

    legend = []
    for index, s, row, start in legend_items:
        y = Decimal(height + 8 + LINE_HEIGHT * row)
        legend.append(LegendEntry(
            index, s.name, _px(start), _px(start + 26), _px(y), Label(_px(start + 32), _px(y + 4), s.name),
            DOT_SHAPES[index % len(DOT_SHAPES)], _dot(start + 13, y, index, s.name) if dots else None))

    marker_top = 8
    marker_lines = tuple(
        MarkerLine(_px(x), _px(top), _px(bottom),
                   Label(_px(x - 4 if anchor == "end" else x + 4), _px(Decimal(marker_top + LINE_HEIGHT * row + 11)),
                         marker.label, anchor), marker.series)
        for (marker, x, anchor, _, _), row in zip(placed_markers, marker_rows, strict=True)
    )

    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=height + (LINE_HEIGHT * legend_rows + 8 if legend_rows else 0),
        left=_px(left),
        top=_px(top),
        right=_px(right),
        bottom=_px(bottom),
        x_ticks=x_ticks,
        y_ticks=tuple(Tick(_px(y_at(v)), label) for v, label in y_values),
        x_label=Label(_px((left + right) / 2), Decimal(height - 6), x_label, "middle"),
        y_label=Label(Decimal(14), _px((top + bottom) / 2), y_label, "middle"),
        lines=tuple(Line(index, s.name, path, line_dots, end_labels[index])
                    for index, s, path, line_dots, _ in lines),
        markers=marker_lines,
        legend=tuple(legend),
        step=step,
        table_columns=tuple(s.name for _, s in drawn),
        table_source=(drawn, step, x_format, value_format),
    )


def _table(drawn: list[tuple[int, Series]], step: bool, x_format: Callable, value_format: Callable) -> tuple:
    """A row per x value of any series; a step series shows the value it holds there, a line series its points.

    One pass per series over its points (they are in x order), not a scan per row.
    """
    xs = sorted({x for _, s in drawn for x, _ in s.points}, key=_number)
    columns = []
    for _, s in drawn:
        if step:
            cells, i, held = [], 0, ""
            at = [_number(px) for px, _ in s.points]
            for x in xs:
                position = _number(x)
                while i < len(at) and at[i] <= position:
                    held = value_format(s.points[i][1])
                    i += 1
                cells.append(held)
        else:
            at = {px: v for px, v in s.points}  # the last point at an x wins, as the step's does
            cells = [value_format(at[x]) if x in at else "" for x in xs]
        columns.append(cells)
    names = tuple(s.name for _, s in drawn)
    return tuple(TableRow(x_format(x), tuple(column[n] for column in columns), names) for n, x in enumerate(xs))
