"""Test data in the council's words, built the way the service builds it.

A factory for anything the services write (a panel from its terms of reference, a meeting
and its slots, a booking, a submission, a decision, an action) calls that service in
`_create`, so its checks and side effects happen as in the service. Related objects come
through SubFactory chains that keep them on one panel: a booking's child, request type
and section belong to its meeting's panel.
"""

from datetime import date, timedelta
from decimal import Decimal

import factory
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from agendas import services as agendas_services
from agendas.models import (
    AgendaPack,
    Booking,
    BookingAmount,
    Meeting,
    OutcomeEffect,
    Panel,
    RequestPurpose,
    Submission,
)
from agendas.presets import PRESETS
from minutes import services as minutes_services
from minutes.models import Decision, PanelAction
from permanence.jobs.models import FINISHED
from permanence.models import ClosureDay, Job, JobState, Team, User
from permanence.roles import Role
from tracker import services as tracker_services
from tracker.models import Carer, CarerKind, CarerRole, Child

from .days import BOOKED_ON

DEFAULT_PASSWORD = "a-long-test-password"


class JobFactory(factory.django.DjangoModelFactory):
    """A background job that has finished, of the tests' own kind (tests/jobs.py)."""

    class Meta:
        model = Job

    kind = "tests.count"
    state = JobState.SUCCEEDED
    done = total = 1
    result = factory.LazyAttribute(lambda job: {"counted": job.total})
    finished_at = factory.LazyFunction(timezone.now)


class AgendaPackFactory(factory.django.DjangoModelFactory):
    """A meeting's agenda pack as its job left it: `AgendaPackFactory(meeting=m,
    job__state=JobState.RUNNING, job__done=12, job__total=60)`. A pack that is built is
    asked for through `agendas.services.pack_request` instead."""

    class Meta:
        model = AgendaPack

    job = factory.SubFactory(
        JobFactory,
        kind=agendas_services.PACK_JOB,
        done=0,
        total=0,
        result=factory.LazyFunction(dict),
        started_at=factory.LazyAttribute(
            lambda job: None if job.state == JobState.QUEUED else timezone.now()
        ),
        finished_at=factory.LazyAttribute(
            lambda job: timezone.now() if job.state in FINISHED else None
        ),
    )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Children in Care Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"officer{n}@council.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests (browser, worker) flush the migration's groups.
            self.groups.add(*(Group.objects.get_or_create(name=str(role))[0] for role in extracted))


class AuthenticatorFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app: `django_otp.oath.totp(device.bin_key)` is its code."""

    class Meta:
        model = TOTPDevice
        django_get_or_create = ["user", "name"]

    name = "Authenticator app"
    confirmed = True


class ClosureDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureDay

    description = "Council closure"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    case_number = factory.Sequence(lambda n: f"CN{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class PanelFactory(factory.django.DjangoModelFactory):
    """A council's panel from its terms of reference: `PanelFactory(preset="lancashire")`.

    The presets are loaded once per test session (tests/conftest.py), so this finds the
    panel; in a test without them (`without_seed_panels`) it loads it through the preset
    loader. Anything else given (a chair, a deputy) is set through `panel_update`.
    Without a preset, a bare panel with the model's defaults: `PanelFactory(slug="somerset",
    name="Somerset Permanence Panel")`.
    """

    class Meta:
        model = Panel

    preset = None
    slug = factory.LazyAttributeSequence(lambda panel, n: panel.preset or f"panel-{n}")
    name = factory.LazyAttributeSequence(
        lambda panel, n: PRESETS[panel.preset].name if panel.preset else f"Permanence Panel {n}"
    )

    @classmethod
    def _create(cls, model_class, *args, preset=None, slug, name, **settings):
        if preset is None:
            # A bare panel given a seed panel's slug takes its place, for the tests that
            # reckon with the model's default lead times.
            Panel.objects.filter(slug=slug).delete()
            return super()._create(model_class, *args, slug=slug, name=name, **settings)
        panel = (
            Panel.objects.filter(slug=preset).first()
            or agendas_services.panel_preset_load(slug=preset).panel
        )
        if settings:
            agendas_services.panel_update(panel=panel, **settings)
        return panel


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting of a panel on its next meeting day, with its slots laid out by the service
    that lays out a scheduled meeting's (`meeting_slots_create`)."""

    class Meta:
        model = Meeting

    panel = factory.SubFactory(PanelFactory, preset="lancashire")
    date = factory.LazyAttribute(
        lambda meeting: meeting.panel.meeting_dates(start=timezone.localdate(), count=1)[0]
    )
    starts_at = factory.SelfAttribute("panel.start_time")
    ends_at = factory.SelfAttribute("panel.end_time")
    venue = factory.SelfAttribute("panel.venue")
    online_link = factory.SelfAttribute("panel.online_link")

    @classmethod
    def _create(cls, model_class, *args, **fields):
        meeting = super()._create(model_class, *args, **fields)
        agendas_services.meeting_slots_create(meeting=meeting)
        return meeting


class BookingFactory(factory.django.DjangoModelFactory):
    """A child booked into a meeting through `booking_create`: `BookingFactory(meeting=m,
    request="Ratification")`. The child, the request type and its usual section are the
    meeting's panel's."""

    class Meta:
        model = Booking

    class Params:
        # The request type's name. Without one, the panel's first plain request (one
        # that asks nothing more of the decision: Lancashire's "New to care" only says
        # how it is booked) with a usual section.
        request = None

    meeting = factory.SubFactory(MeetingFactory)
    child = factory.SubFactory(
        ChildFactory,
        panel=factory.LazyAttribute(lambda child: child.factory_parent.meeting.panel),
    )
    request_type = factory.LazyAttribute(
        lambda booking: (
            booking.meeting.panel.request_types.get(name=booking.request)
            if booking.request
            else booking.meeting.panel.request_types.filter(
                purpose__in=[RequestPurpose.NONE, RequestPurpose.NEW_TO_CARE],
                default_section__isnull=False,
            ).first()
        )
    )
    reason = "To agree the plan for permanence"
    booked_by = factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR])

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return agendas_services.booking_create(**fields)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """The booking's submission form, saved by the child's social worker through
    `submission_save`."""

    class Meta:
        model = Submission

    booking = factory.SubFactory(BookingFactory)
    by = factory.LazyAttribute(
        lambda submission: (
            submission.booking.social_worker or UserFactory(roles=[Role.SOCIAL_WORKER])
        )
    )
    reason_for_presentation = "To agree the plan for permanence"

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return agendas_services.submission_save(**fields)


class DecisionFactory(factory.django.DjangoModelFactory):
    """What panel decided for a booking, recorded through `decision_record`: on or after
    the meeting's day, as the service allows no earlier.

    The outcome defaults to the panel's agreement; `outcome="Refuse"` names one of the
    panel's outcomes.
    """

    class Meta:
        model = Decision

    booking = factory.SubFactory(BookingFactory)
    outcome = factory.LazyAttribute(
        lambda decision: decision.booking.panel.outcomes.filter(effect=OutcomeEffect.AGREE).first()
    )
    rationale = "Panel is satisfied the plan meets the child's needs."
    recorded_by = factory.LazyAttribute(
        lambda decision: decision.booking.panel.chair or UserFactory(roles=[Role.CHAIR])
    )

    @classmethod
    def _create(cls, model_class, *args, booking, outcome, **fields):
        if isinstance(outcome, str):
            outcome = booking.panel.outcomes.get(name=outcome)
        return minutes_services.decision_record(booking=booking, outcome=outcome, **fields)


class BookingAmountFactory(factory.django.DjangoModelFactory):
    """An amount on a request that carries them, added through `booking_amount_add`:
    `BookingAmountFactory(booking=b, amount=Decimal("250"), period="weekly")`."""

    class Meta:
        model = BookingAmount

    booking = factory.SubFactory(BookingFactory)
    description = "Special guardianship allowance"
    amount = Decimal("250.00")
    period = "weekly"
    added_by = factory.SelfAttribute("booking.booked_by")

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return agendas_services.booking_amount_add(**fields)


def book_into_slot(meeting, name: str, slot_number: int, social_worker) -> Booking:
    """Book the named child, new to care, into the meeting's nth shared time slot."""
    first, last = name.split()
    return BookingFactory(
        meeting=meeting,
        child__first_name=first,
        child__last_name=last,
        child__social_worker=social_worker,
        child__team=social_worker.team,
        request="New to care",
        slot=meeting.slots.filter(section=None).order_by("starts_at")[slot_number],
    )


def winter_meetings(panel, *, end=date(2027, 3, 31)) -> list[Meeting]:
    """The panel's meetings from January 2027 to `end`, scheduled on BOOKED_ON."""
    with time_machine.travel(BOOKED_ON, tick=False):
        return agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=end
        ).created


def decide(booking, outcome: str, chair, **fields) -> Decision:
    """The chair records panel's decision: decide(booking, "Refuse", chair)."""
    return DecisionFactory(booking=booking, outcome=outcome, recorded_by=chair, **fields)


class ActionFactory(factory.django.DjangoModelFactory):
    """An action panel set, added through `action_add`: the child's social worker's, due
    four weeks after the meeting unless the test says otherwise."""

    class Meta:
        model = PanelAction

    decision = factory.SubFactory(DecisionFactory)
    description = "Send the matching report to the IRO"
    owner = factory.LazyAttribute(
        lambda action: (
            action.decision.booking.social_worker or UserFactory(roles=[Role.SOCIAL_WORKER])
        )
    )
    due_date = factory.LazyAttribute(
        lambda action: action.decision.booking.meeting.date + timedelta(weeks=4)
    )

    @classmethod
    def _create(cls, model_class, *args, **fields):
        return minutes_services.action_add(**fields)


class CarerFactory(factory.django.DjangoModelFactory):
    """Foster carers, through `carer_create`; with `approved_for_permanence=True` (or False)
    their approval is recorded too, through `carer_approval_record`. Link a child with
    `tracker_services.child_carer_link`."""

    class Meta:
        model = Carer

    name = factory.Sequence(lambda n: f"Sam and Alex Taylor {n}")
    kind = CarerKind.FOSTER_CARER
    by = factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR])

    @classmethod
    def _create(cls, model_class, *args, by, approved_for_permanence=None, **fields):
        carer = tracker_services.carer_create(by=by, **fields)
        if approved_for_permanence is not None:
            tracker_services.carer_approval_record(
                carer=carer,
                approved_for="Two children aged 0 to 10",
                approved_for_permanence=approved_for_permanence,
                approving_panel="Fostering Panel",
                approved_on=date(2026, 6, 4),
                by=by,
            )
        return carer


def approved_carers_for(child, *, role=CarerRole.CURRENT) -> Carer:
    """The child's foster carers, approved for permanent, long-term placements: Somerset
    agrees no match before (issue 16)."""
    carer = CarerFactory(approved_for_permanence=True)
    tracker_services.child_carer_link(
        child=child, carer=carer, role=role, by=carer.history.first().history_user
    )
    return carer
