"""My tasks: every piece of panel work a person must do, with its working-day due date and a
link to the page where it is done. A person with several roles or seats sees the union.

Each read (in `people` and `administrators`) is one query however much there is, or two for
a kind that grows with the installation (waiting children, late submissions, minutes,
decisions to record on file, referrals): those show their overdue and soonest lines, up to
`lines.SHOWN_PER_KIND`, with the true count and where the rest are. So the page costs the
same for an administrator with three tasks or thirty thousand.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from permanence.roles import Role
from permanence.workdays import Calendar

from . import administrators, contributions, people, terms_of_reference
from .lines import KINDS, Task

# Where the rest of a kind are, when the page shows only the soonest: (URL name, its words).
REST = {
    "waiting": ("bookings:list", "the bookings list"),
    "chase": ("bookings:list", "the bookings list"),
    "draft": ("agendas:panel-list", "each meeting's page, from the panels"),
    "distribute": ("agendas:panel-list", "each meeting's page, from the panels"),
    "on_file": ("agendas:panel-list", "each meeting's minutes, from the panels"),
    "returned": ("agendas:panel-list", "each meeting's minutes, from the panels"),
    "referral": ("referrals:list", "the referrals"),
}


@dataclass(frozen=True)
class More:
    """A kind with more lines than the page shows, and where the rest are."""

    words: str
    shown: int
    total: int
    url: str
    where: str

    def __str__(self) -> str:
        return f"{self.words}: showing the {self.shown} soonest of {self.total:,}."


@dataclass(frozen=True)
class Tasks:
    lines: list[Task]
    # How many lines of a kind there are in all, for the kinds the page shows only some of.
    totals: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.lines)

    @property
    def has_actions(self) -> bool:
        return any(task.kind == "action" for task in self.lines)

    def counts(self) -> list[tuple[str, int]]:
        """(kind in words, how many) for each kind the person has, in KINDS order."""
        return [
            (words, n)
            for kind, words in KINDS.items()
            if (n := self.totals.get(kind) or sum(task.kind == kind for task in self.lines))
        ]

    def more(self) -> list[More]:
        """The kinds with more lines than the page shows, in KINDS order."""
        shown = Counter(task.kind for task in self.lines)
        return [
            More(
                words=words,
                shown=shown[kind],
                total=self.totals[kind],
                url=reverse(REST[kind][0]),
                where=REST[kind][1],
            )
            for kind, words in KINDS.items()
            if self.totals.get(kind, 0) > shown[kind]
        ]


def tasks_of(user, *, today: date, working_days: Calendar) -> Tasks:
    """Everything the person must do, overdue first, then by due date."""
    administrator = user.has_any_role(Role.ADMINISTRATOR)
    senior = user.has_any_role(Role.SENIOR_MANAGER)
    lines = people.submissions_and_actions(user, today=today, working_days=working_days)
    lines += people.chairing(user, today=today, working_days=working_days)
    lines += people.packs_to_read(user, today=today)
    lines += contributions.contributions(user, today=today)
    totals = {}
    if administrator:
        for shown in (
            administrators.waiting(today=today, working_days=working_days),
            administrators.submissions_to_chase(today=today, working_days=working_days),
            administrators.minutes(today=today, working_days=working_days),
            administrators.decisions_to_file(working_days=working_days),
            administrators.referrals(working_days=working_days),
        ):
            lines += shown
            totals.update(shown.totals)
        lines += administrators.upcoming_meetings(today=today, working_days=working_days)
        lines += terms_of_reference.reviews(today=today)
    if senior:
        lines += people.approvals_waiting(user, working_days=working_days)
    if administrator or senior:
        lines += people.emergency_decisions(user, everyone=administrator, working_days=working_days)
    kinds = list(KINDS)
    lines.sort(key=lambda task: (task.due, kinds.index(task.kind), task.about))
    return Tasks(lines=lines, totals=totals)
