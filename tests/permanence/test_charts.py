import xml.etree.ElementTree as ET

import pytest
from django.http import Http404
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.views.generic import TemplateView

from permanence.charts import Chart, ChartsMixin, Series, _scale

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ("Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026")


def trend(*values, name="Children heard"):
    return Chart(
        slug="heard",
        title="Children heard each month",
        kind="line",
        categories=MONTHS,
        series=(Series(name, values),),
        unit="children",
    )


def by_team(**counts):
    return Chart(
        slug="overdue-by-team",
        title="Reviews overdue by team",
        kind="bar",
        categories=tuple(counts),
        series=(Series("Reviews overdue", tuple(counts.values())),),
        category_label="Team",
    )


def parse(chart):
    # Our own markup, not a stranger's: ElementTree is safe here. It needs the namespace a
    # browser assumes for inline SVG.
    svg = str(chart.svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(svg)  # noqa: S314


def test_a_line_chart_says_where_it_started_ended_and_peaked():
    chart = trend(3, 7, 5, 4)
    assert chart.text_alternative == (
        "Line chart of children heard each month, Dec 2025 to Mar 2026. Children heard: "
        "3 children in Dec 2025, 4 children in Mar 2026; highest 7 children in Jan 2026."
    )
    svg = parse(chart)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Children heard each month"
    assert svg.find(f"{SVG}desc").text == chart.text_alternative
    assert len(svg.findall(f"{SVG}polyline")) == 1
    assert len(svg.findall(f"{SVG}circle")) == 4


def test_a_flat_line_is_said_once():
    assert trend(0, 0, None, 0).text_alternative.endswith(
        "Children heard: 0 children in each month from Dec 2025."
    )


def test_a_month_with_no_figure_breaks_the_line_and_is_not_drawn_as_nought():
    chart = trend(3, None, 5, 4)
    svg = parse(chart)
    assert len(svg.findall(f"{SVG}polyline")) == 2
    assert len(svg.findall(f"{SVG}circle")) == 3
    assert "Children heard: 3 children in Dec 2025, 4 children in Mar 2026" in (
        chart.text_alternative
    )
    assert chart.rows[1] == ["Jan 2026", None]


def test_a_bar_chart_names_the_highest_and_lowest_and_the_total():
    chart = by_team(East=4, West=9, North=0)
    assert chart.text_alternative == (
        "Bar chart of reviews overdue by team. highest West (9), lowest North (0); 13 in all."
    )
    bars = parse(chart).findall(f"{SVG}rect")
    widths = {bar.find(f"{SVG}title").text: float(bar.get("width")) for bar in bars}
    assert widths["North, Reviews overdue: 0"] == 0
    assert widths["West, Reviews overdue: 9"] > widths["East, Reviews overdue: 4"] > 0


def test_all_noughts_one_bar_and_no_bars_are_said_plainly():
    assert by_team(East=0, West=0).text_alternative.endswith("all 0.")
    assert by_team(East=1).text_alternative.endswith("team. East (1).")
    assert "no figures yet" in by_team().text_alternative


def test_a_figure_of_one_takes_the_singular_and_the_title_keeps_its_capitals():
    chart = Chart(
        slug="a10",
        title="A10 by month",
        kind="line",
        categories=MONTHS[:2],
        series=(Series("Children adopted", (1, 2)),),
        unit="children",
        unit_one="child",
    )
    assert chart.text_alternative == (
        "Line chart of A10 by month, Dec 2025 to Jan 2026. Children adopted: 1 child in "
        "Dec 2025, 2 children in Jan 2026; highest 2 children in Jan 2026."
    )


def test_names_are_escaped_in_the_picture():
    chart = by_team(**{"<script>": 1})
    assert "<script>" not in str(chart.svg)
    parse(chart)


def test_a_series_must_have_a_value_for_each_category():
    with pytest.raises(ValueError):
        Chart(slug="x", title="X", kind="line", categories=MONTHS, series=(Series("a", (1,)),))


@pytest.mark.parametrize(
    ("figures", "top", "step"),
    [
        ((0,), 4, 1),
        ((1,), 1, 1),  # whole figures never get a line at a fraction
        ((3, 2), 3, 1),
        ((7,), 8, 2),
        ((12,), 15, 5),
        ((49,), 50, 10),
        ((51,), 60, 20),
        ((0.4, 0.1), 0.4, 0.1),
        ((426.5,), 500, 100),
    ],
)
def test_the_scale_steps_by_one_two_or_five_to_just_above_the_largest(figures, top, step):
    assert _scale([*figures, None]) == pytest.approx((top, step))


def test_the_csv_holds_the_table_and_never_a_formula():
    chart = by_team(**{"=HYPERLINK(1)": 2, "East": 3})
    content = chart.csv_response().content.decode("utf-8-sig").splitlines()
    assert content == ["Team,Reviews overdue", "'=HYPERLINK(1),2", "East,3"]


class Page(ChartsMixin, TemplateView):
    template_name = "charts/chart.html"

    def get_charts(self):
        return [by_team(East=1)]


def test_a_page_downloads_one_charts_figures_by_its_slug(rf: RequestFactory):
    response = Page.as_view()(rf.get("/", {"csv": "overdue-by-team"}))
    assert response["Content-Disposition"] == 'attachment; filename="overdue-by-team.csv"'
    with pytest.raises(Http404):
        Page.as_view()(rf.get("/", {"csv": "another"}))


def test_the_chart_tag_shows_the_picture_the_summary_the_table_and_the_download(rf):
    chart = by_team(East=1, West=2)
    html = Template("{% load charts %}{% chart chart %}").render(
        RequestContext(rf.get("/dashboards/", {"as_of": "2026-11-27"}), {"chart": chart})
    )
    assert chart.text_alternative in html
    assert '<th scope="row" class="govuk-table__header">West</th>' in html
    assert 'href="?as_of=2026-11-27&amp;csv=overdue-by-team"' in html
