"""What panel decided: attendance, a decision for each booking, actions, the minutes, and
emergency decisions made outside panel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from permanence.validators import text_limit, validate_service_date
from permanence.versions import version_field
from tracker.codes import Plan, ReviewUnit, review_frequency_in_words


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    REPRESENTED = "represented", "Sent a representative"


class MeetingAttendance(models.Model):
    """Who sat in one seat of the panel at one meeting."""

    meeting = models.ForeignKey(
        "agendas.Meeting", on_delete=models.CASCADE, related_name="attendance"
    )
    membership = models.ForeignKey(
        "agendas.PanelMembership", on_delete=models.SET_NULL, null=True, blank=True
    )
    # Copied from the seat, so the minutes still read right after the panel changes.
    role_on_panel = models.CharField(max_length=200)
    name = models.CharField("Member", max_length=200, blank=True)
    # And who that was: after leaving the seat they still read the papers of the children
    # they heard (`agendas.permissions.papers_scope`).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=11, choices=AttendanceStatus.choices)
    representative_name = models.CharField(max_length=200, blank=True)
    representative_role = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "membership__order", "role_on_panel"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role_on_panel"],
                name="attendance_one_row_per_seat",
                violation_error_message="This seat's attendance is already recorded.",
            ),
            models.CheckConstraint(
                condition=~Q(status="represented") | ~Q(representative_name=""),
                name="attendance_representative_named",
                violation_error_message="Give the name of the representative.",
            ),
        ]

    def __str__(self):
        return f"{self.role_on_panel}: {self.get_status_display()}"


class ApprovalStatus(models.TextChoices):
    NOT_NEEDED = "", "Not needed"
    AWAITING = "awaiting", "Awaiting a senior decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Decision(models.Model):
    """What panel decided for one booking, with its rationale: one decision per booking."""

    booking = models.OneToOneField(
        "agendas.Booking", on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.ForeignKey("agendas.Outcome", on_delete=models.PROTECT, related_name="+")
    # A tracking review's note may be empty ("on track"); every other decision gives reasons.
    rationale = models.TextField(max_length=10_000, blank=True)
    tracking_review = models.BooleanField(default=False, editable=False)
    timescales = models.TextField("Timescales for the action plan", blank=True, max_length=5000)
    further_information = models.TextField(
        "Further information needed", blank=True, max_length=5000
    )
    by_date = models.DateField("By when", null=True, blank=True)
    primary_plan = models.CharField(
        "Plan for permanence agreed", max_length=30, choices=Plan.choices, blank=True
    )
    contingency_plan = models.CharField(
        "Contingency plan agreed", max_length=30, choices=Plan.choices, blank=True
    )
    social_worker_attended = models.BooleanField(default=False)
    team_manager_attended = models.BooleanField(default=False)
    subject_to_final_order = models.BooleanField(
        "Ratified subject to the final order",
        default=False,
        help_text="Permanence is secured when the final order is recorded on the child.",
    )
    # When the child comes back to panel, as the chair sets it (tracker: next_panel_due).
    comes_back_every = models.PositiveSmallIntegerField("Comes back every", null=True, blank=True)
    comes_back_unit = models.CharField(max_length=6, choices=ReviewUnit.choices, blank=True)
    comes_back_by = models.DateField("Comes back by", null=True, blank=True)
    forward_booking = models.ForeignKey(
        "agendas.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwarded_from",
        help_text="The booking panel's deferral or re-presentation made.",
    )
    approval_status = models.CharField(
        max_length=8, choices=ApprovalStatus.choices, default=ApprovalStatus.NOT_NEEDED, blank=True
    )
    approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approval_comment = models.TextField(blank=True, max_length=5000)
    approval_decided_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    recorded_on_file_at = models.DateTimeField(null=True, blank=True)
    recorded_on_file_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Amendments after ratification keep every earlier version, with the reason. Recording
    # the decision on the child's file is its own event, not a change to the decision.
    version = version_field()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "version", "recorded_on_file_at", "recorded_on_file_by"]
    )

    class Meta:
        constraints = [
            text_limit("decision", "rationale", 10_000),
            text_limit("decision", "timescales", 5000),
            text_limit("decision", "further_information", 5000),
            text_limit("decision", "approval_comment", 5000),
            models.CheckConstraint(
                condition=~Q(rationale="") | Q(tracking_review=True),
                name="decision_has_a_rationale",
                violation_error_message="Give panel's rationale for the decision.",
            ),
            models.CheckConstraint(
                condition=Q(comes_back_every__isnull=True, comes_back_unit="")
                | Q(comes_back_every__gte=1, comes_back_unit__in=ReviewUnit.values),
                name="decision_comes_back_every_has_a_unit",
                violation_error_message="Say whether the child comes back in weeks or months.",
            ),
            models.CheckConstraint(
                condition=Q(comes_back_every__isnull=True) | Q(comes_back_by__isnull=True),
                name="decision_comes_back_every_or_by",
                violation_error_message="Give how often the child comes back, or a date: not both.",
            ),
            models.CheckConstraint(
                condition=Q(approval_status__in=["", "awaiting"])
                | Q(approval_decided_at__isnull=False),
                name="decision_approval_decided_when",
                violation_error_message="An approval or a refusal needs its time.",
            ),
        ]

    def __str__(self):
        return f"{self.outcome} for {self.booking}"

    @property
    def rationale_label(self) -> str:
        """A tracking review keeps a short note; a decision on a request gives its rationale."""
        return "Note" if self.tracking_review else "Rationale"

    @property
    def comes_back(self) -> str:
        """When the chair said the child comes back to panel, in words, or ""."""
        return review_frequency_in_words(
            self.comes_back_every, self.comes_back_unit, self.comes_back_by
        )

    @property
    def attended_for_child(self) -> str:
        """Who came to panel for the child, as the minutes say it; "" when nobody was
        recorded. Torbay's team managers present each child, so the minutes must say so."""
        attended = [
            who
            for who, came in (
                ("social worker", self.social_worker_attended),
                ("team manager", self.team_manager_attended),
            )
            if came
        ]
        return " and ".join(attended).capitalize()


