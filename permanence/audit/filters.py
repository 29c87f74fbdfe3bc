from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from ..forms import govuk_class
from ..models import AuditAction, AuditEntry, User
from ..validators import validate_service_date


def _people(request):
    # Leavers too: what they saw stays on the record after they are deactivated.
    return User.objects.all()


def _date(label: str, help_text: str, method: str):
    return django_filters.DateFilter(
        label=label,
        method=method,
        widget=forms.TextInput(attrs={"type": "date"}),
        help_text=help_text,
        validators=[validate_service_date],
        error_messages={"invalid": f"{label} must be a real date, for example 2026-11-27"},
    )


class AuditSearchForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "To must be the same as or after From")
        return data


class AuditFilter(django_filters.FilterSet):
    # A name typed, where a list of every account would be thousands of options (most of the
    # page's time at a region's size). A link to one person's entries (`?user=<id>`) still
    # works, carried in the form as a hidden field.
    who = django_filters.CharFilter(
        label="Who",
        method="by_name",
        max_length=100,
        help_text="Part of a name or email address",
    )
    user = django_filters.ModelChoiceFilter(queryset=_people, widget=forms.HiddenInput)
    case_number = django_filters.CharFilter(
        label="Child's case number", method="by_case_number", max_length=30
    )
    action = django_filters.ChoiceFilter(
        choices=AuditAction.choices, empty_label="Anything", label="What"
    )
    since = _date("From", "The first day, for example 2026-11-01", "from_day")
    until = _date("To", "The last day, included", "to_day")

    class Meta:
        model = AuditEntry
        fields = []
        form = AuditSearchForm

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            field.widget.attrs.setdefault("class", govuk_class(field.widget))
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_hint")
        return form

    def by_name(self, queryset, name, value):
        """Entries by anyone whose name or email holds every word typed."""
        people = User.objects.all()
        for word in value.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset.filter(user__in=people)

    def by_case_number(self, queryset, name, value):
        return queryset.filter(case_number=value.strip())

    # The days as times, from the start of the first day to the start of the day after the
    # last, in the council's time: a range the index on `at` answers, where comparing each
    # entry's date would read every entry.
    def from_day(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + timedelta(days=1)))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
