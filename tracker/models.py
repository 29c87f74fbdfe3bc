from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from permanence.validators import text_limit, validate_date_of_birth, validate_service_date
from permanence.versions import version_field

from .codes import (
    LegalStatus,
    PlacementType,
    Plan,
    ReasonEpisodeCeased,
    ReviewUnit,
    Sex,
    review_frequency_in_words,
)

# Pairs of dates that must come in this order when both are known: (earlier, later, message).
DATE_ORDER = (
    (
        "date_of_birth",
        "looked_after_since",
        "The looked-after date cannot be before the date of birth",
    ),
    (
        "date_of_birth",
        "pre_proceedings_start",
        "Pre-proceedings cannot start before the date of birth",
    ),
    (
        "looked_after_since",
        "first_review_date",
        "The first review cannot be before the child became looked after",
    ),
    ("first_review_date", "second_review_date", "The second review must be after the first review"),
    (
        "second_review_date",
        "last_review_date",
        "The latest review cannot be before the second review",
    ),
    (
        "proceedings_issued",
        "final_order_date",
        "The final order cannot be before proceedings were issued",
    ),
    ("placement_order_date", "match_date", "The match cannot be before the placement order"),
    (
        "match_date",
        "placed_for_adoption_date",
        "The child cannot be placed for adoption before the match",
    ),
    (
        "placed_for_adoption_date",
        "adoption_application_date",
        "The adoption application cannot be before the child was placed for adoption",
    ),
    (
        "temporary_approval_date",
        "full_approval_date",
        "Full approval cannot be before temporary approval",
    ),
    (
        "sibling_assessment_required_date",
        "sibling_assessment_completed_date",
        "The sibling assessment cannot be completed before it was found to be needed",
    ),
)

# A later date that makes no sense without the earlier one: (needs, field, message).
DATE_NEEDS = (
    (
        "looked_after_since",
        "first_review_date",
        "A review needs the date the child became looked after",
    ),
    ("first_review_date", "second_review_date", "Record the first review before the second"),
    ("second_review_date", "last_review_date", "Record the second review before a later one"),
    (
        "proceedings_issued",
        "final_order_date",
        "A final order needs the date proceedings were issued",
    ),
)


# The dates tracker.rules derives and the service stores on every write.
DERIVED_DATE_FIELDS = (
    "tracking_start",
    "next_review_due",
    "second_review_due",
    "proceedings_deadline",
    "next_panel_due",
    "placement_order_match_due",
    "adoption_application_due",
    "placed_with_parents_review_due",
    "temporary_approval_expires",
    "panel_target_due",
    "first_panel_after",
    "disposal_date",
    "life_story_book_due",
    "later_life_letter_due",
)


def _order_constraint(earlier: str, later: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=f"child_{later}_not_before_{earlier}",
    )


def _code_error(kind: str, examples: str) -> dict:
    return {"invalid_choice": f"“%(value)s” is not an SSDA903 {kind} code (for example {examples})"}