class PanelAction(models.Model):
    """An action panel agreed for a child: what, who, by when; open until completed."""

    child = models.ForeignKey(
        "tracker.Child", on_delete=models.CASCADE, related_name="panel_actions"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_actions"
    )
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    # An amendment after ratification changes or removes actions with its reason.
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(
                fields=["child", "due_date"],
                condition=models.Q(completed_at__isnull=True),
                name="open_action_child_due",
            )
        ]
        constraints = [
            text_limit("panelaction", "description", 2000),
            text_limit("panelaction", "completion_note", 2000),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | ~Q(completion_note=""),
                name="action_completed_with_a_note",
                violation_error_message="Say what was done.",
            ),
        ]

    def __str__(self):
        return f"{self.description[:60]} (due {self.due_date:%d/%m/%Y})"

    @property
    def is_overdue(self) -> bool:
        """Open past its due date, as the `actions_overdue` flag counts it today."""
        return self.completed_at is None and self.due_date < timezone.localdate()


class Minutes(models.Model):
    """The meeting's minutes: assembled from its decisions, edited, then ratified by the chair."""

    meeting = models.OneToOneField(
        "agendas.Meeting", on_delete=models.PROTECT, related_name="minutes"
    )
    notes = models.TextField("Other business and notes", blank=True, max_length=10_000)
    ratified_at = models.DateTimeField(null=True, blank=True)
    ratified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    distributed_at = models.DateTimeField(null=True, blank=True)
    distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            text_limit("minutes", "notes", 10_000),
            models.CheckConstraint(
                condition=Q(distributed_at__isnull=True) | Q(ratified_at__isnull=False),
                name="minutes_distributed_after_ratification",
                violation_error_message="Minutes are distributed once the chair ratifies them.",
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}"

    @property
    def is_ratified(self) -> bool:
        return self.ratified_at is not None


