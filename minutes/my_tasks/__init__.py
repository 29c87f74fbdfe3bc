"""My tasks: every piece of panel work a person must do, with its working-day due date and a
link to the page where it is done. A person with several roles or seats sees the union.

Each read (in `people` and `administrators`) is one query however much there is, so the
page costs the same for an administrator with three tasks or three hundred.
"""

from dataclasses import dataclass
from datetime import date

from permanence.roles import Role
from permanence.workdays import Calendar

from . import administrators, contributions, people, terms_of_reference
from .lines import KINDS, Task


@dataclass(frozen=True)
class Tasks:
    lines: list[Task]

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
            if (n := sum(task.kind == kind for task in self.lines))
        ]


def tasks_of(user, *, today: date, working_days: Calendar) -> Tasks:
    """Everything the person must do, overdue first, then by due date."""
    administrator = user.has_any_role(Role.ADMINISTRATOR)
    senior = user.has_any_role(Role.SENIOR_MANAGER)
    lines = people.submissions_and_actions(user, today=today, working_days=working_days)
    lines += people.chairing(user, today=today, working_days=working_days)
    lines += people.packs_to_read(user, today=today)
    lines += contributions.contributions(user, today=today)
    if administrator:
        lines += administrators.waiting(today=today, working_days=working_days)
        lines += administrators.submissions_to_chase(today=today, working_days=working_days)
        lines += administrators.upcoming_meetings(today=today, working_days=working_days)
        lines += administrators.minutes(today=today, working_days=working_days)
        lines += administrators.decisions_to_file(working_days=working_days)
        lines += administrators.referrals(working_days=working_days)
        lines += terms_of_reference.reviews(today=today)
    if senior:
        lines += people.approvals_waiting(user, working_days=working_days)
    if administrator or senior:
        lines += people.emergency_decisions(user, everyone=administrator, working_days=working_days)
    kinds = list(KINDS)
    lines.sort(key=lambda task: (task.due, kinds.index(task.kind), task.about))
    return Tasks(lines=lines)
