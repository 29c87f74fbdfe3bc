from django.conf import settings
from django.db import models

from .codes import LegalStatus, PlacementType, Plan, Sex


class Child(models.Model):
    """A child in care, or in pre-proceedings or care proceedings, tracked until permanence."""

    case_number = models.CharField(max_length=30, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    team = models.ForeignKey(
        "permanence.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    team_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_children",
    )
    # A lazy reference, not an import: the tracker reads its panel's limits,
    # while the agendas app (a higher layer) owns the panel.
    panel = models.ForeignKey(
        "agendas.Panel", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    looked_after_since = models.DateField(null=True, blank=True)
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices, blank=True)
    placement_type = models.CharField(max_length=2, choices=PlacementType.choices, blank=True)
    placement_start = models.DateField(null=True, blank=True)
    pre_proceedings_start = models.DateField(null=True, blank=True)
    proceedings_issued = models.DateField(null=True, blank=True)
    final_order_date = models.DateField(null=True, blank=True)
    first_review_date = models.DateField(null=True, blank=True)
    second_review_date = models.DateField(null=True, blank=True)
    last_review_date = models.DateField(null=True, blank=True)
    primary_plan = models.CharField(max_length=30, choices=Plan.choices, blank=True)
    contingency_plan = models.CharField(max_length=30, choices=Plan.choices, blank=True)
    plan_agreed_date = models.DateField(null=True, blank=True)
    placement_order_date = models.DateField(null=True, blank=True)
    match_date = models.DateField(null=True, blank=True)
    placed_for_adoption_date = models.DateField(null=True, blank=True)
    adoption_application_date = models.DateField(null=True, blank=True)
    temporary_approval_date = models.DateField(null=True, blank=True)
    temporary_approval_extended = models.BooleanField(default=False)
    full_approval_date = models.DateField(null=True, blank=True)
    last_panel_date = models.DateField(null=True, blank=True)
    permanence_secured_date = models.DateField(null=True, blank=True)
    sibling_group = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "case_number"]
        verbose_name_plural = "children"

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.case_number})"

    @property
    def initials(self) -> str:
        """What may appear in an email subject or a log line: never the full name."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()
