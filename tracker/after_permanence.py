"""After permanence (North Somerset 5): a child whose permanence is secured stays in view
until their life-story book and later-life letter are done, with the flag
`life_story_overdue` once either is past its due date.

The flag is not one of FLAGS. Those measure drift towards permanence: each is `TRACKED &
condition` (a child with permanence secured raises none of them), the dashboard counts them
among tracked children and the tracker filters by them. This one is raised only on children
whose permanence IS secured, the exact complement, so it is evaluated here, on this module's
own list, and never changes what the tracker, its filters or the dashboard count.
"""

from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.formats import date_format

from .flags import Flag
from .models import Child

SECURED = Q(permanence_secured_date__isnull=False)
BOOK_OUTSTANDING = Q(life_story_book_due__isnull=False, life_story_book_done_date__isnull=True)
LETTER_OUTSTANDING = Q(
    later_life_letter_due__isnull=False, later_life_letter_done_date__isnull=True
)


def _overdue(as_of: date) -> Q:
    return (BOOK_OUTSTANDING & Q(life_story_book_due__lt=as_of)) | (
        LETTER_OUTSTANDING & Q(later_life_letter_due__lt=as_of)
    )


LIFE_STORY_OVERDUE = Flag("life_story_overdue", "Life story or later-life letter overdue", _overdue)


def life_story_overdue(as_of: date) -> Q:
    """Permanence secured, and the book or the letter not done by its due date."""
    return SECURED & _overdue(as_of)


def after_permanence(children: QuerySet[Child], as_of: date) -> QuerySet[Child]:
    """Of these children, those whose permanence is secured and whose life-story book or
    later-life letter is still to do, each annotated `flag_life_story_overdue`, the overdue
    first, then by the earlier due date."""
    return (
        children.filter(SECURED & (BOOK_OUTSTANDING | LETTER_OUTSTANDING))
        .annotate(
            flag_life_story_overdue=ExpressionWrapper(
                life_story_overdue(as_of), output_field=BooleanField()
            )
        )
        .order_by("-flag_life_story_overdue", "life_story_book_due", "case_number")
    )


def outstanding(child: Child) -> list[tuple[str, date]]:
    """What is still to do for the child, with its due date."""
    items = []
    if child.life_story_book_due and not child.life_story_book_done_date:
        items.append(("Life-story book", child.life_story_book_due))
    if child.later_life_letter_due and not child.later_life_letter_done_date:
        items.append(("Later-life letter", child.later_life_letter_due))
    return items


def explain(child: Child, as_of: date) -> str:
    """Why the flag is raised, in the panel's words."""
    late = [
        f"the {what.lower()} was due on {date_format(due)}"
        for what, due in outstanding(child)
        if due < as_of
    ]
    return (
        f"Permanence secured on {date_format(child.permanence_secured_date)}; {' and '.join(late)}."
    )


def is_overdue(child: Child, as_of: date) -> bool:
    """The flag for one child already read, as `life_story_overdue` decides it in SQL."""
    return bool(child.permanence_secured_date) and any(due < as_of for _, due in outstanding(child))