class Child(models.Model):
    """A child in care, or in pre-proceedings or care proceedings, tracked until permanence."""

    case_number = models.CharField(max_length=30, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])
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

    looked_after_since = models.DateField(null=True, blank=True, validators=[validate_service_date])
    # The SSDA903 import saw the period of care begin before its return: the child has been
    # looked after since at least this date, perhaps longer.
    looked_after_since_at_least = models.BooleanField(
        "looked after since at least this date", default=False
    )
    # The period of care ended for a reason that is not permanence (SSDA903 REC, for
    # example E4A returned home): the child is no longer looked after; nothing is deleted.
    care_ceased_date = models.DateField(
        "care ceased", null=True, blank=True, validators=[validate_service_date]
    )
    care_ceased_reason = models.CharField(
        "reason care ceased",
        max_length=3,
        choices=ReasonEpisodeCeased.choices,
        blank=True,
        error_messages=_code_error("reason episode ceased", "E13, E4A or E8"),
    )
    legal_status = models.CharField(
        max_length=2,
        choices=LegalStatus.choices,
        blank=True,
        error_messages=_code_error("legal status", "C1, C2, E1 or V2"),
    )
    placement_type = models.CharField(
        max_length=2,
        choices=PlacementType.choices,
        blank=True,
        error_messages=_code_error("placement type", "U4, P1, A5 or K2"),
    )
    placement_start = models.DateField(null=True, blank=True, validators=[validate_service_date])
    pre_proceedings_start = models.DateField(
        null=True, blank=True, validators=[validate_service_date]
    )
    proceedings_issued = models.DateField(null=True, blank=True, validators=[validate_service_date])
    final_order_date = models.DateField(null=True, blank=True, validators=[validate_service_date])
    first_review_date = models.DateField(
        "first looked-after review", null=True, blank=True, validators=[validate_service_date]
    )
    second_review_date = models.DateField(
        "second looked-after review", null=True, blank=True, validators=[validate_service_date]
    )
    last_review_date = models.DateField(
        "latest looked-after review", null=True, blank=True, validators=[validate_service_date]
    )
    primary_plan = models.CharField(max_length=30, choices=Plan.choices, blank=True)
    contingency_plan = models.CharField(max_length=30, choices=Plan.choices, blank=True)
    plan_agreed_date = models.DateField(null=True, blank=True, validators=[validate_service_date])
    placement_order_date = models.DateField(
        null=True, blank=True, validators=[validate_service_date]
    )
    match_date = models.DateField(
        "adoption match", null=True, blank=True, validators=[validate_service_date]
    )
    placed_for_adoption_date = models.DateField(
        null=True, blank=True, validators=[validate_service_date]
    )
    # SSDA903's DATE_PLACED: the decision that the child should be placed for adoption, not
    # the day they moved in (placed_for_adoption_date, which the flags read).
    adoption_decision_date = models.DateField(
        "decision to place for adoption", null=True, blank=True, validators=[validate_service_date]
    )
    adoption_application_date = models.DateField(
        null=True, blank=True, validators=[validate_service_date]
    )
    # A foster-carer adoption (DfE's A10): the day the child moved in with the foster carers
    # who then adopted them, which counts as moving in with the adoptive family. Empty for
    # any other adoption, where placed_for_adoption_date is that day.
    fostered_by_adopters_since = models.DateField(
        "moved in with the foster carers who are adopting them",
        null=True,
        blank=True,
        validators=[validate_service_date],
        help_text="Only when the child's foster carers adopt them",
    )
    temporary_approval_date = models.DateField(
        "connected person temporary approval",
        null=True,
        blank=True,
        validators=[validate_service_date],
    )
    temporary_approval_extended = models.BooleanField(default=False)
    full_approval_date = models.DateField(
        "connected person full approval", null=True, blank=True, validators=[validate_service_date]
    )
    last_panel_date = models.DateField(null=True, blank=True, validators=[validate_service_date])
    permanence_secured_date = models.DateField(
        null=True, blank=True, validators=[validate_service_date]
    )
    sibling_group = models.CharField(
        max_length=30,
        blank=True,
        db_index=True,
        help_text="The same reference on each brother and sister, so panel sees them together",
    )
    # Not the adoption match: match_date alone drives placement_order_no_match.
    long_term_match_date = models.DateField(
        "long-term fostering or connected-person match",
        null=True,
        blank=True,
        validators=[validate_service_date],
    )
    # Set by panel's ratification "subject to the final order"; permanence is secured when
    # the final order is recorded (tracker.services).
    permanence_pending_since = models.DateField(
        "permanence ratified subject to the final order",
        null=True,
        blank=True,
        validators=[validate_service_date],
    )

    # Somerset's key planning dates (3.1): each a tracker column, filter and export column.
    permanence_planning_meeting_date = models.DateField(
        "permanence planning meeting", null=True, blank=True, validators=[validate_service_date]
    )
    matching_meeting_date = models.DateField(
        "matching meeting", null=True, blank=True, validators=[validate_service_date]
    )
    # "Is a sibling assessment required?": the day it was found to be, then the day it was done.
    sibling_assessment_required_date = models.DateField(
        "sibling assessment found to be needed",
        null=True,
        blank=True,
        validators=[validate_service_date],
    )
    sibling_assessment_completed_date = models.DateField(
        "sibling assessment completed", null=True, blank=True, validators=[validate_service_date]
    )
    # North Somerset 5: tracking goes on after permanence until "life story work and letters
    # for later life are completed". Each is due by the date recorded here or, when none is,
    # the panel's working days after the adoption order (tracker.after_permanence).
    life_story_book_due_date = models.DateField(
        "life-story book due",
        null=True,
        blank=True,
        validators=[validate_service_date],
        help_text="Leave empty for the panel's default: working days after the adoption order.",
    )
    life_story_book_done_date = models.DateField(
        "life-story book done", null=True, blank=True, validators=[validate_service_date]
    )
    later_life_letter_due_date = models.DateField(
        "later-life letter due",
        null=True,
        blank=True,
        validators=[validate_service_date],
        help_text="Leave empty for the panel's default: working days after the adoption order.",
    )
    later_life_letter_done_date = models.DateField(
        "later-life letter done", null=True, blank=True, validators=[validate_service_date]
    )

    # The chair's own review frequency for the child, set at their last discussion at panel
    # (a decision or a tracking review, through minutes): it replaces the panel's interval
    # in next_panel_due. Every N weeks or months from that discussion, or by a date.
    panel_review_every = models.PositiveSmallIntegerField(
        "chair's review frequency", null=True, blank=True, editable=False
    )
    panel_review_unit = models.CharField(
        max_length=6, choices=ReviewUnit.choices, blank=True, editable=False
    )
    panel_review_by = models.DateField(
        "back to panel by",
        null=True,
        blank=True,
        editable=False,
        validators=[validate_service_date],
    )
    panel_review_set_on = models.DateField(
        "review frequency set at panel on", null=True, blank=True, editable=False
    )
    panel_review_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="review frequency set by",
    )

    # Derived dates (tracker.rules), stored whenever an input changes so that the
    # drift-and-delay flags are plain comparisons the database can filter and count.
    tracking_start = models.DateField(null=True, editable=False)
    next_review_due = models.DateField(null=True, editable=False, db_index=True)
    second_review_due = models.DateField(null=True, editable=False)
    proceedings_deadline = models.DateField(null=True, editable=False, db_index=True)
    next_panel_due = models.DateField(null=True, editable=False, db_index=True)
    placement_order_match_due = models.DateField(null=True, editable=False)
    adoption_application_due = models.DateField(null=True, editable=False)
    placed_with_parents_review_due = models.DateField(null=True, editable=False)
    temporary_approval_expires = models.DateField(null=True, editable=False)
    # The panel's aim (North Somerset: every other month), when it has one beside its minimum.
    panel_target_due = models.DateField(null=True, editable=False, db_index=True)
    # North Somerset presents a new child "at the next available panel": any meeting after
    # this day (3 working days from tracking_start) is one they should have come to.
    first_panel_after = models.DateField(null=True, editable=False)
    # The life-story book and later-life letter's due dates: as recorded, or the panel's
    # default from the adoption order; empty when neither applies.
    life_story_book_due = models.DateField(null=True, editable=False, db_index=True)
    later_life_letter_due = models.DateField(null=True, editable=False, db_index=True)
    # When the record may be disposed of (tracker.retention); a legal hold stops disposal.
    disposal_date = models.DateField(null=True, editable=False, db_index=True)
    legal_hold_since = models.DateTimeField(null=True, blank=True, editable=False)
    legal_hold_reason = models.TextField(blank=True, max_length=1000, editable=False)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()
    # History keeps what people recorded; derived dates follow from it.
    history = HistoricalRecords(excluded_fields=["updated_at", "version", *DERIVED_DATE_FIELDS])

    class Meta:
        ordering = ["last_name", "first_name", "case_number"]
        verbose_name_plural = "children"
        constraints = [
            *(_order_constraint(earlier, later) for earlier, later, _ in DATE_ORDER),
            models.CheckConstraint(
                condition=Q(temporary_approval_extended=False)
                | Q(temporary_approval_date__isnull=False),
                name="child_extension_needs_temporary_approval",
            ),
            models.CheckConstraint(
                condition=Q(panel_review_every__isnull=True, panel_review_unit="")
                | Q(panel_review_every__gte=1, panel_review_unit__in=ReviewUnit.values),
                name="child_review_frequency_has_a_unit",
            ),
            models.CheckConstraint(
                condition=Q(panel_review_every__isnull=True) | Q(panel_review_by__isnull=True),
                name="child_review_frequency_or_date",
            ),
            text_limit("child", "legal_hold_reason", 1000),
            models.CheckConstraint(
                condition=Q(legal_hold_since__isnull=True, legal_hold_reason="")
                | (Q(legal_hold_since__isnull=False) & ~Q(legal_hold_reason="")),
                name="child_legal_hold_has_a_reason",
                violation_error_message="A legal hold needs its reason.",
            ),
        ]
        indexes = [
            # The tracker as it opens: the children being tracked, by next panel due. Counts
            # them from the index alone and reads any page of them in order (at 50,000
            # children the count 45 to 13 ms, page 100 81 to 29 ms, on a busy machine).
            models.Index(
                fields=["next_panel_due", "last_name", "first_name", "id"],
                condition=Q(permanence_secured_date__isnull=True),
                name="tracked_child_next_panel",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.case_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        """What may appear in an email subject or a log line: never the full name."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    @property
    def panel_review_frequency(self) -> str:
        """The chair's frequency in words ("every 6 weeks", "by 15 January 2027"), or ""."""
        return review_frequency_in_words(
            self.panel_review_every, self.panel_review_unit, self.panel_review_by
        )

    @property
    def on_legal_hold(self) -> bool:
        return self.legal_hold_since is not None

    @property
    def is_looked_after(self) -> bool:
        return self.looked_after_since is not None and self.care_ceased_date is None

    @property
    def is_tracked(self) -> bool:
        return self.permanence_secured_date is None

    @property
    def awaits_final_order(self) -> bool:
        """In care proceedings with no final order: no placement is permanent yet."""
        return bool(self.proceedings_issued and not self.final_order_date)

    def clean(self):
        errors = {}
        for needs, field, message in DATE_NEEDS:
            if getattr(self, field) and not getattr(self, needs):
                errors.setdefault(field, message)
        for earlier, later, message in DATE_ORDER:
            first, then = getattr(self, earlier), getattr(self, later)
            if first and then and then < first:
                errors.setdefault(later, f"{message} ({first:%-d %B %Y})")
        if self.care_ceased_date and not self.care_ceased_reason:
            errors.setdefault("care_ceased_reason", "Give the reason care ceased")
        if self.temporary_approval_extended and not self.temporary_approval_date:
            errors.setdefault(
                "temporary_approval_extended", "An extension needs a temporary approval date"
            )
        if errors:
            raise ValidationError(errors)


# Referrals (intake) -----------------------------------------------------------------------


class ReferralKind(models.TextChoices):
    """What happened, in North Somerset's words (3.2): (i) looked after; (ii) pre-proceedings
    or care proceedings without becoming looked after, split so each sets its own date;
    (iii) any change in the legal process."""

    LOOKED_AFTER = "looked_after", "Became looked after"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings started, not looked after"
    CARE_PROCEEDINGS = "care_proceedings", "Care proceedings issued, not looked after"
    LEGAL_CHANGE = "legal_change", "A change in the legal process"


# The child's date each kind records, on accepting: the day it happened.
REFERRAL_DATE_FIELDS = {
    ReferralKind.LOOKED_AFTER: "looked_after_since",
    ReferralKind.PRE_PROCEEDINGS: "pre_proceedings_start",
    ReferralKind.CARE_PROCEEDINGS: "proceedings_issued",
}


class ReferralStatus(models.TextChoices):
    OPEN = "open", "Waiting for the administrator"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReferralStatus.OPEN)

    def for_the_queue(self):
        """Open referrals first, then the decided; each oldest first, which is oldest
        deadline first: the deadline is a fixed number of working days from sending."""
        return self.select_related("child", "team", "sent_by", "decided_by").order_by(
            models.Case(
                models.When(status=ReferralStatus.OPEN, then=0),
                default=1,
                output_field=models.PositiveSmallIntegerField(),
            ),
            "sent_at",
            "pk",
        )


class Referral(models.Model):
    """The panel administrator told of a child new to care or proceedings, or of a change in
    the legal process (North Somerset 3.2): by a team manager, a social worker or Business
    Intelligence, within 3 working days. The administrator accepts it onto the tracker, or
    declines it with a reason."""

    kind = models.CharField("What happened", max_length=20, choices=ReferralKind.choices)
    happened_on = models.DateField("The date it happened", validators=[validate_service_date])
    # The child as the sender named them: a new child's details, or an existing child's.
    # Accepting matches a child on the tracker by case number.
    case_number = models.CharField(max_length=30)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])
    team = models.ForeignKey(
        "permanence.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_status = models.CharField(
        "New legal status",
        max_length=2,
        choices=LegalStatus.choices,
        blank=True,
        error_messages=_code_error("legal status", "C1, C2, E1 or V2"),
    )
    note = models.TextField(blank=True, max_length=1000)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.TextField(blank=True, max_length=1000)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            text_limit("referral", "note", 1000),
            text_limit("referral", "declined_reason", 1000),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.ACCEPTED) | Q(child__isnull=False),
                name="referral_accepted_onto_a_child",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(declined_reason=""),
                name="referral_declined_with_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.OPEN) | Q(decided_at__isnull=False),
                name="referral_decided_when",
            ),
        ]
        indexes = [
            models.Index(
                fields=["sent_at"], condition=Q(status="open"), name="referral_open_by_sent"
            ),
        ]

    def __str__(self):
        return f"Referral {self.pk}: {self.initials} ({self.case_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        """What may appear in an email subject or a log line: never the full name."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    @property
    def sent_on(self) -> date:
        return timezone.localdate(self.sent_at)

    @property
    def is_open(self) -> bool:
        return self.status == ReferralStatus.OPEN


