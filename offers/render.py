"""The result page's big repeated markup (tables and SVG charts) written in Python, not template loops.

The page draws hundreds of cells, coupon workings and chart points; a template loop
looks each variable up and runs each filter per cell, which made template rendering
nearly all of the page's cost. Here every value goes through :func:`escape` (what Django's writes,
so the output is as safe as a template's autoescaping) and the result is marked safe
once. The markup is the templates' markup: the same classes, ids, captions, ``scope``
and ``aria-*`` attributes, and no inline style or script (the content security policy).

The templates call these through the tags in :mod:`offers.templatetags.offers_format`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from offers import formatting
from offers.core.outcome import Coupon, VersionOutcome, coupon_exact, long_date
from offers.templatetags.offers_format import change, show

if TYPE_CHECKING:
    from offers.charts import Chart, Dot
    from offers.pictures import Sensitivity
    from offers.services import Comparison

ASSUMPTION_TITLE = "This figure rests on a stated assumption: see how we calculate"


def escape(value: object) -> str:
    """What django.utils.html.escape writes, without its lazy-string wrapper (called a thousand times a page)."""
    return html.escape(str(value))


def _joined(parts: list[str]) -> SafeString:
    # Safe by construction: every value from outside these functions went through escape()
    # (or is a number, a Decimal coordinate or a fixed word) before it was put in a part.
    return mark_safe("".join(parts))  # noqa: S308


@lru_cache(maxsize=1)
def _how_we_calculate() -> str:
    return reverse("offers-how-we-calculate")


def assumption(section: str | None) -> SafeString:
    """The "assumption" link to a section of the how-we-calculate page (empty when the line rests on none)."""
    if not section:
        return _joined([])
    section = escape(section)
    return _joined([f' <a class="assumption" href="{_how_we_calculate()}#{section}" title="{ASSUMPTION_TITLE}">',
                    f'assumption<span class="visually-hidden">: see how we calculate ({section})</span></a>'])


# The comparison table


def comparison_rows(comparison: Comparison) -> SafeString:
    """The side-by-side table's body: a row per line, a cell per version, then the difference."""
    several = len(comparison.outcome.versions) > 1
    out = []
    for row in comparison.rows:
        line = row.line
        cell_class = "payments" if line.kind == "payments" else "num"
        out.append('<tr class="changed-row">' if row.difference else "<tr>")
        out.append(f'<th scope="row" class="fw-normal">{escape(line.label)}{assumption(line.assumption)}</th>')
        for cell in row.cells:
            if cell.applies:
                out.append(f'<td class="{cell_class}">{escape(show(cell.value, line.kind))}</td>')
            else:
                out.append('<td class="num text-body-secondary">does not apply</td>')
        if several:
            if row.difference:
                out.append(f'<td class="table-warning changed"><strong>changed</strong>: '
                           f"{escape(change(row.difference))}</td>")
            elif comparison.compared:
                out.append('<td class="text-body-secondary">same</td>')
            else:
                out.append('<td class="text-body-secondary">not compared</td>')
        out.append("</tr>\n")
    return _joined(out)


# The coupon table


def coupon_rows(comparison: Comparison) -> SafeString:
    """The coupon table's body: a row per payment date, an amount per version, and the working behind each."""
    out = []
    # What each version repeats on every row, written once.
    about = {}
    for version in comparison.outcome.versions:
        if version.available:
            notes = version.terms.new_notes
            about[version.slug] = (escape(version.name), escape(notes.day_count),
                                   f"{escape(formatting.money(version.new_principal))} at "
                                   f"{escape(formatting.percent(notes.rate_percent))} for that fraction: ")
    for row in comparison.coupon_rows:
        day = escape(long_date(row.paid_on))
        out.append(f'<tr>\n<th scope="row" class="fw-normal text-nowrap">{day}</th>')
        working = []
        for cell in row.cells:
            if cell.coupons:
                amounts = "<br>".join(escape(formatting.money(coupon.amount)) for coupon in cell.coupons)
                out.append(f'<td class="num">{amounts}</td>')
            else:
                out.append('<td class="num"><span class="text-body-secondary">'
                           f'{"no payment" if cell.version.available else "does not apply"}</span></td>')
            if not cell.coupons:
                continue
            name, day_count, principal_at_rate = about[cell.version.slug]
            for coupon in cell.coupons:
                working.append(
                    _period_working(name, day_count, coupon.period_start, coupon.period_end, coupon.days,
                                    coupon.ratio)
                    + f"<dd>{principal_at_rate}{escape(_unrounded(cell.version, coupon))} unrounded</dd>"
                    f"<dd>Rounded half up to the cent: {escape(formatting.money(coupon.amount))}</dd></dl>"
                )
        out.append(f'<td class="working"><details><summary>Show working<span class="visually-hidden"> for {day}'
                   f'</span></summary>{"".join(working)}</details></td>\n</tr>\n')
    return _joined(out)


