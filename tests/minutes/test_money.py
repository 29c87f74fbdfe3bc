"""Money under a scheme of delegation (issue 16): amounts on requests, the chair's verdict on
each, the senior officer above the limit, the meeting's totals and the finance view."""

import csv
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from agendas.models import AmountVerdict, RequestType
from agendas.models.money import a_year
from minutes import finance, services
from minutes.models import ApprovalStatus
from minutes.pdfs import minutes_pdf
from permanence.roles import Role
from tests.days import BOOKED_ON
from tests.factories import BookingAmountFactory, PanelFactory, decide

SGO = "Special Guardianship Order: friends and family carers"


@pytest.fixture
def knowsley(chair):
    panel = PanelFactory(preset="knowsley", chair=chair)
    # No terms of reference gives a figure: Knowsley enters its own on the panel's page.
    RequestType.objects.filter(panel=panel, name=SGO).update(delegation_limit=Decimal("10000"))
    return panel


@pytest.fixture
def sgo(knowsley, book):
    with time_machine.travel(BOOKED_ON, tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=knowsley, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]  # Tuesday 5 January 2027
    return book(meeting, request=SGO)


@pytest.fixture
def director(make_user):
    return make_user(Role.SENIOR_MANAGER, first_name="Ada", last_name="Director")


def on_the_day(booking):
    return time_machine.travel(booking.meeting.date, tick=False)


def test_amounts_compare_a_year_at_a_time():
    assert a_year(Decimal("250.00"), "weekly") == Decimal("13000.00")
    assert a_year(Decimal("4000.00"), "annual") == Decimal("4000.00")
    assert a_year(Decimal("600.00"), "one_off") == Decimal("600.00")


@pytest.mark.parametrize(
    ("weekly", "waits"),
    [
        # £192.30 a week is £9,999.60 a year; £192.31 is £10,000.12. The limit itself
        # (an annual £10,000) is panel's: the officer decides only "above" it.
        ("192.30", False),
        ("192.31", True),
    ],
)
def test_agreeing_amounts_above_the_limit_waits_for_the_senior_officer(sgo, chair, weekly, waits):
    BookingAmountFactory(booking=sgo, amount=Decimal(weekly), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
    assert (decision.approval_status == ApprovalStatus.AWAITING) is waits


def test_the_limit_itself_is_panels_and_a_penny_more_is_not(sgo, chair):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("10000.00"), period="annual")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
        assert decision.approval_status == ApprovalStatus.NOT_NEEDED
        services.decision_amounts_decide(
            decision=decision,
            verdicts=[
                {"amount": amount, "verdict": "changed", "approved_amount": Decimal("10000.01")}
            ],
            by=chair,
        )
    decision.refresh_from_db()
    assert decision.approval_status == ApprovalStatus.AWAITING


def test_approved_commitments_wait_for_the_officer_then_count(sgo, chair, director, administrator):
    BookingAmountFactory(booking=sgo, amount=Decimal("250.00"), period="weekly")
    BookingAmountFactory(
        booking=sgo, description="Setting-up costs", amount=Decimal("800.00"), period="one_off"
    )
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
    assert decision.approval_status == ApprovalStatus.AWAITING
    assert list(sgo.amounts.values_list("verdict", flat=True)) == ["approved", "approved"]
    assert not finance.approved_commitments(administrator).exists()
    assert not agendas_selectors.approved_totals(sgo.meeting)

    services.decision_approve(decision=decision, by=director, approved=True, comment="Agreed")
    commitments = list(finance.approved_commitments(administrator))
    assert [c.description for c in commitments] == [
        "Special guardianship allowance",
        "Setting-up costs",
    ]
    totals = agendas_selectors.approved_totals(sgo.meeting)
    assert (totals.weekly, totals.one_off, totals.annual) == (
        Decimal("250.00"),
        Decimal("800.00"),
        Decimal("0.00"),
    )
    assert totals.a_year == Decimal("13800.00")