# Saved tracker filters --------------------------------------------------------------------


class SavedFilter(models.Model):
    """A tracker filter an administrator named, so anyone can apply it again in one click and
    a tracking list can be built from it. `query` is the tracker's own query string, of the
    filter's fields only: it never holds a name or case number search, because saved filters
    are listed to everyone who reads the tracker and their links land in browser histories
    and server logs. Who sees which children is not part of it: each user who applies it
    sees only their own children."""

    name = models.CharField(max_length=80)
    query = models.TextField(max_length=1000, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="saved_filters"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            text_limit("savedfilter", "query", 1000),
            models.UniqueConstraint(
                Lower("name"),
                name="saved_filter_name_unique",
                violation_error_message="There is already a saved filter with this name",
            ),
        ]

    def __str__(self):
        return self.name


# Carers, and their approval (issue 16; Somerset 7) -------------------------------------------


class CarerKind(models.TextChoices):
    FOSTER_CARER = "foster_carer", "Foster carer"
    SPECIAL_GUARDIAN = "special_guardian", "Prospective special guardian"
    ADOPTER = "adopter", "Adopter"


class Carer(models.Model):
    """A household that cares, or may care, for a child, with its approval as the approving
    panel recorded it. Somerset: "for any child/young person being considered for permanent
    matching, confirmation will be required that the carers are approved for permanent, long
    term placements" (`approved_for_permanence`)."""

    name = models.CharField(
        max_length=200, help_text="As on the carers' file, for example Sam and Alex Taylor"
    )
    kind = models.CharField("Carer type", max_length=16, choices=CarerKind.choices)
    reference = models.CharField("Carers' file reference", max_length=50, blank=True)
    approved_for = models.TextField(
        "What they are approved for",
        blank=True,
        max_length=500,
        help_text="As the approval says, for example two children aged 0 to 10",
    )
    approved_for_permanence = models.BooleanField(
        "Approved for permanent, long-term placements", default=False
    )
    approving_panel = models.CharField(
        "Approving panel", max_length=200, blank=True, help_text="For example, Fostering Panel"
    )
    approved_on = models.DateField(
        "Date of approval", null=True, blank=True, validators=[validate_service_date]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The carer's file keeps every earlier approval.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            text_limit("carer", "approved_for", 500),
            # An approval is whole: what for, by which panel and when, or nothing at all.
            models.CheckConstraint(
                condition=Q(
                    approved_for="",
                    approving_panel="",
                    approved_on__isnull=True,
                    approved_for_permanence=False,
                )
                | (~Q(approved_for="") & ~Q(approving_panel="") & Q(approved_on__isnull=False)),
                name="carer_approval_whole",
                violation_error_message=(
                    "Give what the carers are approved for, the approving panel and the date "
                    "of approval together"
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None


class CarerRole(models.TextChoices):
    CURRENT = "current", "Current carer"
    PROPOSED = "proposed", "Proposed carer"


class ChildCarer(models.Model):
    """A child's current or proposed carer."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carer_links")
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="child_links")
    role = models.CharField(max_length=8, choices=CarerRole.choices)
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["role", "carer__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "carer"],
                name="child_carer_once",
                violation_error_message="These carers are already linked to the child",
            )
        ]

    def __str__(self):
        return f"{self.carer} ({self.get_role_display().lower()})"
