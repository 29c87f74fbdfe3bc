"""The longest text a form accepts still makes a case-note PDF in good time: a decision
whose history holds three versions at the rationale's limit is drawn well inside the web
server's 30 seconds (the probe's 100,000 characters ran past it every time)."""

import time
from datetime import date

import pytest
import time_machine

from minutes import pdfs, services
from minutes.models import Decision
from permanence.forms import longest
from tests.days import JANUARY
from tests.factories import decide

pytestmark = pytest.mark.django_db

AGREE = "Agreement to the plan for permanence"
# Well inside gunicorn's 30 s timeout on a busy two-core machine.
FAST_ENOUGH = 12


def words(limit: int, tag: str) -> str:
    """Text of `limit` characters: a sentence over and over, ending with its tag."""
    sentence = "The carers have shown they can meet Ada's needs for life. "
    return (sentence * (limit // len(sentence) + 1))[: limit - len(tag)] + tag


def unbroken(limit: int, tag: str) -> str:
    """Text with nowhere to break a line, the hardest for the PDF's layout."""
    return "x" * (limit - len(tag)) + tag


@pytest.mark.parametrize("text", [words, unbroken])
def test_the_case_note_of_the_longest_decision_draws_quickly(
    text, book, meetings, ada, chair, administrator
):
    with time_machine.travel(JANUARY, tick=False):
        decision = decide(
            book(meetings[0], ada),
            AGREE,
            chair,
            rationale=text(longest(Decision, "rationale"), " FIRST"),
            timescales=text(longest(Decision, "timescales"), " TIMESCALES"),
            further_information=text(longest(Decision, "further_information"), " MORE"),
        )
        services.minutes_ratify(meeting=meetings[0], chair=chair)
    with time_machine.travel(date(2027, 1, 15), tick=False):
        for version in ("SECOND", "THIRD"):
            services.decision_amend(
                decision=decision,
                reason=text(longest(Decision.history.model, "history_change_reason"), version),
                by=chair,
                rationale=text(longest(Decision, "rationale"), f" {version}"),
            )
    started = time.monotonic()
    pdf = pdfs.decision_record_pdf(Decision.objects.get(pk=decision.pk))
    assert time.monotonic() - started < FAST_ENOUGH
    assert pdf.startswith(b"%PDF-")
