import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from permanence.forms import govuk_class
from permanence.models import Team
from permanence.roles import Role
from permanence.selectors import users_holding
from permanence.validators import validate_service_date

from .codes import LegalStatus, PlacementType, Plan
from .flags import FLAGS, FLAGS_BY_CODE
from .models import Child
from .reverse_relations import panel_model
from .tables import by_date


def _panels(request):
    return panel_model().objects.order_by("name")


def _social_workers(request):
    return users_holding(Role.SOCIAL_WORKER)


def named(text: str, *, person: str = "") -> Q:
    """Every word of the text is in the person's first or last name (`person`, the path to
    them: "social_worker__" from a child)."""
    by_name = Q()
    for word in text.split():
        by_name &= Q(**{f"{person}first_name__icontains": word}) | Q(
            **{f"{person}last_name__icontains": word}
        )
    return by_name


COHORTS = {
    "looked_after": (
        "Looked after",
        Q(looked_after_since__isnull=False, care_ceased_date__isnull=True),
    ),
    "pre_proceedings": (
        "In pre-proceedings",
        Q(pre_proceedings_start__isnull=False, proceedings_issued__isnull=True),
    ),
    "in_proceedings": (
        "In care proceedings",
        Q(proceedings_issued__isnull=False, final_order_date__isnull=True),
    ),
    "placed_with_parents": ("Placed with parents", Q(placement_type=PlacementType.P1)),
    "adoption": (
        "Adoption",
        Q(primary_plan=Plan.ADOPTION)
        | Q(placement_order_date__isnull=False)
        | Q(placed_for_adoption_date__isnull=False),
    ),
}
STATUSES = {
    "tracked": ("Being tracked", Q(permanence_secured_date__isnull=True)),
    "secured": ("Permanence secured", Q(permanence_secured_date__isnull=False)),
    "all": ("All children", Q()),
}


# Every date a child's record holds, recorded or derived, so any of them can order the list.
SORTABLE_DATES = (
    "date_of_birth",
    "looked_after_since",
    "placement_start",
    "pre_proceedings_start",
    "proceedings_issued",
    "proceedings_deadline",
    "final_order_date",
    "first_review_date",
    "second_review_date",
    "last_review_date",
    "next_review_due",
    "plan_agreed_date",
    "placement_order_date",
    "match_date",
    "placed_for_adoption_date",
    "adoption_application_date",
    "temporary_approval_date",
    "temporary_approval_expires",
    "full_approval_date",
    "last_panel_date",
    "next_panel_due",
    "permanence_secured_date",
    "permanence_planning_meeting_date",
    "matching_meeting_date",
    "sibling_assessment_required_date",
    "sibling_assessment_completed_date",
)

# Somerset's key planning dates (3.1): whether each has happened yet.
HELD = {
    "held": ("Held", False),
    "not_held": ("Not held yet", True),
}
SIBLING_ASSESSMENTS = {
    "needed": (
        "Needed, not completed",
        Q(sibling_assessment_required_date__isnull=False)
        & Q(sibling_assessment_completed_date__isnull=True),
    ),
    "completed": ("Completed", Q(sibling_assessment_completed_date__isnull=False)),
    "none": (
        "None recorded",
        Q(sibling_assessment_required_date__isnull=True)
        & Q(sibling_assessment_completed_date__isnull=True),
    ),
}


# What the tracker shows with no filter chosen: the children being tracked.
DEFAULTS = {"status": "tracked"}


def _sort_choices():
    for name in SORTABLE_DATES:
        label = capfirst(Child._meta.get_field(name).verbose_name)
        yield (name, f"{label}, earliest first")
        yield (f"-{name}", f"{label}, latest first")


SELECTED = mark_safe(" selected")


