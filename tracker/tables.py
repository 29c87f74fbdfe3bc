import django_tables2 as tables
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from permanence.tables import DayColumn
from permanence.templatetags.govuk import status_tag

from .flags import raised


def by_date(queryset: QuerySet, name: str, *, descending: bool) -> QuerySet:
    """Children by one of their dates, unknown dates last whichever way the list runs.

    The table's date columns and the filters' "Sort by" both order this way, on PostgreSQL
    and SQLite alike (which put unknown dates at opposite ends by default).
    """
    field = F(name)
    nulls_last = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    return queryset.order_by(nulls_last, "last_name", "first_name", "pk")


class TrackerDayColumn(DayColumn):
    def __init__(self, field: str, **kwargs):
        super().__init__(accessor=field, **kwargs)

    def order(self, queryset, is_descending):
        return by_date(queryset, str(self.accessor), descending=is_descending), True


class TrackerTable(tables.Table):
    child = tables.Column(
        verbose_name="Child",
        accessor="last_name",
        order_by=("last_name", "first_name"),
        attrs={"th": {"class": "govuk-!-width-one-quarter"}},
    )
    team = tables.Column(verbose_name="Team", accessor="team__name")
    social_worker = tables.Column(verbose_name="Social worker")
    legal_status = tables.Column(verbose_name="Legal status")
    placement_type = tables.Column(verbose_name="Placement")
    primary_plan = tables.Column(verbose_name="Plan")
    looked_after_since = TrackerDayColumn("looked_after_since", verbose_name="Looked after since")
    next_review_due = TrackerDayColumn("next_review_due", verbose_name="Next review due")
    proceedings_deadline = TrackerDayColumn("proceedings_deadline", verbose_name="26 weeks end")
    next_panel_due = TrackerDayColumn("next_panel_due", verbose_name="Next panel due")
    flags = tables.Column(verbose_name="Drift and delay", empty_values=(), orderable=False)
    # Somerset's key planning dates (3.1).
    permanence_planning_meeting_date = TrackerDayColumn(
        "permanence_planning_meeting_date", verbose_name="Planning meeting"
    )
    matching_meeting_date = TrackerDayColumn(
        "matching_meeting_date", verbose_name="Matching meeting"
    )
    sibling_assessment = tables.Column(
        verbose_name="Sibling assessment",
        empty_values=(),
        orderable=False,
    )

    class Meta:
        per_page = 25
        attrs = {"class": "govuk-table app-table--compact"}
        order_by = "next_panel_due"
        empty_text = "No children match these filters."

    def render_child(self, record):
        child = format_html(
            '<a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
            reverse("tracker:child", args=[record.pk]),
            record.full_name,
            record.case_number,
        )
        if getattr(record, "revocation_recommended", False):
            # Somerset 3.8: until the revocation is recorded as made or withdrawn.
            return format_html("{}<br>{}", child, status_tag("Revocation recommended", "yellow"))
        return child

    # The SSDA903 code, with its meaning on hover: django-tables2 would show the label.
    def render_legal_status(self, record):
        return format_html(
            '<abbr title="{}">{}</abbr>', record.get_legal_status_display(), record.legal_status
        )

    def render_placement_type(self, record):
        return format_html(
            '<abbr title="{}">{}</abbr>',
            record.get_placement_type_display(),
            record.placement_type,
        )

    def render_next_panel_due(self, record, value):
        """The date, and whose rule set it when the chair chose the child's own frequency."""
        day = self.columns["next_panel_due"].column.render(value)
        if not record.panel_review_frequency:
            return day
        return format_html(
            '{}<br><span class="govuk-body-s">Chair: {}</span>', day, record.panel_review_frequency
        )

    def render_sibling_assessment(self, record):
        """Completed on a day, or needed since a day, or a dash like any unknown date."""
        day = self.columns["matching_meeting_date"].column.render
        if record.sibling_assessment_completed_date:
            return format_html("Completed {}", day(record.sibling_assessment_completed_date))
        if record.sibling_assessment_required_date:
            return format_html("Needed since {}", day(record.sibling_assessment_required_date))
        return "—"

    def render_primary_plan(self, record):
        return record.get_primary_plan_display()

    def render_flags(self, record):
        stacked = "app-tag--stacked"
        tags = (status_tag(flag.label, "red", classes=stacked) for flag in raised(record))
        return format_html_join("", "{}", ([tag] for tag in tags))