def test_a_declined_recommendation_commits_nothing(sgo, chair, director, administrator):
    BookingAmountFactory(booking=sgo, amount=Decimal("300.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
    services.decision_approve(decision=decision, by=director, approved=False, comment="Too high")
    assert not finance.approved_commitments(administrator).exists()


def test_changing_an_amount_below_the_limit_needs_no_officer(sgo, chair, administrator):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("250.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
        assert decision.approval_status == ApprovalStatus.AWAITING
        services.decision_amounts_decide(
            decision=decision,
            verdicts=[{"amount": amount, "verdict": "changed", "approved_amount": Decimal("150")}],
            by=chair,
        )
    decision.refresh_from_db()
    assert decision.approval_status == ApprovalStatus.NOT_NEEDED
    (commitment,) = finance.approved_commitments(administrator)
    assert (commitment.verdict, commitment.approved_amount) == ("changed", Decimal("150.00"))
    assert commitment.approved_a_year == Decimal("7800.00")


def test_the_chair_refuses_one_amount(sgo, chair, administrator):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("250.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
        services.decision_amounts_decide(
            decision=decision,
            verdicts=[{"amount": amount, "verdict": "refused", "approved_amount": None}],
            by=chair,
        )
    amount.refresh_from_db()
    assert (amount.verdict, amount.approved_amount) == (AmountVerdict.REFUSED, None)
    assert not finance.approved_commitments(administrator).exists()


def test_a_changed_amount_must_differ_and_be_given(sgo, chair):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("100.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
        for approved, message in ((Decimal("100.00"), "is the amount asked"), (None, "Give")):
            with pytest.raises(ValidationError, match=message):
                services.decision_amounts_decide(
                    decision=decision,
                    verdicts=[
                        {"amount": amount, "verdict": "changed", "approved_amount": approved}
                    ],
                    by=chair,
                )


def test_a_refusal_or_deferral_approves_no_amount(sgo, chair, administrator):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("400.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Refuse", chair, further_information="")
        assert decision.approval_status == ApprovalStatus.NOT_NEEDED
        with pytest.raises(ValidationError, match="agrees nothing"):
            services.decision_amounts_decide(
                decision=decision,
                verdicts=[{"amount": amount, "verdict": "approved"}],
                by=chair,
            )
    amount.refresh_from_db()
    assert amount.verdict == AmountVerdict.UNDECIDED
    assert not finance.approved_commitments(administrator).exists()


def test_once_the_officer_answers_the_amounts_are_fixed(sgo, chair, director):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("400.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
        services.decision_approve(decision=decision, by=director, approved=True, comment="")
        with pytest.raises(ValidationError, match="already answered"):
            services.decision_amounts_decide(
                decision=decision,
                verdicts=[{"amount": amount, "verdict": "refused"}],
                by=chair,
            )


def test_amounts_go_only_on_requests_that_carry_them_and_before_panel_decides(
    sgo, book, chair, administrator
):
    other = book(sgo.meeting, request="Staying Put")
    with pytest.raises(ValidationError, match="carries no amounts"):
        BookingAmountFactory(booking=other)
    with pytest.raises(ValidationError) as refused:
        BookingAmountFactory(booking=sgo, description=" ", amount=Decimal("0"))
    assert set(refused.value.message_dict) == {"description", "amount"}
    amount = BookingAmountFactory(booking=sgo)
    with on_the_day(sgo):
        decide(sgo, "Approval", chair)
    with pytest.raises(ValidationError, match="amounts are fixed"):
        agendas_services.booking_amount_remove(booking_amount=amount)


@pytest.mark.parametrize(
    ("slug", "carrying"),
    [
        ("knowsley", {SGO, "Special Guardianship Order: existing carers",
                      "Child Arrangements Order", "Placement scrutiny"}),
        ("lancashire", {"Ratification", "Request for additional finances"}),
        ("somerset", {"Special Guardianship"}),
        ("torbay", {"SGO Support Plan sign-off"}),
        ("north-somerset", set()),
    ],
)  # fmt: skip
def test_the_presets_say_which_requests_carry_amounts(db, slug, carrying):
    panel = PanelFactory(preset=slug)
    names = set(panel.request_types.filter(carries_amounts=True).values_list("name", flat=True))
    assert names == carrying
    # No terms of reference gives a figure for its scheme of delegation.
    assert not panel.request_types.filter(delegation_limit__isnull=False).exists()


def test_the_finance_view_and_its_csv(
    client, sgo, chair, director, make_user, django_assert_num_queries
):
    BookingAmountFactory(booking=sgo, amount=Decimal("250.00"), period="weekly")
    with on_the_day(sgo):
        decision = decide(sgo, "Approval", chair)
    services.decision_approve(decision=decision, by=director, approved=True, comment="")
    client.force_login(director)
    page = client.get(reverse("minutes:finance"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "January 2027" in text and "£13,000.00" in text
    assert sgo.child.full_name not in text  # initials and case number only
    download = client.get(reverse("minutes:finance-csv"))
    rows = list(csv.reader(StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == list(finance.CSV_COLUMNS)
    assert rows[1][:5] == ["2027-01", "Knowsley Multi-Agency Permanency Panel", SGO,
                           "2027-01-05", sgo.child.case_number]  # fmt: skip
    assert rows[1][8:13] == ["250.00", "250.00", "13000.00", "Approved as asked", str(director)]
    # One query for the commitments, however many there are.
    with django_assert_num_queries(1):
        list(finance.approved_commitments(director))

    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(reverse("minutes:finance-csv")).status_code == 403


def test_the_social_worker_adds_and_takes_off_an_amount(client, sgo, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    sgo.social_worker = worker
    sgo.save(update_fields=["social_worker"])
    client.force_login(worker)
    url = reverse("bookings:amounts", args=[sgo.pk])
    refused = client.post(url, {"description": "", "amount": "-5", "period": ""})
    assert refused.status_code == 200
    text = refused.content.decode()
    for message in ("Enter what the amount is for", "Choose how often"):
        assert message in text
    client.post(url, {"description": "SGO allowance", "amount": "185.50", "period": "weekly"})
    (amount,) = sgo.amounts.all()
    assert (amount.amount, amount.period, amount.added_by) == (Decimal("185.50"), "weekly", worker)
    assert "£185.50" in client.get(reverse("bookings:detail", args=[sgo.pk])).content.decode()
    client.post(url, {"remove": amount.pk})
    assert not sgo.amounts.exists()


def test_the_chair_changes_an_amount_on_the_decisions_page(client, sgo, chair):
    amount = BookingAmountFactory(booking=sgo, amount=Decimal("250.00"), period="weekly")
    with on_the_day(sgo):
        decide(sgo, "Approval", chair)
        client.force_login(chair)
        url = reverse("decisions:amounts", args=[sgo.panel.slug, sgo.meeting.pk, sgo.pk])
        prefix = f"amount-{amount.pk}"
        refused = client.post(url, {f"{prefix}-verdict": "changed"})
        assert "Give the amount panel approves" in refused.content.decode()
        saved = client.post(
            url, {f"{prefix}-verdict": "changed", f"{prefix}-approved_amount": "175"}
        )
    assert saved.status_code == 302
    amount.refresh_from_db()
    assert (amount.verdict, amount.approved_amount) == ("changed", Decimal("175.00"))
    sgo.decision.refresh_from_db()
    assert sgo.decision.approval_status == ApprovalStatus.NOT_NEEDED  # £9,100 a year


def test_the_meeting_page_and_the_minutes_total_what_was_approved(
    client, sgo, chair, administrator
):
    BookingAmountFactory(booking=sgo, amount=Decimal("150.00"), period="weekly")
    BookingAmountFactory(
        booking=sgo, description="Bedroom furniture", amount=Decimal("600"), period="one_off"
    )
    with on_the_day(sgo):
        decide(sgo, "Approval", chair)
    client.force_login(administrator)
    meeting = sgo.meeting
    for url in (
        reverse("agendas:meeting", args=[meeting.panel.slug, meeting.pk]),
        reverse("minutes:minutes", args=[meeting.panel.slug, meeting.pk]),
    ):
        text = client.get(url).content.decode()
        assert "Money approved" in text
        assert "£150.00" in text and "£600.00" in text
        assert "£8,400.00" in text  # 150 × 52 + 600
    pdf = PdfReader(BytesIO(minutes_pdf(meeting)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Money approved" in text and "£8,400.00" in text


def test_the_administrator_sets_a_request_types_delegation_limit(client, knowsley, administrator):
    sgo = knowsley.request_types.get(name=SGO)
    client.force_login(administrator)
    url = reverse("agendas:request-type-change", args=["knowsley", sgo.pk])
    fields = {
        "name": sgo.name,
        "order": sgo.order,
        "default_section": sgo.default_section_id,
        "needs_submission_form": "on",
        "purpose": sgo.purpose,
        "carries_amounts": "on",
    }
    refused = client.post(url, {**fields, "delegation_limit": "-1"})
    assert "A delegation limit cannot be below £0." in refused.content.decode()
    assert client.post(url, {**fields, "delegation_limit": "12500"}).status_code == 302
    sgo.refresh_from_db()
    assert (sgo.carries_amounts, sgo.delegation_limit) == (True, Decimal("12500.00"))


def test_the_finance_view_reads_a_page_at_a_time_with_the_whole_months_totals(
    client, sgo, book, chair, director
):
    def approve(booking, count):
        BookingAmountFactory.create_batch(
            count, booking=booking, amount=Decimal("100.00"), period="one_off"
        )
        with on_the_day(booking):
            decide(booking, "Approval", chair)

    def queries(page=1):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("minutes:finance") + f"?page={page}")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    client.force_login(director)
    approve(sgo, 3)
    three, text = queries()
    assert text.count("app-money") == 3 * 2 and "£300.00 a year in all" in text
    assert "Pages of approved commitments" not in text
    approve(book(sgo.meeting, request=SGO), 57)
    sixty, text = queries()
    assert three == sixty
    assert text.count("app-money") == 50 * 2 and "Pages of approved commitments" in text
    # The month's and the request's totals are of all 60 amounts, on either page.
    assert "£6,000.00 a year in all" in text and f"{SGO}: £6,000.00 a year" in text
    _, last = queries(page=2)
    assert last.count("app-money") == 10 * 2 and "£6,000.00 a year in all" in last
    download = client.get(reverse("minutes:finance-csv"))
    assert len(download.content.decode("utf-8-sig").splitlines()) == 1 + 60