@lru_cache(maxsize=4096)
def _period_working(name: str, day_count: str, start: date, end: date, days: int, ratio: tuple[int, int]) -> str:
    """The start of a coupon's working, the same for every holding: version, period, days, year fraction.

    ``name`` and ``day_count`` come escaped.
    """
    return (f'<dl class="coupon-working"><dt>{name}</dt>'
            f"<dd>Period {escape(long_date(start))} to {escape(long_date(end))}: {days:,} days ({day_count})</dd>"
            f"<dd>Year fraction {ratio[0]:,}/{ratio[1]:,}</dd>")


def _unrounded(version: VersionOutcome, coupon: Coupon) -> str:
    """``$56.758``, or ``≈ $54.3931 (exactly 54 4717/12000)`` when it needs more than 4 places."""
    return formatting.exactly(coupon_exact(version, coupon))


# The sensitivity table


def sensitivity_rows(sensitivity: Sensitivity) -> SafeString:
    """The consummation-date table's body: a row per date, the figures per version, what jumped."""
    same = sensitivity.same_conversion
    out = []
    for row in sensitivity.rows:
        jumped = row.jumped
        classes = ("changed-row" if jumped else "") + (" entered-row" if row.entered else "")
        out.append(f'<tr class="{classes}">\n<th scope="row" class="fw-normal"><span class="text-nowrap">'
                   f"{escape(long_date(row.consummation))}</span>")
        if row.entered or row.expected:
            out.append(f'<div class="small">{"<strong>(your date)</strong>" if row.entered else ""}'
                       f'{" (expected)" if row.expected else ""}</div>')
        out.append("</th>")
        if same:
            conversion = row.conversion
            out.append(f'<td class="num">{escape(formatting.money(conversion.accrued_interest))}</td>'
                       f'<td class="num">{escape(formatting.money(conversion.new_principal))}</td>')
        for cell in row.cells:
            version = cell.version
            if not version.available:
                out.append('<td class="num"><span class="text-body-secondary">does not apply</span></td>')
                continue
            out.append('<td class="num">')
            if not same:
                out.append(f"{escape(formatting.money(version.accrued_interest))}<br>"
                           f"{escape(formatting.money(version.new_principal))}<br>")
            if cell.first:
                coupon = cell.first.coupon
                out.append(f'{escape(formatting.money(coupon.amount))}<div class="small text-body-secondary">on '
                           f"{escape(long_date(coupon.paid_on))}, {coupon.days:,} days ({escape(cell.first.length)})"
                           "</div>")
            out.append("</td>")
        notes = "".join(f"<div><strong>Changes:</strong> {escape(note)}</div>" for note in row.notes)
        notes = notes or '<span class="text-body-secondary">no change</span>'
        out.append(('<td class="table-warning">' if jumped else "<td>") + notes + "</td>\n</tr>\n")
    return _joined(out)


# Charts


def _dot(dot: Dot, index: int) -> str:
    title = f"<title>{escape(dot.title)}</title>"
    if dot.shape == "circle":
        return f'<circle class="chart-dot chart-series-{index}" cx="{dot.x}" cy="{dot.y}" r="4">{title}</circle>'
    return f'<path class="chart-dot chart-series-{index}" d="{escape(dot.path)}">{title}</path>'


