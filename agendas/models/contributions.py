"""Members' contributions per child (Lancashire, Knowsley): what each member seat brings to
panel about every child on the agenda, requested when the child is booked."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format

from permanence.validators import text_limit, validate_service_date
from permanence.versions import version_field

from .bookings import Booking
from .panels import Panel, PanelMembership, working_days_in_words


class ContributionKind(models.TextChoices):
    # In the order Lancashire's terms of reference give the members' responsibilities.
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    IRO = "iro", "Independent Reviewing Officer"
    ACCESS_TO_RESOURCES = "access_to_resources", "Access to Resources"
    FOSTERING_RESIDENTIAL = "fostering_residential", "Fostering and residential"


# Each kind as it reads inside a sentence ("Write the health contribution").
IN_A_SENTENCE = {
    ContributionKind.HEALTH: "health",
    ContributionKind.EDUCATION: "education",
    ContributionKind.IRO: "Independent Reviewing Officer",
    ContributionKind.ACCESS_TO_RESOURCES: "Access to Resources",
    ContributionKind.FOSTERING_RESIDENTIAL: "fostering and residential",
}

# The structured fields each kind holds, beside its summary; every other kind leaves them
# empty (a database check, so a contribution never carries another kind's answers).
KIND_FIELDS = {
    ContributionKind.HEALTH: ("last_health_assessment", "health_plan_on_track"),
    ContributionKind.EDUCATION: ("pep_date", "pep_up_to_date"),
    ContributionKind.IRO: ("iro_agrees_with_plan",),
    ContributionKind.ACCESS_TO_RESOURCES: ("weekly_placement_cost",),
    ContributionKind.FOSTERING_RESIDENTIAL: ("placement_meeting_needs",),
}
STRUCTURED_FIELDS = tuple(name for names in KIND_FIELDS.values() for name in names)


class ExpectedContribution(models.Model):
    """A kind of contribution the panel expects for every child it hears, the seat that
    provides it, and when it is due."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="expected_contributions"
    )
    kind = models.CharField(max_length=24, choices=ContributionKind.choices)
    seat = models.ForeignKey(
        PanelMembership,
        on_delete=models.CASCADE,
        related_name="contributions_expected",
        help_text="The member seat that provides it.",
    )
    due_days = models.SmallIntegerField(
        "Due, in working days before the panel",
        default=-6,
        help_text="For example -6: the working day before a -5 agenda goes out.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "kind"],
                name="expected_contribution_kind_unique",
                violation_error_message="The panel already expects this kind of contribution.",
            ),
            models.CheckConstraint(
                condition=Q(due_days__lte=0),
                name="expected_contribution_due_before_panel",
                violation_error_message="A contribution is due on or before the day of panel.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.seat.role_on_panel}"

    @property
    def due_in_words(self) -> str:
        return working_days_in_words(self.due_days)


class Contribution(models.Model):
    """One member's contribution for one booked child: requested when the child is booked
    (`written_at` empty), then written by the seat's member or their representative."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=24, choices=ContributionKind.choices)
    # Copied from the panel's setting when requested, so the record still reads right after
    # the panel's seats change.
    seat = models.ForeignKey(
        PanelMembership, on_delete=models.SET_NULL, null=True, related_name="contributions"
    )
    role_on_panel = models.CharField(max_length=200)
    due_date = models.DateField()
    order = models.PositiveSmallIntegerField(default=0)

    written_at = models.DateTimeField(null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who the seat's member was, when someone else wrote it for them.
    represented_member = models.CharField(max_length=200, blank=True)
    summary = models.TextField(max_length=2000, blank=True)
    # The member and their representative may both open it: neither overwrites the other
    # unseen (permanence.versions).
    version = version_field()

    last_health_assessment = models.DateField(
        "Date of the last Initial or Review Health Assessment",
        null=True,
        blank=True,
        validators=[validate_service_date],
    )
    health_plan_on_track = models.BooleanField(
        "Is the health plan on track?", null=True, blank=True
    )
    pep_date = models.DateField(
        "Date of the last Personal Education Plan (PEP)",
        null=True,
        blank=True,
        validators=[validate_service_date],
    )
    pep_up_to_date = models.BooleanField("Is the PEP up to date?", null=True, blank=True)
    iro_agrees_with_plan = models.BooleanField(
        "Does the IRO agree with the plan?", null=True, blank=True
    )
    weekly_placement_cost = models.DecimalField(
        "Weekly placement cost (£)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    placement_meeting_needs = models.BooleanField(
        "Is the placement meeting the child's needs?", null=True, blank=True
    )

    class Meta:
        ordering = ["booking", "order", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind"],
                name="contribution_one_per_kind",
                violation_error_message="This child already has this kind of contribution.",
            ),
            text_limit("contribution", "summary", 2000),
            models.CheckConstraint(
                condition=Q(written_at__isnull=True) | ~Q(summary=""),
                name="contribution_written_has_summary",
                violation_error_message="Write a short summary.",
            ),
            models.CheckConstraint(
                condition=Q(weekly_placement_cost__isnull=True) | Q(weekly_placement_cost__gte=0),
                name="contribution_cost_not_negative",
                violation_error_message="The weekly placement cost can't be negative.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(kind=kind)
                    | Q(**{f"{name}__isnull": True for name in KIND_FIELDS[kind]}),
                    name=f"contribution_{kind}_fields_only_on_{kind}",
                    violation_error_message="These answers belong to another kind.",
                )
                for kind in ContributionKind
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} contribution for {self.booking}"

    @property
    def in_a_sentence(self) -> str:
        return IN_A_SENTENCE[self.kind]

    @property
    def is_written(self) -> bool:
        return self.written_at is not None

    @property
    def by_representative(self) -> bool:
        return bool(self.represented_member)

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer in words) for this kind's structured fields, in their order."""
        return [
            (self._meta.get_field(name).verbose_name, _in_words(getattr(self, name)))
            for name in KIND_FIELDS[self.kind]
        ]


def _in_words(value) -> str:
    if value is None:
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"£{value:,.2f} a week"
    return date_format(value)
