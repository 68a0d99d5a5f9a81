"""Charts: the pure geometry of offers/charts.py, and the cash chart on the result page.

Cash received to date for $1,000 exchanged Oct 10, 2003 (worked out from the spec):
original terms $30.00 fee at consummation, then 54.39 on Feb 1, 2004 (84.39 to date),
14 coupons of 44.10 and $1,534 principal on Aug 1, 2007: 30 + 671.79 + 1,534 = 2,235.79.
September 2003 amendment: 56.76 on Feb 1, 2004, by Aug 1, 2007 another 14 coupons of
46.02 (May 2004 to Aug 2007): 56.76 + 644.28 = 701.04; by Aug 1, 2009 1,069.20 + 1,534 = 2,603.20.
"""

from __future__ import annotations

import ast
import doctest
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from offers import charts
from offers.charts import Marker, Series, dollars, line_chart, nice_step
from offers.core.outcome import version_outcome
from offers.pictures import cash_to_date
from tests.web.holder import WORKED_EXAMPLE, details, shared_client, text

client = shared_client  # one client for the module (see tests/web/holder.py)
D = Decimal


def numbers(*pairs: tuple[int, str]) -> tuple[tuple[Decimal, Decimal], ...]:
    return tuple((D(x), D(y)) for x, y in pairs)


def simple(step: bool = False, **options) -> charts.Chart:
    options = {"chart_id": "c", "title": "T", "description": "D", "x_label": "X", "y_label": "Y",
               "x_kind": "number"} | options
    return line_chart([Series("A", numbers((0, "0"), (5, "50"), (10, "100")))], step=step, **options)


# The module itself


