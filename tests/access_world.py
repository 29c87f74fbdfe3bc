"""One small council for the URL × role access matrix (tests/test_access_matrix.py).

Somerset's panel with a meeting that has been held, one child booked into it with a
submission document, panel's decision and an action, an agenda pack ready to download,
and a person in each role the matrix asks about (the other panel's member sits on
Knowsley's). Built once per test module, through the services where there is one, so every
page has a real object to show.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import weasyprint
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agendas import services as agendas_services
from agendas.models import (
    AgendaPack,
    AgendaSection,
    Booking,
    Break,
    DocumentRequirement,
    ExpectedContribution,
    Meeting,
    Panel,
    PanelMembership,
    PlanningQuestion,
    RequestType,
    SubmissionDocument,
)
from minutes import services as minutes_services
from minutes.models import Decision, PanelAction
from permanence import services as permanence_services
from permanence.models import ClosureDay, Job, Notification, User
from permanence.roles import Role
from tests.factories import (
    AgendaPackFactory,
    CarerFactory,
    ChildFactory,
    JobFactory,
    TeamFactory,
    UserFactory,
)
from tracker import services as tracker_services
from tracker.models import Carer, CarerRole, Child, ChildCarer, Referral, SavedFilter

BOOKED_ON = date(2026, 12, 1)
# Somerset meets fortnightly on Thursdays; the matrix is read the day after this meeting.
MEETING = date(2027, 1, 14)
TODAY = datetime(2027, 1, 15, 10, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True)
class World:
    people: dict[str, User]  # the matrix's roles, by its column names
    panel: Panel
    meeting: Meeting
    child: Child
    booking: Booking
    document: SubmissionDocument
    decision: Decision
    action: PanelAction
    pack: AgendaPack
    closure_day: ClosureDay
    notification: Notification
    section: AgendaSection
    pause: Break
    request_type: RequestType
    requirement: DocumentRequirement
    membership: PanelMembership
    referral: Referral
    saved_filter: SavedFilter
    job: Job
    carer: Carer
    carer_link: ChildCarer
    planning_question: PlanningQuestion | None = None  # Somerset's first (3.1)


def build(traveller) -> World:
    """The council as it stands the day after the meeting; `traveller` is time-machine's."""
    traveller.move_to(BOOKED_ON)
    east, west = (
        TeamFactory(name="Children in Care East"),
        TeamFactory(name="Children in Care West"),
    )
    people = {
        "administrator": UserFactory(roles=[Role.ADMINISTRATOR], first_name="Abe"),
        "chair": UserFactory(roles=[Role.CHAIR], first_name="Cara"),
        "panel_member": UserFactory(roles=[Role.PANEL_MEMBER], first_name="Mo"),
        "other_panel_member": UserFactory(roles=[Role.PANEL_MEMBER], first_name="Olu"),
        "social_worker": UserFactory(roles=[Role.SOCIAL_WORKER], team=east, first_name="Sam"),
        "other_social_worker": UserFactory(roles=[Role.SOCIAL_WORKER], team=west, first_name="Sid"),
        "team_manager": UserFactory(roles=[Role.TEAM_MANAGER], team=east, first_name="Tess"),
        "senior_manager": UserFactory(roles=[Role.SENIOR_MANAGER], first_name="Sue"),
        "business_intelligence": UserFactory(roles=[Role.BUSINESS_INTELLIGENCE], first_name="Bea"),
    }
    agendas_services.panel_preset_load(slug="somerset")
    panel = Panel.objects.get(slug="somerset")
    # With a thematic item, so the theme page is there for those who may give it.
    agendas_services.panel_update(panel=panel, chair=people["chair"], has_thematic_item=True)
    membership = panel.memberships.first()
    agendas_services.panel_membership_update(membership=membership, user=people["panel_member"])
    # Knowsley's member sees Somerset's children on the tracker, not their papers.
    agendas_services.panel_preset_load(slug="knowsley")
    agendas_services.panel_membership_update(
        membership=Panel.objects.get(slug="knowsley").memberships.first(),
        user=people["other_panel_member"],
    )
    pause = agendas_services.break_create(
        panel=panel, label="Lunch", starts_at=time(12, 0), ends_at=time(12, 30)
    )
    meeting = agendas_services.meetings_schedule(panel=panel, start=MEETING, end=MEETING).created[0]
    # A name no one else has, so tests/test_audit_coverage.py can tell the pages that show
    # the child by their text.
    child = ChildFactory(
        first_name="Ottoline",
        last_name="Quillfeather",
        team=east,
        social_worker=people["social_worker"],
        team_manager=people["team_manager"],
        panel=panel,
    )
    request_type = panel.request_types.get(name="Matching")
    # A health contribution asked of the member's seat, so its page is there (Somerset's
    # preset asks for none).
    ExpectedContribution.objects.create(panel=panel, kind="health", seat=membership)
    booking = agendas_services.booking_create(
        meeting=meeting,
        child=child,
        request_type=request_type,
        reason="Match with the long term foster carers",
        booked_by=people["administrator"],
    )
    requirement = panel.document_requirements.filter(request_type=request_type).first()
    pdf = weasyprint.HTML(string="<p>Care plan</p>").write_pdf()
    document = agendas_services.document_upload(
        booking=booking,
        requirement=requirement,
        upload=SimpleUploadedFile("care-plan.pdf", pdf, content_type="application/pdf"),
        by=people["social_worker"],
    )
    closure_day = permanence_services.closure_day_create(
        date=date(2027, 3, 1), description="Council closure"
    )

    traveller.move_to(datetime.combine(MEETING, time(10)))
    # The child's proposed carers, approved for permanence: Somerset agrees no match before.
    carer = CarerFactory(
        name="Sam and Alex Taylor", by=people["administrator"], approved_for_permanence=True
    )
    carer_link = tracker_services.child_carer_link(
        child=child, carer=carer, role=CarerRole.PROPOSED, by=people["administrator"]
    )
    decision = minutes_services.decision_record(
        booking=booking,
        outcome=panel.outcomes.get(name="Ratify the request, with timescales for the action plan"),
        rationale="The carers are approved and the child is settled.",
        recorded_by=people["chair"],
        timescales="Matching report to the IRO within 6 weeks",
    )
    action = minutes_services.action_add(
        decision=decision,
        description="Send the matching report to the IRO",
        owner=people["social_worker"],
        due_date=date(2027, 2, 25),
    )
    pack = AgendaPackFactory(meeting=meeting, job__requested_by=people["administrator"])
    pack.file.save("pack.pdf", ContentFile(pdf))

    traveller.move_to(TODAY)
    referral = tracker_services.referral_send(
        sent_by=people["team_manager"],
        kind="legal_change",
        happened_on=MEETING,
        case_number=child.case_number,
        first_name=child.first_name,
        last_name=child.last_name,
        legal_status="C2",
    )
    saved_filter = tracker_services.saved_filter_create(
        name="Adoption, no match", query="cohort=adoption", saved_by=people["administrator"]
    )
    return World(
        people=people,
        panel=panel,
        meeting=meeting,
        child=child,
        booking=booking,
        document=document,
        decision=decision,
        action=action,
        pack=pack,
        closure_day=closure_day,
        notification=Notification.objects.order_by("pk").first(),
        section=panel.sections.first(),
        pause=pause,
        request_type=request_type,
        requirement=requirement,
        membership=membership,
        referral=referral,
        saved_filter=saved_filter,
        job=JobFactory(requested_by=people["administrator"]),
        carer=carer,
        carer_link=carer_link,
        planning_question=panel.planning_questions.first(),
    )
