"""A panel's planning questions (Somerset 3.1) and each child's answers to them.

Somerset's panel considers eight questions for every tracked permanence plan. The social
worker answers them in the submission, or the administrator from the child's page; each is
yes, no or not applicable, with a date where the question has one and a note. The answers
belong to the child (the latest answer to each question), so whoever reads the tracking
row, the cover sheet or the child's page sees the same. A "no" is a concern (unless the
question says "no" is a good answer).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from permanence.validators import text_limit, validate_service_date

from .bookings import Booking
from .panels import Panel


class KeyDate(models.TextChoices):
    """The child's key planning dates a "yes" with a date can record on the tracker."""

    PLANNING_MEETING = "permanence_planning_meeting_date", "The permanence planning meeting"
    MATCHING_MEETING = "matching_meeting_date", "The matching meeting"
    SIBLING_ASSESSMENT_NEEDED = (
        "sibling_assessment_required_date",
        "The sibling assessment found to be needed",
    )
    SIBLING_ASSESSMENT_COMPLETED = (
        "sibling_assessment_completed_date",
        "The sibling assessment completed",
    )


class PlanningQuestion(models.Model):
    """One question on a panel's planning checklist, in the panel's own words."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="planning_questions")
    text = models.CharField("question", max_length=300)
    date_label = models.CharField(
        "what its date means",
        max_length=100,
        blank=True,
        help_text="For example: date held. Leave empty when a date makes no sense here.",
    )
    # "Has a permanence planning meeting been held? Yes, on 12 November" is the child's key
    # date too: the answer records it on the tracker, so nobody types it twice.
    records_key_date = models.CharField(
        "a “yes” with a date records",
        max_length=40,
        choices=KeyDate.choices,
        blank=True,
        help_text="The child's key date that a “yes” with a date sets on the tracker.",
    )
    # "Is a sibling assessment required?": a "no" there is an answer, not a worry.
    no_is_concern = models.BooleanField(
        "a “no” is a concern",
        default=True,
        help_text="Untick when “no” is a good answer to this question.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "text"],
                name="planning_question_unique_per_panel",
                violation_error_message="This panel already asks this question.",
            ),
            models.CheckConstraint(
                condition=Q(records_key_date="") | ~Q(date_label=""),
                name="planning_question_key_date_needs_a_date",
                violation_error_message="A question that records a key date asks for a date.",
            ),
        ]

    def __str__(self):
        return self.text


class PlanningAnswerChoice(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class PlanningAnswer(models.Model):
    """A child's latest answer to one planning question, and who gave it."""

    child = models.ForeignKey(
        "tracker.Child", on_delete=models.CASCADE, related_name="planning_answers"
    )
    question = models.ForeignKey(PlanningQuestion, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(max_length=14, choices=PlanningAnswerChoice.choices)
    on_date = models.DateField("date", null=True, blank=True, validators=[validate_service_date])
    note = models.TextField(blank=True, max_length=1000)
    # The booking whose submission it was answered in; empty when answered from the tracker.
    booking = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planning_answers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "question"], name="planning_answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=PlanningAnswerChoice.values),
                name="planning_answer_is_yes_no_or_not_applicable",
            ),
            text_limit("planninganswer", "note", 1000),
        ]

    def __str__(self):
        return f"{self.question}: {self.get_answer_display()}"

    @property
    def is_concern(self) -> bool:
        """Panel reads a "no" as a concern about the plan, where the question says so."""
        return self.answer == PlanningAnswerChoice.NO and self.question.no_is_concern
