"""A panel's set-up: when it meets, who sits on it, its deadlines and its agenda template.

Meetings, bookings and decisions are made from this template elsewhere; nothing here
belongs to one meeting.
"""

from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format

from permanence.validators import text_limit

from .. import schedule


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so no translation is needed anywhere.
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


# Lead times: (field, what happens by then). Negative is before the panel, positive after.
LEAD_TIMES_BEFORE = (
    ("booking_notice_days", "Booking email to the social worker and team manager"),
    ("submission_due_days", "Reports and documents due"),
    ("agenda_agree_days", "Agenda agreed by the chair"),
    ("agenda_circulate_days", "Agenda and papers circulated"),
)
LEAD_TIMES_AFTER = (
    ("minutes_ratify_days", "Minutes produced and ratified by the chair"),
    ("minutes_distribute_days", "Minutes distributed"),
    ("decision_recorded_days", "Decision recorded on the child's file"),
)
TRACKING_MONTHS = (
    "panel_interval_months",
    "placement_order_match_limit_months",
    "adoption_application_limit_months",
    "placed_with_parents_review_months",
)


def working_days_in_words(days: int) -> str:
    """-5 -> "5 working days before", 1 -> "1 working day after"."""
    if days == 0:
        return "On the day of the panel"
    unit = "working day" if abs(days) == 1 else "working days"
    return f"{abs(days)} {unit} {'before' if days < 0 else 'after'}"


def _before_meeting(field, label):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__lte": 0}),
        name=f"panel_{field}_not_after_meeting",
        violation_error_message=f"{label}: must fall on or before the day of the panel.",
    )


def _after_meeting(field, label):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=f"panel_{field}_not_before_meeting",
        violation_error_message=f"{label}: must fall on or after the day of the panel.",
    )


def _at_least_one_month(field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1}),
        name=f"panel_{field.removeprefix('panel_')}_at_least_one",
        violation_error_message="A number of months must be at least 1.",
    )


