"""One line of My tasks, and the words and dates the lines share."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.formats import date_format

from agendas.models import AgendaPack, Meeting
from permanence.workdays import Calendar


@dataclass(frozen=True)
class Task:
    """One line of the list: what to do (the link's words), about what, and by when."""

    kind: str
    action: str
    url: str
    about: str
    due: date
    hint: str = ""


# The kinds in the council's words, in the order the summary counts them.
KINDS = {
    "waiting": "Children waiting for a place",
    "chase": "Submissions to chase",
    "submission": "Submissions to send",
    "theme": "Themes to give",
    "agenda": "Agendas to agree",
    "circulate": "Agendas to circulate",
    "pack": "Packs to build",
    "read": "Packs to read",
    "contribution": "Contributions to write",
    "draft": "Minutes to draft",
    "ratify": "Minutes to ratify",
    "distribute": "Minutes to distribute",
    "on_file": "Decisions to record on the child's file",
    "returned": "Approvals returned",
    "approve": "Approvals waiting",
    "emergency": "Emergency decisions to bring back",
    "action": "Actions from panel",
    "referral": "Referrals to check onto the tracker",
    "terms": "Terms of reference to review",
}


def meeting_words(meeting: Meeting) -> str:
    return f"{meeting.panel.name}, {date_format(meeting.date)}"


def child_words(child) -> str:
    return f"{child.full_name}, case number {child.case_number}"


def after(meeting: Meeting, days: int, working_days: Calendar) -> date:
    return working_days.add_working_days(meeting.date, days)


def latest_pack(field: str) -> Subquery:
    return Subquery(
        AgendaPack.objects.filter(meeting=OuterRef("pk")).order_by("-pk").values(field)[:1]
    )


# At most this many lines of one kind: at a regional council there are thousands of decisions
# to record on file, and a page of all of them took seconds to build and no one could act on it.
SHOWN_PER_KIND = 50


class Shown(list):
    """The overdue and soonest lines of a kind, up to SHOWN_PER_KIND, with how many lines of
    each kind there are in all."""

    def __init__(self, tasks=(), *, totals: dict[str, int]):
        super().__init__(tasks)
        self.totals = totals


def soonest(queryset, *, by, kind=None, related=()) -> list:
    """The SHOWN_PER_KIND rows soonest `by` (of each `kind`, when rows are of several), each
    with `total`, the number of rows of its kind. Two queries however many rows there are:
    the ranking reads only the columns it sorts on, and only the rows shown are read whole."""
    partition = [] if kind is None else [kind]
    ranked = (
        queryset.annotate(
            place=Window(RowNumber(), partition_by=partition, order_by=[by, F("pk").asc()]),
            total=Window(Count("pk"), partition_by=partition),
        )
        .filter(place__lte=SHOWN_PER_KIND)
        .values_list("pk", "total")
    )
    totals = dict(ranked)
    rows = list(queryset.filter(pk__in=list(totals)).select_related(*related).order_by(by, "pk"))
    for row in rows:
        row.total = totals[row.pk]
    return rows