def test_charts_does_not_import_django_or_call_float_or_round():
    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert not [name for name in imported if name.split(".")[0] in ("django", "offers")]
    calls = [node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert "float" not in calls and "round" not in calls
    assert "line_chart" in [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def test_charts_doctests_pass():
    result = doctest.testmod(charts, report=False)
    assert result.attempted > 0 and result.failed == 0


# Ticks


@pytest.mark.parametrize(
    ("span", "step"),
    # at most 6 steps of 1, 2, 2.5 or 5 times a power of ten
    [("260392", "50000"), ("0.3", "0.05"), ("100", "20"), ("6", "1"), ("7", "2"), ("15", "2.5"), ("1", "0.2")],
)
def test_the_tick_step_is_a_round_number_covering_the_span_in_at_most_six_steps(span, step):
    assert nice_step(D(span)) == D(step)


def test_value_ticks_start_at_zero_and_end_at_a_round_number_above_the_largest_value():
    chart = simple()
    assert [tick.label for tick in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    assert chart.y_ticks[0].position == chart.bottom and chart.y_ticks[-1].position == chart.top


def test_a_date_axis_over_years_ticks_each_new_year():
    chart = line_chart([Series("A", ((date(2003, 10, 10), D(0)), (date(2009, 8, 1), D(1))))], chart_id="c",
                       title="T", description="D", x_label="Year", y_label="Y")
    assert [tick.label for tick in chart.x_ticks] == ["2004", "2005", "2006", "2007", "2008", "2009"]


def test_a_date_axis_over_months_ticks_the_first_of_each_month():
    chart = line_chart([Series("A", ((date(2003, 9, 30), D(0)), (date(2004, 1, 20), D(1))))], chart_id="c",
                       title="T", description="D", x_label="Date", y_label="Y")
    assert [tick.label for tick in chart.x_ticks] == ["Oct 2003", "Nov 2003", "Dec 2003", "Jan 2004"]


def test_dollars_on_an_axis_have_no_cents_unless_needed():
    assert [dollars(D(v)) for v in ("0", "50000", "2.5", "-30")] == ["$0", "$50,000", "$2.50", "-$30"]


# Geometry


def test_a_line_runs_from_the_bottom_left_to_the_top_right_through_the_middle():
    chart = simple()
    middle_x, middle_y = (chart.left + chart.right) / 2, (chart.top + chart.bottom) / 2
    assert chart.lines[0].path == (f"M{chart.left} {chart.bottom} L{middle_x:.1f} {middle_y:.1f} "
                                   f"L{chart.right} {chart.top}")


def test_a_step_line_holds_each_value_until_the_next_point_and_the_last_to_the_right_edge():
    chart = simple(step=True)
    path = chart.lines[0].path.split()
    assert path[0] == f"M{chart.left}" and path[1] == f"{chart.bottom}"
    # horizontal to x=5, up to 50, horizontal to x=10, up to 100, then flat to the edge
    assert [part[0] for part in path[2:]] == ["H", "V", "H", "V", "H"]
    assert path[-1] == f"H{chart.right}"
    assert D(path[-2][1:]) == chart.top  # the last value, 100, is the top of the axis
    assert D(path[-3][1:]) < chart.right  # room is left after the last step


def test_every_coordinate_is_a_decimal_to_a_tenth():
    chart = simple(dots=True)
    values = [chart.left, chart.right, chart.top, chart.bottom, *(t.position for t in chart.y_ticks),
              *(t.position for t in chart.x_ticks), *(d.x for d in chart.lines[0].dots),
              *(d.y for d in chart.lines[0].dots)]
    assert all(isinstance(v, Decimal) and v == v.quantize(D("0.1")) for v in values)


def test_series_differ_by_dash_class_index_and_by_point_shape_not_by_colour_alone():
    two = line_chart([Series("A", numbers((0, "1"), (1, "2"))), Series("B", numbers((0, "2"), (1, "3")))],
                     chart_id="c", title="T", description="D", x_label="X", y_label="Y", x_kind="number")
    assert [line.index for line in two.lines] == [0, 1]
    assert [line.dots[0].shape for line in two.lines] == ["circle", "square"]
    assert [entry.shape for entry in two.legend] == ["circle", "square"]


def test_a_marker_near_the_right_edge_writes_its_label_to_the_left():
    chart = simple(markers=[Marker(D(0), "Start here"), Marker(D(10), "The very end of it all")])
    start, end = chart.markers
    assert (start.label.anchor, end.label.anchor) == ("start", "end")
    assert end.x == chart.right and end.label.x < end.x


def test_overlapping_marker_labels_go_on_separate_rows():
    chart = simple(markers=[Marker(D(4), "A long label here"), Marker(D(5), "Another long label")])
    first, second = chart.markers
    assert first.label.y != second.label.y
    apart = simple(markers=[Marker(D(0), "A"), Marker(D(10), "B")])
    assert apart.markers[0].label.y == apart.markers[1].label.y


def test_end_labels_that_would_overlap_are_pushed_apart():
    close = line_chart([Series("A", numbers((0, "0"), (10, "100"))), Series("B", numbers((0, "0"), (10, "99")))],
                       chart_id="c", title="T", description="D", x_label="X", y_label="Y", x_kind="number")
    a, b = (line.end_label for line in close.lines)
    assert a.text == "100" and b.text == "99"
    assert abs(a.y - b.y) >= charts.LINE_HEIGHT


def test_the_table_gives_a_step_series_its_held_value_and_a_line_series_only_its_points():
    series = [Series("A", numbers((0, "1"), (10, "3"))), Series("B", numbers((5, "2")))]
    options = {"chart_id": "c", "title": "T", "description": "D", "x_label": "X", "y_label": "Y", "x_kind": "number"}
    step = line_chart(series, step=True, **options)
    assert [(row.x, row.values) for row in step.table_rows] == [("0", ("1", "")), ("5", ("1", "2")),
                                                                ("10", ("3", "2"))]
    line = line_chart(series, **options)
    assert [row.values for row in line.table_rows] == [("1", ""), ("", "2"), ("3", "")]


def test_a_series_without_points_is_left_out_and_an_unknown_x_kind_is_refused():
    chart = line_chart([Series("Empty", ()), Series("A", numbers((0, "1"), (1, "2")))], chart_id="c", title="T",
                       description="D", x_label="X", y_label="Y", x_kind="number")
    assert [line.name for line in chart.lines] == ["A"] and chart.table_columns == ("A",)
    with pytest.raises(ValueError, match="x_kind"):
        line_chart([], chart_id="c", title="T", description="D", x_label="X", y_label="Y", x_kind="time")


# Cash received to date


def test_cash_to_date_adds_up_the_core_cash_flows_from_zero_at_consummation(seeded_terms, worked_example_holding):
    original = cash_to_date(version_outcome(seeded_terms["original"], worked_example_holding))
    assert original[:3] == ((date(2003, 10, 10), D(0)), (date(2003, 10, 10), D("30.00")),
                            (date(2004, 2, 1), D("84.39")))
    assert original[-1] == (date(2007, 8, 1), D("2235.79"))
    september = cash_to_date(version_outcome(seeded_terms["september-2003"], worked_example_holding))
    assert september[1] == (date(2004, 2, 1), D("56.76"))
    assert september[-1] == (date(2009, 8, 1), D("2603.20"))


@pytest.mark.django_db
def test_the_result_page_draws_the_cash_chart_as_an_accessible_svg(client):
    soup = details(client, WORKED_EXAMPLE)
    svg = soup.select_one("#cash-chart svg")
    assert svg["role"] == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert svg["aria-labelledby"] == title["id"] and svg["aria-describedby"] == desc["id"]
    assert text(title) == "Cash received to date for $1,000.00 of Old Notes exchanged on Oct 10, 2003"
    assert "$2,235.79 by Aug 1, 2007" in text(desc) and "$2,603.20 by Aug 1, 2009" in text(desc)
    svg_text = [text(t) for t in svg.find_all("text")]
    for label in ("Year", "Cash received to date (US dollars)", "2004", "2009", "$0", "$3,000",
                  "Consummation Oct 10, 2003", "Maturity Aug 1, 2007", "Maturity Aug 1, 2009",
                  "Original terms (before the September 2003 amendment)", "September 2003 amendment"):
        assert label in svg_text, label
    assert len(svg.select("path.chart-line")) == 2
    assert svg.find(style=True) is None


@pytest.mark.django_db
def test_the_cash_chart_links_to_a_table_of_the_same_figures(client):
    soup = details(client, WORKED_EXAMPLE)
    link = soup.select_one("#cash-chart figcaption a")
    table = soup.find(id=link["href"].removeprefix("#"))
    assert table.name == "table" and table.find("caption") is not None
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col", "col"]
    rows = {text(tr.find("th")): [text(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")}
    assert rows["Oct 10, 2003"] == ["$30.00", "$0.00"]
    assert rows["Feb 1, 2004"] == ["$84.39", "$56.76"]
    assert rows["Aug 1, 2007"] == ["$2,235.79", "$701.04"]
    assert rows["Aug 1, 2009"] == ["$2,235.79", "$2,603.20"]


@pytest.mark.django_db
def test_a_version_that_does_not_apply_has_no_line_in_the_chart(client):
    # Oct 1, 2007: the amendment applies; the original terms' New Notes matured Aug 1, 2007, so they do not.
    # (Before the amendment expires, the details are for its figures date, where both apply: rule 11.)
    soup = details(client, {"principal": "1000", "consummation": "2007-10-01"})
    svg = soup.select_one("#cash-chart svg")
    assert len(svg.select("path.chart-line")) == 1
    assert "Original terms (before the September 2003 amendment)" not in [text(t) for t in svg.find_all("text")]


@pytest.mark.django_db
def test_every_id_on_the_result_page_is_unique(client):
    soup = details(client, WORKED_EXAMPLE)
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})



def test_the_legend_is_below_the_axis_so_no_marker_label_sits_under_a_legend_entry(seeded_terms):
    from offers.core.outcome import Holding
    from offers.core.versions import outcome
    from offers.pictures import cash_chart

    chart = cash_chart(outcome(tuple(seeded_terms.values()), Holding(Decimal(1000), date(2003, 10, 10))))
    maturity = next(m for m in chart.markers if m.label.text == "Maturity Aug 1, 2007")
    assert maturity.label.y < chart.top  # above the plot
    assert all(entry.y > chart.bottom + 20 for entry in chart.legend)  # below the axis and its labels
    assert all(entry.y < chart.height for entry in chart.legend)  # and inside the picture
