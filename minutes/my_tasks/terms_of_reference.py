"""The administrator's reminder to review each panel's terms of reference (Torbay: "a
review of the relevance and value of the terms of reference is to be undertaken annually")."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils.formats import date_format

from agendas.models import Panel

from .lines import Task

# The review shows this long before it is due, so the administrator can plan it.
NOTICE = relativedelta(months=1)


def review_due(panel: Panel, today: date) -> date:
    """The day the review is due: the review period after the last one, or today for a
    panel whose terms of reference were never reviewed here."""
    if panel.terms_of_reference_reviewed_on is None:
        return today
    return panel.terms_of_reference_reviewed_on + relativedelta(
        months=panel.terms_of_reference_review_months
    )


def reviews(*, today: date) -> list[Task]:
    """A task for each panel whose review is due within the month, or overdue."""
    tasks = []
    for panel in Panel.objects.filter(terms_of_reference_review_months__isnull=False):
        due = review_due(panel, today)
        if due - NOTICE > today:
            continue
        last = panel.terms_of_reference_reviewed_on
        tasks.append(
            Task(
                kind="terms",
                action="Review the terms of reference",
                url=reverse("agendas:panel-change", args=[panel.slug]),
                about=panel.name,
                hint=(f"Last reviewed {date_format(last)}" if last else "No review recorded")
                + f"; reviewed every {panel.terms_of_reference_review_months} months",
                due=due,
            )
        )
    return tasks