class EmergencyDecision(models.Model):
    """A decision made outside panel, brought to the next panel for retrospective ratification."""

    panel = models.ForeignKey(
        "agendas.Panel", on_delete=models.PROTECT, related_name="emergency_decisions"
    )
    child = models.ForeignKey(
        "tracker.Child", on_delete=models.PROTECT, related_name="emergency_decisions"
    )
    decided_on = models.DateField("Date of the decision", validators=[validate_service_date])
    decided_by_role = models.CharField("Made by (role)", max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Made by",
    )
    # Copied from the decision-maker, so the record still reads right if they leave.
    decided_by_name = models.CharField("Made by (name)", max_length=200)
    decision = models.TextField("What was decided", max_length=5000)
    rationale = models.TextField(max_length=10_000)
    ratification_booking = models.ForeignKey(
        "agendas.Booking", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            text_limit("emergencydecision", "decision", 5000),
            text_limit("emergencydecision", "rationale", 10_000),
            models.CheckConstraint(
                condition=~Q(rationale="") & ~Q(decision=""),
                name="emergency_decision_has_decision_and_rationale",
                violation_error_message="Say what was decided and why.",
            ),
        ]

    def __str__(self):
        return f"Emergency decision for {self.child.initials} on {self.decided_on:%d/%m/%Y}"


# After the decision (Somerset 3.8, 3.9) ---------------------------------------------------


class ComplexCasesReferral(models.Model):
    """Somerset 3.9: a child with a plan for permanence whose complex needs require support
    from other agencies is referred to the Complex Cases Panel "immediately following
    Permanence Panel", so that a joint package of support and funding can be considered.
    The panel's Complex Cases recipient is emailed through the outbox."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="complex_cases_referral"
    )
    child = models.ForeignKey(
        "tracker.Child", on_delete=models.PROTECT, related_name="complex_cases_referrals"
    )
    needs = models.TextField("What support the child needs from other agencies", max_length=2000)
    # Copied from the panel's setting when sent, so the record says who was told.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        constraints = [
            text_limit("complexcasesreferral", "needs", 2000),
            models.CheckConstraint(
                condition=~Q(needs=""),
                name="complex_cases_referral_says_what_is_needed",
                violation_error_message="Say what support the child needs from other agencies.",
            ),
        ]

    def __str__(self):
        return f"Complex Cases Panel referral for {self.child.initials}"


class RevocationOutcome(models.TextChoices):
    MADE = "made", "Care order revoked"
    WITHDRAWN = "withdrawn", "Recommendation withdrawn"


class CareOrderRevocation(models.Model):
    """Somerset 3.8: children placed with parents under a care order "will be monitored
    quarterly and where appropriate, revocation of Care Order recommended". The tracker
    shows the recommendation until the revocation is recorded as made or withdrawn."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="care_order_revocation"
    )
    child = models.ForeignKey(
        "tracker.Child", on_delete=models.PROTECT, related_name="care_order_revocations"
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=9, choices=RevocationOutcome.choices, blank=True)
    outcome_on = models.DateField("Date", null=True, blank=True, validators=[validate_service_date])
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-recommended_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True, outcome_by__isnull=True)
                | (
                    Q(outcome__in=RevocationOutcome.values)
                    & Q(outcome_on__isnull=False, outcome_by__isnull=False)
                ),
                name="care_order_revocation_outcome_has_date_and_who",
                violation_error_message="Record whether the care order was revoked, and when.",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(outcome=""),
                name="care_order_revocation_one_open_per_child",
                violation_error_message="Revoking this child's care order is already "
                "recommended: record that one as made or withdrawn first.",
            ),
        ]

    def __str__(self):
        return f"Care order revocation for {self.child.initials}"

    @property
    def is_open(self) -> bool:
        return not self.outcome
