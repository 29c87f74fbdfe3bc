from datetime import date, timedelta

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from permanence.templatetags.govuk import status_tag

register = template.Library()

DUE_SOON = timedelta(days=28)


@register.simple_tag
def due(deadline: date | None, as_of: date, *, done: bool = False):
    """A deadline with its state as of the page's date: done, overdue, due soon or due."""
    if deadline is None:
        return mark_safe('<span class="govuk-hint govuk-!-margin-0">Not known</span>')  # noqa: S308
    if done:
        state, colour = "Done", "green"
    elif deadline < as_of:
        state, colour = "Overdue", "red"
    elif deadline - as_of <= DUE_SOON:
        state, colour = "Due soon", "yellow"
    else:
        state, colour = "Due", "blue"
    return format_html("{} {}", date_format(deadline), status_tag(state, colour))


@register.simple_tag
def age(born: date, on: date) -> str:
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if years >= 1:
        return f"aged {years}"
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    return f"aged {months} month{'s' if months != 1 else ''}"