def chart(chart: Chart, table_id: str = "") -> SafeString:
    """Any :class:`offers.charts.Chart` as inline SVG in a figure.

    With ``table_id`` the caption links to that table of the same figures, already on
    the page; without, the chart's own table follows it in a ``<details>``. Colours and
    dash patterns come from site.css (``chart-series-N``).
    """
    e: Callable[[object], str] = escape
    cid, title = e(chart.chart_id), e(chart.title)
    left, right, top, bottom = chart.left, chart.right, chart.top, chart.bottom
    out = [
        f'<figure class="chart" id="{cid}">\n<figcaption class="chart-caption">{title}.\n'
        f'<a href="#{e(table_id) if table_id else f"{cid}-table"}">The same figures as a table</a>.</figcaption>\n'
        f'<div class="chart-scroll" tabindex="0" role="group" '
        f'aria-label="{title} (scrolls sideways on a narrow screen)">\n'
        f'<svg class="chart-svg" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{cid}-svg-title" aria-describedby="{cid}-svg-desc" focusable="false">\n'
        f'<title id="{cid}-svg-title">{title}</title>\n<desc id="{cid}-svg-desc">{e(chart.description)}</desc>\n'
        '<g class="chart-grid">',
    ]
    out += [f'<line x1="{left}" x2="{right}" y1="{t.position}" y2="{t.position}"/>' for t in chart.y_ticks]
    out.append(f'</g>\n<g class="chart-axis">\n<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>\n'
               f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>\n<g transform="translate(0 {bottom})">')
    out += [f'<line x1="{t.position}" x2="{t.position}" y1="0" y2="5"/>'
            f'<text x="{t.position}" y="18" text-anchor="middle">{e(t.label)}</text>' for t in chart.x_ticks]
    out.append(f'</g>\n<g transform="translate({left} 0)">')
    out += [f'<text x="-6" y="{t.position}" dy="0.32em" text-anchor="end">{e(t.label)}</text>' for t in chart.y_ticks]
    x_label, y_label = chart.x_label, chart.y_label
    out.append(f'</g>\n<text class="chart-axis-label" x="{x_label.x}" y="{x_label.y}" text-anchor="middle">'
               f"{e(x_label.text)}</text>\n"
               f'<text class="chart-axis-label" transform="translate({y_label.x} {y_label.y}) rotate(-90)" '
               f'text-anchor="middle">{e(y_label.text)}</text>\n</g>\n<g class="chart-markers">')
    for marker in chart.markers:
        series = "" if marker.series is None else f" chart-series-{marker.series}"
        label = marker.label
        out.append(f'<line class="chart-marker{series}" x1="{marker.x}" x2="{marker.x}" y1="{marker.top}" '
                   f'y2="{marker.bottom}"/><text class="chart-marker-label" x="{label.x}" y="{label.y}" '
                   f'text-anchor="{e(label.anchor)}">{e(label.text)}</text>')
    out.append("</g>\n")
    for line in chart.lines:
        out.append(f'<g class="chart-series">\n'
                   f'<path class="chart-line chart-series-{line.index}" d="{e(line.path)}"/>\n')
        out += [_dot(dot, line.index) for dot in line.dots]
        if line.end_label:
            end = line.end_label
            out.append(f'<text class="chart-end-label" x="{end.x}" y="{end.y}" text-anchor="{e(end.anchor)}">'
                       f"{e(end.text)}</text>")
        out.append("</g>\n")
    out.append('<g class="chart-legend">')
    for entry in chart.legend:
        out.append(f'<line class="chart-line chart-series-{entry.index}" x1="{entry.x1}" x2="{entry.x2}" '
                   f'y1="{entry.y}" y2="{entry.y}"/>')
        if entry.dot:
            out.append(_dot(entry.dot, entry.index))
        out.append(f'<text x="{entry.text.x}" y="{entry.text.y}">{e(entry.text.text)}</text>')
    out.append("</g>\n</svg>\n</div>\n</figure>\n")
    if not table_id:
        out.append(_chart_table(chart, cid, title))
    return _joined(out)


def _chart_table(chart: Chart, cid: str, title: str) -> str:
    heading = "Date" if chart.step else escape(chart.x_label.text)
    columns = "".join(f'<th scope="col" class="text-end">{escape(name)}</th>' for name in chart.table_columns)
    rows = "".join(
        f'<tr><th scope="row" class="fw-normal text-nowrap">{escape(row.x)}</th>'
        + "".join(f'<td class="num">{escape(value)}</td>' for value in row.values) + "</tr>\n"
        for row in chart.table_rows
    )
    return (f'<details class="chart-data mb-4">\n<summary>Show the figures of this chart as a table</summary>\n'
            f'<div class="table-responsive" tabindex="0" role="region" aria-label="Table of the chart: {title}">\n'
            f'<table class="table table-sm w-auto chart-table" id="{cid}-table">\n<caption>{title}</caption>\n'
            f'<thead><tr><th scope="col">{heading}</th>{columns}</tr></thead>\n<tbody>{rows}</tbody>\n</table>\n'
            "</div>\n</details>\n")
