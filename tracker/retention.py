"""How long a child's record is kept: its disposal date, and the legal hold that stops it.

Nothing is ever deleted by the service: the administrators' report lists records past their
date, and the council's records manager disposes of them (and of the case file in the
council's case management system) by its own procedure.
"""

from datetime import date

from dateutil.relativedelta import relativedelta

from .codes import LegalStatus

# The Care Planning, Placement and Case Review (England) Regulations 2010, reg 50: a looked-
# after child's case record is kept until their 75th birthday.
CASE_RECORD_YEARS = 75
# The Adoption Agencies Regulations 2005, reg 42 (and the Adoption and Children Act 2002):
# an adoption case record is kept for 100 years from the adoption order.
ADOPTION_RECORD_YEARS = 100


def adoption_order_date(child) -> date | None:
    """The tracker records the adoption order as the final order of a child authorised for
    adoption by a placement order (legal status E1): after that order the child leaves care,
    and panel has no later order to record for them."""
    if child.legal_status == LegalStatus.E1 and child.final_order_date:
        return child.final_order_date
    return None


def case_record_until(child) -> date | None:
    if child.looked_after_since and child.date_of_birth:
        return child.date_of_birth + relativedelta(years=CASE_RECORD_YEARS)
    return None


def adoption_record_until(child) -> date | None:
    order = adoption_order_date(child)
    return order + relativedelta(years=ADOPTION_RECORD_YEARS) if order else None


def disposal_date(child) -> date | None:
    """The day the record may be disposed of: the later of the rules that apply, so that
    reading a placement order's final order as an adoption order can only keep a record
    longer, never dispose of it early. None when no rule applies yet (not looked after, or
    the date of birth unknown)."""
    return max(
        (d for d in (case_record_until(child), adoption_record_until(child)) if d), default=None
    )


def disposal_basis(child) -> str:
    """The rule the disposal date comes from, in words, for the child's page."""
    adoption, case_record = adoption_record_until(child), case_record_until(child)
    if adoption and (not case_record or adoption >= case_record):
        return "100 years from the adoption order (Adoption Agencies Regulations 2005, reg 42)"
    if case_record:
        return (
            "The 75th birthday of a looked-after child (CPPCR (England) Regulations 2010, reg 50)"
        )
    if child.looked_after_since:
        return "Not known until the date of birth is recorded"
    return "No date: the retention rules apply once the child is looked after"