class Panel(models.Model):
    name = models.CharField(max_length=150)
    # The import file and the presets name a panel by its slug, so it never changes in the browser.
    slug = models.SlugField(unique=True)
    purpose = models.TextField(
        blank=True, max_length=2000, help_text="What the panel is for, in a few sentences."
    )

    cadence = models.CharField(
        "How often it meets", max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    weekday = models.SmallIntegerField(
        "Day of the week", choices=Weekday.choices, default=Weekday.THURSDAY
    )
    week_of_month = models.SmallIntegerField(
        "Which week of the month",
        choices=WeekOfMonth.choices,
        default=WeekOfMonth.FIRST,
        null=True,
        blank=True,
        help_text="Monthly panels only: for example, the second Wednesday.",
    )
    series_start = models.DateField(
        "First meeting of the series",
        null=True,
        blank=True,
        help_text="Fortnightly panels: any one meeting date, which fixes the weeks it meets in.",
    )
    start_time = models.TimeField(default=time(9, 30))
    end_time = models.TimeField(default=time(12, 30))
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("Online meeting link", blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        "Shared slot length in minutes",
        null=True,
        blank=True,
        help_text=(
            "Only when the whole day is one run of equal slots that any section can use, "
            "such as 20-minute slots. Leave empty when each section has its own time."
        ),
    )
    has_thematic_item = models.BooleanField("Has a thematic item each month", default=False)
    # Stored signed, as the lead times are: -15 is 15 working days before the panel.
    theme_request_days = models.SmallIntegerField(
        "Ask the chair for the month's theme",
        null=True,
        blank=True,
        validators=[MaxValueValidator(0)],
        help_text="Working days before each panel that the chair is emailed for its theme, "
        "if none is given yet. Leave empty never to ask.",
    )
    sends_tracker_with_decisions = models.BooleanField(
        "Sends the updated tracker with each decision",
        default=False,
        help_text="The email telling the social worker and team manager of panel's decision "
        "links to the tracker for the panel's children (Torbay).",
    )
    case_presentation = models.TextField(
        "How cases are presented",
        blank=True,
        max_length=4000,
        help_text="What presenters bring and who attends for each child.",
    )
    booking_email_request = models.TextField(
        "What the booking email asks of the social worker and team manager",
        max_length=500,
        blank=True,
        help_text="Said in every booking email, for example that they are requested to attend, "
        "in person or by conference call.",
    )
    senior_decision_maker = models.CharField(
        "Who decides after panel",
        max_length=150,
        blank=True,
        help_text=(
            "The senior officer who approves what the panel recommends for some requests, "
            "for example Assistant Executive Director."
        ),
    )

    emergency_decision_makers = models.TextField(
        "Who may make an emergency decision outside panel",
        blank=True,
        max_length=1000,
        help_text="One role a line, for example Deputy Director Children and Families. "
        "Leave empty if the panel takes no emergency decisions.",
    )

    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panels_chaired",
    )
    deputy_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panels_deputised",
        help_text="Or the second joint chair.",
    )
    deputy_is_joint_chair = models.BooleanField(
        "The panel has joint chairs",
        default=False,
        help_text="The deputy chair's seat is a second joint chair, who chairs as an equal "
        "(North Somerset).",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PanelMembership", related_name="panels", blank=True
    )

    booking_notice_days = models.SmallIntegerField(default=-7, validators=[MaxValueValidator(0)])
    submission_due_days = models.SmallIntegerField(default=-5, validators=[MaxValueValidator(0)])
    agenda_agree_days = models.SmallIntegerField(default=-5, validators=[MaxValueValidator(0)])
    agenda_circulate_days = models.SmallIntegerField(default=-5, validators=[MaxValueValidator(0)])
    minutes_ratify_days = models.SmallIntegerField(default=5, validators=[MinValueValidator(0)])
    minutes_distribute_days = models.SmallIntegerField(default=5, validators=[MinValueValidator(0)])
    decision_recorded_days = models.SmallIntegerField(default=5, validators=[MinValueValidator(0)])

    panel_interval_months = models.PositiveSmallIntegerField(
        "Discuss every child at least every (months)",
        default=3,
        validators=[MinValueValidator(1)],
    )
    placement_order_match_limit_months = models.PositiveSmallIntegerField(
        "Placement order but no match after (months)",
        default=6,
        validators=[MinValueValidator(1)],
    )
    adoption_application_limit_months = models.PositiveSmallIntegerField(
        "Placed for adoption but no application after (months)",
        default=6,
        validators=[MinValueValidator(1)],
    )
    placed_with_parents_review_months = models.PositiveSmallIntegerField(
        "Review children placed with parents every (months)",
        default=3,
        validators=[MinValueValidator(1)],
    )
    # North Somerset: "at least every other month" is the aim, "every 3 months" the minimum
    # that raises not_discussed_at_panel; the tracker shows children between the two.
    panel_target_interval_months = models.PositiveSmallIntegerField(
        "Aim to discuss every child every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave empty when the panel has only its minimum. Shorter than the minimum.",
    )
    # Somerset 7: "for any child/young person being considered for permanent matching,
    # confirmation will be required that the carers are approved for permanent, long term
    # placements" (agendas/carers.py).
    match_needs_permanence_approval = models.BooleanField(
        "A match needs carers approved for permanence",
        default=False,
        help_text="Panel cannot agree a match until the carers' approval for permanent, "
        "long-term placements is recorded.",
    )

    # Torbay: "a review of the relevance and value of the terms of reference is to be
    # undertaken annually". The administrator's My tasks shows it when it comes due.
    terms_of_reference_reviewed_on = models.DateField(
        "Terms of reference last reviewed", null=True, blank=True
    )
    terms_of_reference_review_months = models.PositiveSmallIntegerField(
        "Review the terms of reference every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="12 for an annual review. Leave empty when the terms of reference set none.",
    )
    # Somerset 3.9: a child is referred to the Complex Cases Panel "immediately following
    # Permanence Panel"; this person receives the referral by email.
    complex_cases_recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Who receives Complex Cases Panel referrals",
        help_text="Leave empty if the panel refers no child to a Complex Cases Panel.",
    )
    # North Somerset 5: after permanence, the life-story book and later-life letter are due
    # this many working days after the adoption order, unless a date is recorded for them.
    life_story_working_days = models.PositiveSmallIntegerField(
        "Life-story book and later-life letter due (working days after the adoption order)",
        default=10,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            text_limit("panel", "purpose", 2000),
            text_limit("panel", "case_presentation", 4000),
            text_limit("panel", "emergency_decision_makers", 1000),
            text_limit("panel", "booking_email_request", 500),
            models.CheckConstraint(
                condition=(
                    # NOT NULL spelt out: a CHECK passes when it comes out unknown.
                    Q(week_of_month__isnull=False, week_of_month__in=WeekOfMonth.values)
                    | (~Q(cadence=Cadence.MONTHLY) & Q(week_of_month__isnull=True))
                ),
                name="panel_monthly_has_week_of_month",
                violation_error_message="A monthly panel needs the week of the month it meets.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__in=Weekday.values),
                name="panel_weekday_monday_to_friday",
                violation_error_message="A panel meets on a weekday, Monday to Friday.",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="panel_ends_after_it_starts",
                violation_error_message="The panel must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__isnull=True) | Q(slot_minutes__gte=1),
                name="panel_slot_minutes_positive",
                violation_error_message="A slot must last at least 1 minute.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(chair__isnull=True)
                    | Q(deputy_chair__isnull=True)
                    | ~Q(chair=F("deputy_chair"))
                ),
                name="panel_chair_is_not_deputy_chair",
                violation_error_message="The chair and the deputy chair must be different people.",
            ),
            *(_before_meeting(field, label) for field, label in LEAD_TIMES_BEFORE),
            models.CheckConstraint(
                condition=Q(theme_request_days__isnull=True) | Q(theme_request_days__lte=0),
                name="panel_theme_request_days_not_after_meeting",
                violation_error_message="The theme is asked for on or before the day of the panel.",
            ),
            *(_after_meeting(field, label) for field, label in LEAD_TIMES_AFTER),
            *(_at_least_one_month(field) for field in TRACKING_MONTHS),
            models.CheckConstraint(
                condition=Q(terms_of_reference_review_months__isnull=True)
                | Q(terms_of_reference_review_months__gte=1),
                name="panel_terms_of_reference_review_months_at_least_one",
                violation_error_message="A number of months must be at least 1.",
            ),
            models.CheckConstraint(
                condition=Q(life_story_working_days__gte=1),
                name="panel_life_story_working_days_at_least_one",
                violation_error_message="The life-story work is due at least 1 working day "
                "after the adoption order.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        target, minimum = self.panel_target_interval_months, self.panel_interval_months
        if target and minimum and target >= minimum:
            errors["panel_target_interval_months"] = (
                f"The aim must be sooner than the minimum of every {minimum} months."
            )
        if self.cadence == Cadence.MONTHLY and self.week_of_month is None:
            errors["week_of_month"] = "Select which week of the month the panel meets."
        if self.cadence != Cadence.MONTHLY:
            # Ignored by weekly and fortnightly panels, so cleared rather than refused.
            self.week_of_month = None
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "The panel must end after it starts."
        if self.cadence == Cadence.FORTNIGHTLY and not self.series_start:
            errors["series_start"] = (
                "Enter the date of one meeting, so the panel knows which weeks it meets in."
            )
        elif self.series_start and self.series_start.weekday() != self.weekday:
            errors["series_start"] = (
                f"{date_format(self.series_start)} is not a {Weekday(self.weekday).label}."
            )
        if not self.has_thematic_item:
            # Only a panel with a theme asks for one, so cleared rather than refused.
            self.theme_request_days = None
        if self.chair_id and self.chair_id == self.deputy_chair_id:
            errors["deputy_chair"] = "The deputy chair must be someone other than the chair."
        if errors:
            raise ValidationError(errors)

    @property
    def cadence_in_words(self) -> str:
        day = Weekday(self.weekday).label
        if self.cadence == Cadence.MONTHLY and self.week_of_month is not None:
            return f"Monthly, on the {WeekOfMonth(self.week_of_month).label.lower()} {day}"
        return f"{Cadence(self.cadence).label}, on {day}s"

    def meeting_dates(self, *, start: date, count: int) -> list[date]:
        """The next `count` dates this panel meets on, from `start` (inclusive)."""
        return schedule.meeting_dates(
            cadence=self.cadence,
            weekday=self.weekday,
            week_of_month=self.week_of_month,
            series_start=self.series_start,
            start=start,
            count=count,
        )

    def meeting_dates_between(self, start: date, end: date) -> list[date]:
        """Every date this panel meets on from `start` to `end`, both included."""
        enough = (end - start).days // 7 + 2
        return [d for d in self.meeting_dates(start=start, count=enough) if d <= end]

    def lead_times(self) -> list[tuple[str, str, int]]:
        """(field, what happens, working days relative to the panel), in the order they fall."""
        rows = [(field, label, getattr(self, field)) for field, label in LEAD_TIMES_BEFORE]
        rows += [(field, label, getattr(self, field)) for field, label in LEAD_TIMES_AFTER]
        return sorted(rows, key=lambda row: row[2])

    @property
    def chair_title(self) -> str:
        return "Joint chairs" if self.deputy_is_joint_chair else "Chair"

    @property
    def deputy_title(self) -> str:
        return "Joint chair" if self.deputy_is_joint_chair else "Deputy chair"

    @property
    def chairs(self) -> list:
        """Who the panel's pages name as its chairs: the chair, and the second joint chair."""
        seats = [self.chair, self.deputy_chair if self.deputy_is_joint_chair else None]
        return [person for person in seats if person is not None]

    @property
    def chairs_in_words(self) -> str:
        """ "Chris Chair" or, for joint chairs, "Chris Chair and Jo Joint"."""
        if self.deputy_is_joint_chair:
            return " and ".join(str(person) for person in self.chairs)
        return str(self.chair) if self.chair else ""

    def is_chaired_by(self, user) -> bool:
        """The chair or the deputy chair: who agrees the agenda and records panel's decisions.
        Ratifying the minutes is narrower: `minutes.permissions.can_ratify`."""
        return user.pk is not None and user.pk in (self.chair_id, self.deputy_chair_id)

    @property
    def emergency_decision_roles(self) -> list[str]:
        return [
            line.strip() for line in self.emergency_decision_makers.splitlines() if line.strip()
        ]

    def timetable(self) -> list[schedule.TimetableRow]:
        """The day laid out: each slot, timed block and break, in time order."""
        return schedule.lay_out_day(
            starts_at=self.start_time,
            ends_at=self.end_time,
            slot_minutes=self.slot_minutes,
            sections=list(self.sections.all()),
            breaks=list(self.breaks.all()),
        )


class Attendance(models.TextChoices):
    CORE = "core", "Core member"
    AS_REQUIRED = "as_required", "As required or by invitation"


class PanelMembership(models.Model):
    """A seat on the panel in the terms of reference's words; the person in it may change."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    role_on_panel = models.CharField(
        max_length=200, help_text="For example, Health representative."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_memberships",
        verbose_name="person",
    )
    attendance = models.CharField(
        max_length=12, choices=Attendance.choices, default=Attendance.CORE
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "role_on_panel"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "role_on_panel"],
                name="panel_membership_role_unique",
                violation_error_message="The panel already has a member with this role.",
            ),
            models.UniqueConstraint(
                fields=["panel", "user"],
                condition=Q(user__isnull=False),
                name="panel_membership_person_unique",
                violation_error_message="This person already sits on the panel.",
            ),
        ]

    def __str__(self):
        return f"{self.role_on_panel}: {self.user or 'vacant'}"


class BookingMode(models.TextChoices):
    SLOT = "slot", "A time slot for each child"
    SECTION = "section", "Children listed under the section, without times"


class AgendaSection(models.Model):
    """One part of the panel's agenda, such as Lancashire's agenda item 3 or Knowsley's part 2."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("Number on the agenda")
    name = models.CharField(max_length=200)
    definition = models.TextField(
        blank=True,
        max_length=2000,
        help_text="What goes in this section, in the terms of reference's words.",
    )
    booking = models.CharField(
        "How children are booked",
        max_length=7,
        choices=BookingMode.choices,
        default=BookingMode.SLOT,
    )
    slot_minutes = models.PositiveSmallIntegerField(
        "Slot length in minutes",
        null=True,
        blank=True,
        help_text="Leave empty when the section uses the panel's shared slots.",
    )
    capacity = models.PositiveSmallIntegerField(
        "Most children",
        null=True,
        blank=True,
        help_text="Leave empty for as many as the time allows. 0 means no children are booked.",
    )
    time_budget_minutes = models.PositiveSmallIntegerField(
        "Time for the section in minutes", null=True, blank=True
    )
    starts_at = models.TimeField(
        "Fixed start time",
        null=True,
        blank=True,
        help_text="Leave empty to follow on from the section before.",
    )
    tracking = models.BooleanField(
        "Tracking section",
        default=False,
        help_text="Children are added in one step from the tracker and reviewed on one page. "
        "Nothing is asked of their social worker unless the chair asks them to attend.",
    )
    agrees_next_agenda = models.BooleanField(
        "The chair agrees the next meeting's agenda in this section",
        default=False,
        help_text="The running order ends here with the next meeting's children; agreeing "
        "it tells their social workers and team managers (Knowsley's Part 4).",
    )

    class Meta:
        ordering = ["panel", "order"]
        constraints = [
            text_limit("agendasection", "definition", 2000),
            models.UniqueConstraint(
                fields=["panel"],
                condition=Q(agrees_next_agenda=True),
                name="agenda_section_one_agrees_next_agenda",
                violation_error_message="Another section already agrees the next agenda.",
            ),
            models.UniqueConstraint(
                fields=["panel", "order"],
                name="agenda_section_order_unique",
                violation_error_message="Another section already has this number on the agenda.",
            ),
            models.UniqueConstraint(
                fields=["panel", "name"],
                name="agenda_section_name_unique",
                violation_error_message="Another section already has this name.",
            ),
            models.CheckConstraint(
                condition=Q(booking=BookingMode.SLOT) | Q(slot_minutes__isnull=True),
                name="agenda_section_slots_only_when_booked_by_slot",
                violation_error_message="Only a section booked by time slot has a slot length.",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__isnull=True) | Q(slot_minutes__gte=1),
                name="agenda_section_slot_minutes_positive",
                violation_error_message="A slot must last at least 1 minute.",
            ),
            models.CheckConstraint(
                condition=Q(time_budget_minutes__isnull=True) | Q(time_budget_minutes__gte=1),
                name="agenda_section_time_budget_positive",
                violation_error_message="A section's time must be at least 1 minute.",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        if not self.panel_id:
            return
        shared = self.panel.slot_minutes
        if self.booking == BookingMode.SLOT and shared and self.slot_minutes:
            raise ValidationError(
                {"slot_minutes": f"This panel's sections share its {shared}-minute slots."}
            )
        if self.booking == BookingMode.SLOT and not shared and not self.slot_minutes:
            raise ValidationError({"slot_minutes": "Enter how long each slot lasts."})
        if self.booking == BookingMode.SECTION and self.slot_minutes:
            raise ValidationError(
                {"slot_minutes": "Only a section booked by time slot has a slot length."}
            )
        slots = (self.slot_minutes or 0) * (self.capacity or 0)
        if self.time_budget_minutes and slots > self.time_budget_minutes:
            raise ValidationError(
                {
                    "capacity": f"{self.capacity} slots of {self.slot_minutes} minutes "
                    f"do not fit in {self.time_budget_minutes} minutes."
                }
            )

    @property
    def minutes(self) -> int | None:
        """How long the section lasts, when that is fixed."""
        if self.time_budget_minutes:
            return self.time_budget_minutes
        if self.slot_minutes and self.capacity is not None:
            return self.slot_minutes * self.capacity
        return None


class Break(models.Model):
    """A pause in the panel's day that no slot may overlap, such as lunch."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="breaks")
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    label = models.CharField(max_length=100, default="Lunch")

    class Meta:
        ordering = ["panel", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="break_ends_after_it_starts",
                violation_error_message="A break must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["panel", "starts_at"],
                name="break_start_unique",
                violation_error_message="Another break starts at this time.",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self):
        if not (self.panel_id and self.starts_at and self.ends_at):
            return
        if self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A break must end after it starts."})
        if self.starts_at < self.panel.start_time or self.ends_at > self.panel.end_time:
            raise ValidationError(
                f"A break must fall within the panel's day, "
                f"{self.panel.start_time:%H:%M} to {self.panel.end_time:%H:%M}."
            )


class RequestPurpose(models.TextChoices):
    """What the product does with a request type beyond booking it."""

    NONE = "", "Nothing more"
    RE_PRESENTATION = "re_presentation", "Re-presentation: panel forward-books children here"
    RETROSPECTIVE = "retrospective", "Retrospective ratification of an emergency decision"
    ADOPTION_MATCH = "adoption_match", "An adoption match: agreeing it records the adoption match"
    LONG_TERM_MATCH = (
        "long_term_match",
        "A long-term fostering or connected-person match: agreeing it records that match, "
        "never the adoption match",
    )
    PERMANENCE = "permanence", "Ratifying a placement as permanent secures permanence"
    TRACKING = (
        "tracking",
        "A tracking review: the child is added from the tracker and nothing is sent",
    )
    NEW_TO_CARE = (
        "new_to_care",
        "New children looked after: booked from the list of children looked after in the "
        "last 12 weeks",
    )


class RequestType(models.Model):
    """What a social worker can bring to panel, in the council's words."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="request_types")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    default_section = models.ForeignKey(
        AgendaSection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request_types",
        verbose_name="Usual agenda section",
    )
    needs_senior_decision = models.BooleanField(
        "Needs a senior decision after panel",
        default=False,
        help_text="The panel recommends; the senior officer named on the panel decides.",
    )
    purpose = models.CharField(
        max_length=16, choices=RequestPurpose.choices, default=RequestPurpose.NONE, blank=True
    )
    # Money under a scheme of delegation (issue 16).
    carries_amounts = models.BooleanField(
        "Carries amounts of money",
        default=False,
        help_text="A support plan, a financial assessment, a celebration event or placement "
        "costs: the request lists amounts, and panel's decision approves, changes or refuses "
        "each.",
    )
    delegation_limit = models.DecimalField(
        "Scheme of delegation: a year above which the senior officer decides",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In pounds a year (weekly amounts count 52 times, one-off amounts once). "
        "Above it, panel's approval waits for the officer named under who decides after "
        "panel. Leave empty when panel decides any amount.",
    )
    needs_submission_form = models.BooleanField(
        "Needs the panel submission form",
        default=True,
        help_text="Untick for a verbal update: with no documents asked for either, nothing "
        "is chased and nothing is late.",
    )
    # Torbay: "oversight of relevant communications and feedback from prospective Special
    # Guardians prior to the final submission of the plan".
    needs_guardians_feedback = models.BooleanField(
        "Needs the prospective special guardians' feedback",
        default=False,
        help_text="Panel cannot agree the request until what the prospective special "
        "guardians said is recorded against it.",
    )

    class Meta:
        ordering = ["panel", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "purpose"],
                condition=Q(purpose__in=["re_presentation", "retrospective", "tracking"]),
                name="request_type_one_per_booking_purpose",
                violation_error_message="Another request type already has this purpose.",
            ),
            models.UniqueConstraint(
                fields=["panel", "name"],
                name="request_type_name_unique",
                violation_error_message="Another request type already has this name.",
            ),
            models.CheckConstraint(
                condition=Q(delegation_limit__isnull=True) | Q(delegation_limit__gte=0),
                name="request_type_delegation_limit_not_negative",
                violation_error_message="A delegation limit cannot be below £0.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.default_section and self.default_section.panel_id != self.panel_id:
            raise ValidationError({"default_section": "Choose a section of this panel."})


class DocumentRequirement(models.Model):
    """A document panel needs: for one request type, or for every request (no request type)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="document_requirements")
    request_type = models.ForeignKey(
        RequestType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_requirements",
        help_text="Leave empty when every request needs it.",
    )
    name = models.CharField(max_length=300)
    required = models.BooleanField(default=True)
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="When it applies or who provides it, for example: from the supervising SSW.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_type", "name"],
                condition=Q(request_type__isnull=False),
                name="document_requirement_unique_per_request_type",
                violation_error_message="This request type already lists a document of that name.",
            ),
            models.UniqueConstraint(
                fields=["panel", "name"],
                condition=Q(request_type__isnull=True),
                name="document_requirement_unique_for_every_request",
                violation_error_message="Every request already needs a document with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.request_type and self.request_type.panel_id != self.panel_id:
            raise ValidationError({"request_type": "Choose a request type of this panel."})


class OutcomeEffect(models.TextChoices):
    """What choosing an outcome does: the panel names the outcome, the effect is fixed."""

    AGREE = "agree", "Agrees or ratifies the request"
    ALTERNATIVE = "alternative", "Sets an alternative course"
    DEFER = "defer", "Defers until further information is provided"
    RE_PRESENT = "re_present", "Re-presents the child to panel"
    REFUSE = "refuse", "Refuses the request"
    RECOMMEND = "recommend", "Recommends, for a senior officer to decide"
    # A tracking review's outcomes (on a tracking section's page, never a request's).
    ON_TRACK = "on_track", "Tracking: on track"
    CONCERNS = "concerns", "Tracking: concerns, with actions set"
    ESCALATE = "escalate", "Tracking: escalated to a request at a later panel"
    NOT_DISCUSSED = "not_discussed", "Tracking: not discussed, so nothing moves"


TRACKING_EFFECTS = (
    OutcomeEffect.ON_TRACK,
    OutcomeEffect.CONCERNS,
    OutcomeEffect.ESCALATE,
    OutcomeEffect.NOT_DISCUSSED,
)


class Outcome(models.Model):
    """A decision panel can reach, in the panel's words (Somerset's five, Lancashire's own…)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="outcomes")
    name = models.CharField(max_length=200)
    effect = models.CharField(max_length=13, choices=OutcomeEffect.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "name"],
                name="outcome_name_unique",
                violation_error_message="Another outcome already has this name.",
            ),
        ]

    def __str__(self):
        return self.name