class PlainSelect(forms.Select):
    """A drop-down drawn in one pass. Django draws each option through a template of its
    own: the tracker's filters offer hundreds (teams, panels, sorts), which took a third of
    the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], SELECTED if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        # In the widget's own order, as Django's template draws them (flatatt sorts them).
        attributes = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in widget["attrs"].items()
                if value is not False and value is not None
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attributes, options)


class TrackerForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                plain = PlainSelect(attrs=field.widget.attrs)
                plain.choices = field.widget.choices
                field.widget = plain

    def clean(self):
        # The picked social worker's number is a hidden field: its error is shown, and
        # linked from the summary, at the box where their name is typed.
        for error in self.errors.pop("social_worker", []):
            self.add_error("social_worker_name", error)
        return super().clean()


class TrackerFilter(django_filters.FilterSet):
    """The tracker's filters. `as_of` sets the date the flags are judged on."""

    q = django_filters.CharFilter(label="Name or case number", method="search")
    as_of = django_filters.DateFilter(
        label="Flags as of",
        method="keep",
        widget=forms.TextInput(attrs={"type": "date"}),
        help_text="Leave empty for today",
        validators=[validate_service_date],
        error_messages={"invalid": "Flags as of must be a real date, for example 2026-11-27"},
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(key, label) for key, (label, _) in STATUSES.items()],
        method="by_status",
        empty_label=None,
    )
    flag = django_filters.ChoiceFilter(
        label="Drift and delay",
        choices=[(flag.code, flag.label) for flag in FLAGS],
        method="by_flag",
        empty_label="Any",
    )
    # North Somerset: "at least every other month" is the aim, 3 months the minimum that
    # raises not_discussed_at_panel. Not a flag: a view of who is drifting towards one.
    interval = django_filters.ChoiceFilter(
        label="Panel's aim",
        choices=[("past_aim", "Past the panel's aim, not yet its minimum")],
        method="by_interval",
        empty_label="Any",
    )
    cohort = django_filters.ChoiceFilter(
        label="Cohort",
        choices=[(key, label) for key, (label, _) in COHORTS.items()],
        method="by_cohort",
        empty_label="Any",
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), empty_label="Any", label="Team"
    )
    # Thousands of social workers at a council's size: a drop-down of them all was most of
    # the page. A name typed, found as you type (static/js/type-ahead.js, from
    # tracker:social-workers), and a hidden number, `social_worker`, for the person picked:
    # the number is what links and saved filters have always carried. Without JavaScript the
    # name finds every social worker whose name holds it.
    social_worker_name = django_filters.CharFilter(
        label="Social worker",
        method="by_social_worker_name",
        help_text="Type part of their name",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-type-ahead": reverse_lazy("tracker:social-workers"),
                "data-type-ahead-picked": "id_social_worker",
            }
        ),
    )
    social_worker = django_filters.ModelChoiceFilter(
        queryset=_social_workers,
        method="by_social_worker",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose a social worker from the list"},
    )
    panel = django_filters.ModelChoiceFilter(queryset=_panels, empty_label="Any", label="Panel")
    legal_status = django_filters.ChoiceFilter(
        choices=LegalStatus.choices, empty_label="Any", label="Legal status"
    )
    placement_type = django_filters.ChoiceFilter(
        choices=PlacementType.choices, empty_label="Any", label="Placement type"
    )
    primary_plan = django_filters.ChoiceFilter(
        choices=Plan.choices, empty_label="Any", label="Plan"
    )
    planning_meeting = django_filters.ChoiceFilter(
        label="Permanence planning meeting",
        field_name="permanence_planning_meeting_date",
        choices=[(key, label) for key, (label, _) in HELD.items()],
        method="by_held",
        empty_label="Any",
    )
    matching_meeting = django_filters.ChoiceFilter(
        label="Matching meeting",
        field_name="matching_meeting_date",
        choices=[(key, label) for key, (label, _) in HELD.items()],
        method="by_held",
        empty_label="Any",
    )
    sibling_assessment = django_filters.ChoiceFilter(
        label="Sibling assessment",
        choices=[(key, label) for key, (label, _) in SIBLING_ASSESSMENTS.items()],
        method="by_sibling_assessment",
        empty_label="Any",
    )
    order = django_filters.ChoiceFilter(
        label="Sort by",
        choices=list(_sort_choices()),
        method="sort_by",
        empty_label="Next panel due",
    )

    class Meta:
        model = Child
        fields = []
        form = TrackerForm

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        for name, value in DEFAULTS.items():
            data.setdefault(name, value)
        picked = data.get("social_worker", "").strip()
        if picked.isdigit() and "social_worker_name" not in data:
            # A link or a saved filter names the person by number alone: show their name.
            worker = _social_workers(None).filter(pk=picked).first()
            data["social_worker_name"] = str(worker) if worker else ""
        super().__init__(data, *args, **kwargs)

    @property
    def form(self):
        form = super().form
        # The filter form is drawn by a short template loop (tracker/filters.html), which
        # costs a fraction of crispy's include chain on the busiest page in the product.
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", govuk_class(field.widget))
        return form

    @property
    def as_of_date(self):
        if self.form.is_valid() and self.form.cleaned_data.get("as_of"):
            return self.form.cleaned_data["as_of"]
        return timezone.localdate()

    def search(self, queryset, name, value):
        """Every word must match a first or last name; or the text matches a case number."""
        return queryset.filter(Q(case_number__icontains=value.strip()) | named(value))

    def by_social_worker(self, queryset, name, value):
        # The name in the box says whom the person asked for; the number, which one of the
        # people of that name they picked. A name changed since the pick is a new question.
        if self.form.cleaned_data.get("social_worker_name") != str(value):
            return queryset
        return queryset.filter(social_worker=value)

    def by_social_worker_name(self, queryset, name, value):
        picked = self.form.cleaned_data.get("social_worker")
        if picked and value == str(picked):
            return queryset
        return queryset.filter(named(value, person="social_worker__"))

    def keep(self, queryset, name, value):
        return queryset

    def by_status(self, queryset, name, value):
        return queryset.filter(STATUSES[value][1])

    def by_cohort(self, queryset, name, value):
        return queryset.filter(COHORTS[value][1])

    def by_held(self, queryset, name, value):
        return queryset.filter(**{f"{name}__isnull": HELD[value][1]})

    def by_sibling_assessment(self, queryset, name, value):
        return queryset.filter(SIBLING_ASSESSMENTS[value][1])

    def sort_by(self, queryset, name, value):
        return by_date(queryset, value.lstrip("-"), descending=value.startswith("-"))

    def by_interval(self, queryset, name, value):
        as_of = self.as_of_date
        return queryset.filter(panel_target_due__lt=as_of).exclude(next_panel_due__lt=as_of)

    def by_flag(self, queryset, name, value):
        return queryset.filter(FLAGS_BY_CODE[value].q(self.as_of_date))

    def filter_queryset(self, queryset):
        """Apply every filter; keep the result before the flag filter for the flag counts."""
        flag = self.form.cleaned_data.get("flag")
        for name, value in self.form.cleaned_data.items():
            if name != "flag":
                queryset = self.filters[name].filter(queryset, value)
        self.before_flag = queryset
        return self.filters["flag"].filter(queryset, flag) if flag else queryset


def filter_query(data, *, leave_out=()) -> str:
    """The query string of the tracker filter's fields that hold a value other than their
    default in `data` (a GET), in the filter form's order: nothing else on the page (its
    sort, page or export)."""
    query = QueryDict(mutable=True)
    for name in TrackerFilter.base_filters:
        value = data.get(name, "").strip()
        if value and value != DEFAULTS.get(name) and name not in leave_out:
            query[name] = value
    return query.urlencode()
