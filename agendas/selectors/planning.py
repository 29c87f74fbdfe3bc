"""Reading a panel's planning questions with a child's answers: for the child's page, the
answer form, the cover sheet and the chair's tracking rows. Two queries however many
children: the panel's questions, and the children's answers."""

from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Panel, PlanningAnswer, PlanningQuestion


@dataclass(frozen=True)
class PlanningRow:
    question: PlanningQuestion
    answer: PlanningAnswer | None


@dataclass
class Checklist:
    """One child's checklist: every question of the panel, answered or not, in order."""

    rows: list[PlanningRow] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(row.answer is not None for row in self.rows)

    @property
    def unanswered(self) -> int:
        return len(self.rows) - self.answered

    @property
    def concerns(self) -> list[PlanningRow]:
        return [row for row in self.rows if row.answer is not None and row.answer.is_concern]


def planning_questions(panel: Panel | None) -> list[PlanningQuestion]:
    if panel is None:
        return []
    return list(PlanningQuestion.objects.filter(panel=panel))


def planning_checklists(children, panel: Panel | None) -> dict[int, Checklist]:
    """Each child's checklist for the panel's questions, by child pk (empty checklists when
    the panel asks none)."""
    questions = planning_questions(panel)
    pks = [child.pk for child in children]
    answers = defaultdict(dict)
    if questions and pks:
        for answer in PlanningAnswer.objects.filter(
            child__in=pks, question__in=[question.pk for question in questions]
        ).select_related("answered_by"):
            answers[answer.child_id][answer.question_id] = answer
    checklists = {}
    for pk in pks:
        rows = []
        for question in questions:
            answer = answers[pk].get(question.pk)
            if answer is not None:
                answer.question = question  # already read: is_concern needs it
            rows.append(PlanningRow(question, answer))
        checklists[pk] = Checklist(rows)
    return checklists


def planning_checklist(child, panel: Panel | None = None) -> Checklist:
    """The child's checklist for `panel` (by default the panel that tracks them)."""
    panel = panel if panel is not None else child.panel
    return planning_checklists([child], panel)[child.pk]
