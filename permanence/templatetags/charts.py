from django import template

from permanence.charts import number

register = template.Library()


@register.inclusion_tag("charts/chart.html")
def chart(chart):
    """A chart with its text alternative, its figures as a table and their CSV download (the
    page's own query string plus `csv=<slug>`, so it keeps the page's as-of date)."""
    return {"chart": chart}


@register.filter
def chart_number(value) -> str:
    return number(value)
