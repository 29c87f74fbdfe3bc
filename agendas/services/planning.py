"""Writing a child's answers to their panel's planning questions (Somerset 3.1)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker import services as tracker_services
from tracker.models import Child

from ..models import Booking, Panel, PlanningAnswer, PlanningAnswerChoice, PlanningQuestion

# What an administrator sets on a question; the panel is the page's.
QUESTION_FIELDS = ("text", "date_label", "records_key_date", "no_is_concern", "order")


def _question_save(question: PlanningQuestion, fields: dict) -> PlanningQuestion:
    for name, value in fields.items():
        if name not in QUESTION_FIELDS:
            raise TypeError(f"A planning question has no setting {name!r}")
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def planning_question_create(*, panel: Panel, **fields) -> PlanningQuestion:
    return _question_save(PlanningQuestion(panel=panel), fields)


@transaction.atomic
def planning_question_update(*, question: PlanningQuestion, **fields) -> PlanningQuestion:
    return _question_save(question, fields)


@transaction.atomic
def planning_question_delete(*, question: PlanningQuestion) -> None:
    """The question goes, and every child's answer to it with it."""
    question.delete()


@dataclass(frozen=True)
class Answer:
    """One question's answer as a form gives it: an empty `answer` leaves it unanswered."""

    answer: str = ""
    on_date: date | None = None
    note: str = ""


@transaction.atomic
def planning_answers_save(
    *, child, answers: dict[PlanningQuestion, Answer], by, booking: Booking | None = None
) -> int:
    """Record the answers that changed, as given by `by` (in `booking`'s submission, or from
    the tracker when there is no booking); return how many changed. A "yes" with a date to a
    question that records a key date sets that date on the child.

    A question left unanswered keeps any answer it had: the form shows the current answers,
    so leaving one empty means nobody has answered it yet.
    """
    panel_id = booking.panel_id if booking is not None else child.panel_id
    if booking is not None and booking.child_id != child.pk:
        raise ValidationError("These answers are for another child's booking.")
    errors = {}
    for question, given in answers.items():
        if question.panel_id != panel_id:
            raise ValidationError(f"“{question}” is not one of this panel's planning questions.")
        if not given.answer:
            if given.on_date or given.note.strip():
                errors[question] = "Answer yes, no or not applicable, or clear the date and note"
            continue
        if given.answer not in PlanningAnswerChoice.values:
            errors[question] = "Answer yes, no or not applicable"
        elif given.on_date and not question.date_label:
            errors[question] = "This question takes no date: clear it"
    if errors:
        raise ValidationError(
            {f"question_{question.pk}": message for question, message in errors.items()}
        )

    # One writer at a time for the child: two people answering the same question for the
    # first time would otherwise meet the database's one-answer rule as an error.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    current = {
        answer.question_id: answer
        for answer in PlanningAnswer.objects.filter(
            child=child, question__in=[question.pk for question in answers]
        )
    }
    changed = 0
    now = timezone.now()
    for question, given in answers.items():
        if not given.answer:
            continue
        values = {"answer": given.answer, "on_date": given.on_date, "note": given.note.strip()}
        stored = current.get(question.pk)
        if stored is not None and all(getattr(stored, k) == v for k, v in values.items()):
            continue
        if stored is None:
            stored = PlanningAnswer(child=child, question=question)
        for name, value in {
            **values,
            "booking": booking,
            "answered_by": by,
            "answered_at": now,
        }.items():
            setattr(stored, name, value)
        stored.full_clean(validate_unique=False)
        stored.save()
        changed += 1
    _key_dates_record(child, answers, by)
    return changed


def _key_dates_record(child, answers: dict[PlanningQuestion, Answer], by) -> None:
    """A "yes" with a date to a question that records a key date sets it on the child,
    through the tracker's own write (its checks, history and derived dates)."""
    dates = {
        question.records_key_date: given.on_date
        for question, given in answers.items()
        if question.records_key_date and given.answer == PlanningAnswerChoice.YES and given.on_date
    }
    child.refresh_from_db()
    dates = {name: day for name, day in dates.items() if getattr(child, name) != day}
    if dates:
        tracker_services.child_update(
            child=child,
            changed_by=by,
            change_reason="Answered in the planning questions",
            **dates,
        )
