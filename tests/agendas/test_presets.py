from datetime import date, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agendas import selectors, services
from agendas.models import (
    AgendaSection,
    BookingMode,
    Break,
    Cadence,
    DocumentRequirement,
    OutcomeEffect,
    Panel,
    PanelMembership,
    RequestPurpose,
    RequestType,
    Weekday,
)
from permanence.roles import Role

pytestmark = pytest.mark.django_db

LANCASHIRE_SLOTS = [
    "09:30", "09:50", "10:10", "10:30", "10:50", "11:10", "11:30", "11:50", "12:10", "12:30",
    "13:00", "13:20", "13:40", "14:00", "14:20", "14:40", "15:00", "15:20", "15:40", "16:00",
]  # fmt: skip


def load(*slugs) -> str:
    out = StringIO()
    call_command("load_panel_presets", *slugs, stdout=out)
    return out.getvalue()


@pytest.fixture
def panels():
    load()
    return {panel.slug: panel for panel in selectors.panels_with_set_up()}


def slot_times(panel, section=None):
    return [
        f"{row.starts_at:%H:%M}"
        for row in panel.timetable()
        if row.kind == "slot" and (section is None or row.section == section)
    ]


def documents(request_type):
    return [(d.name, d.required) for d in request_type.document_requirements.all()]


def test_all_five_panels_load_with_their_slugs(panels):
    assert sorted(panels) == ["knowsley", "lancashire", "north-somerset", "somerset", "torbay"]


def test_torbay_meets_fortnightly_on_thursday_mornings_for_verbal_updates(panels):
    torbay = panels["torbay"]
    assert torbay.cadence == Cadence.FORTNIGHTLY
    assert torbay.weekday == Weekday.THURSDAY
    assert torbay.week_of_month is None
    assert torbay.end_time <= time(12, 30)
    assert "verbal presentation" in torbay.case_presentation
    assert torbay.meeting_dates(start=date(2026, 11, 22), count=3) == [
        date(2026, 11, 26),
        date(2026, 12, 10),
        date(2026, 12, 24),
    ]
    matching = torbay.request_types.get(name="Long term matching")
    assert documents(matching) == [("Long term matching report", True)]
    assert matching.default_section.name == "Long term foster care matching"


def test_lancashire_runs_the_template_agendas_twenty_slots_with_lunch(panels):
    lancashire = panels["lancashire"]
    assert slot_times(lancashire) == LANCASHIRE_SLOTS
    breaks = [row for row in lancashire.timetable() if row.kind == "break"]
    assert [(b.starts_at, b.ends_at, b.label) for b in breaks] == [
        (time(12, 50), time(13, 0), "Lunch")
    ]
    assert lancashire.cadence == Cadence.MONTHLY
    assert lancashire.has_thematic_item
    assert lancashire.agenda_circulate_days == -5
    assert lancashire.decision_recorded_days == 5


def test_lancashire_has_the_five_agenda_items_with_their_definitions(panels):
    sections = list(panels["lancashire"].sections.all())
    assert [(s.order, s.name) for s in sections] == [
        (1, "Case re-presented back to permanence panel"),
        (2, "New Children Looked After"),
        (3, "Ratification of placement as permanent"),
        (4, "Head of Service case planning oversight"),
        (5, "Thematic selection"),
    ]
    assert all(s.booking == BookingMode.SLOT and s.slot_minutes is None for s in sections)
    assert "forward book for the social worker" in sections[0].definition
    assert "in the last 12 weeks" in sections[1].definition
    assert "Financial agreement to any planned celebration event" in sections[2].definition
    assert "request to move placement" in sections[3].definition
    assert "differ for each Panel" in sections[4].definition
    assert [d.name for d in panels["lancashire"].documents_for_every_request] == [
        "Permanence Panel Submission form",
        "Case summary",
        "Record of the last multi-agency Looked After Children care planning meeting",
    ]


def test_north_somerset_agrees_its_agenda_a_working_week_ahead(panels):
    north_somerset = panels["north-somerset"]
    assert north_somerset.cadence == Cadence.MONTHLY
    assert north_somerset.agenda_agree_days == -5
    assert north_somerset.panel_interval_months == 3
    joint_chairs = [
        m.role_on_panel
        for m in north_somerset.memberships.all()
        if "joint chair" in m.role_on_panel
    ]
    assert joint_chairs == [
        "Head of Service Family Support & Safeguarding (joint chair)",
        "Head of Corporate Parenting (joint chair)",
    ]


def test_knowsley_meets_for_three_hours_in_four_parts(panels):
    knowsley = panels["knowsley"]
    sections = list(knowsley.sections.all())
    assert [(s.name, s.minutes) for s in sections] == [
        ("Part 1: Adoption tracking", 45),
        ("Part 2: Matching and approval", 60),
        ("Part 3: Scrutiny of plans and placements", 60),
        ("Part 4: Agree next agenda", 15),
    ]
    assert sum(s.minutes for s in sections) == 180
    assert [(s.booking, s.slot_minutes, s.capacity) for s in sections[1:3]] == [
        (BookingMode.SLOT, 15, 4),
        (BookingMode.SLOT, 15, 4),
    ]
    assert sections[3].capacity == 0
    timetable = knowsley.timetable()
    assert (timetable[0].starts_at, timetable[-1].ends_at) == (time(9, 30), time(12, 30))
    assert slot_times(knowsley, sections[1]) == ["10:15", "10:30", "10:45", "11:00"]
    assert slot_times(knowsley, sections[2]) == ["11:15", "11:30", "11:45", "12:00"]
    assert knowsley.submission_due_days == -5
    assert knowsley.minutes_distribute_days == 10


def test_knowsley_sends_the_listed_requests_to_the_assistant_executive_director(panels):
    knowsley = panels["knowsley"]
    assert knowsley.senior_decision_maker == "Assistant Executive Director"
    to_aed = {rt.name for rt in knowsley.request_types.all() if rt.needs_senior_decision}
    assert to_aed == {
        "Independent Fostering Agency (IFA) placement",
        "Residential placement",
        "Special Guardianship Order: existing carers",
        "Long term fostering match",
    }
    by_name = {rt.name: rt for rt in knowsley.request_types.all()}
    assert documents(by_name["Private fostering"]) == [
        ("Most recent assessment", True),
        ("Support plan", True),
        ("Financial assessment", True),
    ]
    assert [name for name, _ in documents(by_name["Long term fostering match"])] == [
        "Single Assessment",
        "Review minutes",
        "Care Plan",
        "Form F",
        "Foster carer review",
        "Minutes of the matching meeting",
    ]
    assert [name for name, _ in documents(by_name["Placement scrutiny"])] == [
        "Independent Placement Agreement (IPA)",
        "Most recent review minutes",
        "Care Plan",
        "Most recent Single Assessment",
    ]
    assert by_name["Placement scrutiny"].default_section.name.startswith("Part 3")


def test_somerset_deadlines_venue_and_limits(panels):
    somerset = panels["somerset"]
    assert somerset.cadence == Cadence.FORTNIGHTLY
    assert somerset.weekday == Weekday.THURSDAY
    assert somerset.venue == "County Hall, Taunton"
    assert somerset.booking_notice_days == -7
    assert somerset.submission_due_days == -10
    assert somerset.minutes_ratify_days == 5
    assert somerset.placement_order_match_limit_months == 6
    assert somerset.adoption_application_limit_months == 6
    assert somerset.placed_with_parents_review_months == 3
    dates = somerset.meeting_dates(start=date(2026, 11, 22), count=3)
    assert dates == [date(2026, 12, 3), date(2026, 12, 17), date(2026, 12, 31)]


def test_somerset_documents_for_all_cases_and_for_each_request_type(panels):
    somerset = panels["somerset"]
    assert [(d.name, d.required) for d in somerset.documents_for_every_request] == [
        ("Up to date C&F Assessment", True),
        ("Child/Young Person's Care Plan", True),
        ("CLA Review Outcomes", True),
    ]
    assert {rt.name: documents(rt) for rt in somerset.request_types.all()} == {
        "Placement move": [("Minutes of Placement Support Meeting", True)],
        "Matching": [
            ("Matching Proposal for a Long Term Fostering Placement", True),
            ("Foster Carers most recent Annual Review", True),
            ("Foster Carers Form F", False),
            ("Foster Carers Capacity to Offer Permanence", True),
        ],
        "Staying Put": [("Request for Approval for Staying Put Arrangement", True)],
        "Special Guardianship": [("Special Guardianship Assessment and Support Plan", True)],
        "Connected Persons temporary approval": [],
        "Retrospective ratification of an emergency decision": [],
        "Update on a decision": [],
        "Tracking review": [],
    }
    form_f = DocumentRequirement.objects.get(panel=somerset, name="Foster Carers Form F")
    assert form_f.note == "If completed within the last 2 years"
    staying_put = DocumentRequirement.objects.get(
        panel=somerset, name="Request for Approval for Staying Put Arrangement"
    )
    assert "L1001" in staying_put.note


def snapshot():
    """Every row the presets write, with its values, so two runs can be compared."""
    return {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (
            Panel,
            AgendaSection,
            Break,
            RequestType,
            DocumentRequirement,
            PanelMembership,
        )
    }


@pytest.mark.usefixtures("without_seed_panels")  # loaded into a database that has none
def test_loading_twice_changes_and_duplicates_nothing():
    first_output = load()
    first = snapshot()
    second_output = load()
    assert snapshot() == first
    assert Panel.objects.count() == 5
    assert first_output.count(": created") == 5
    assert second_output.count("already matches its terms of reference") == 5


def test_loading_again_restores_an_edited_panel_but_keeps_its_people(make_user):
    load()
    knowsley = Panel.objects.get(slug="knowsley")
    chair = make_user(Role.CHAIR)
    health = knowsley.memberships.get(role_on_panel="Specialist Nurse CLA")
    part_1, part_2 = knowsley.sections.all()[:2]
    section_ids = {s.name: s.pk for s in knowsley.sections.all()}

    services.panel_update(
        panel=knowsley, chair=chair, minutes_distribute_days=3, venue="Huyton", end_time=time(13)
    )
    # Swap parts 1 and 2, which are unique by number, through a spare number.
    services.agenda_section_update(section=part_1, order=9)
    services.agenda_section_update(section=part_2, order=1)
    services.agenda_section_update(section=part_1, order=2, name="Adoption")
    services.request_type_create(panel=knowsley, name="Something local")
    DocumentRequirement.objects.filter(panel=knowsley, name="Form F").delete()
    services.panel_membership_update(membership=health, user=make_user(Role.PANEL_MEMBER))

    result = services.panel_preset_load(slug="knowsley")

    knowsley.refresh_from_db()
    assert not result.created and result.changes > 0
    assert (knowsley.minutes_distribute_days, knowsley.venue) == (10, "")
    assert knowsley.end_time == time(12, 30)
    assert knowsley.chair == chair
    assert [(s.order, s.name) for s in knowsley.sections.all()] == [
        (1, "Part 1: Adoption tracking"),
        (2, "Part 2: Matching and approval"),
        (3, "Part 3: Scrutiny of plans and placements"),
        (4, "Part 4: Agree next agenda"),
    ]
    # Part 2 kept its row; the renamed part 1 was replaced.
    assert knowsley.sections.get(order=2).pk == section_ids["Part 2: Matching and approval"]
    assert not knowsley.request_types.filter(name="Something local").exists()
    assert DocumentRequirement.objects.filter(panel=knowsley, name="Form F").count() == 1
    health.refresh_from_db()
    assert health.user is not None
    assert services.panel_preset_load(slug="knowsley").changes == 0


@pytest.mark.usefixtures("without_seed_panels")  # loaded into a database that has none
def test_one_preset_can_be_loaded_alone_and_an_unknown_one_is_refused():
    assert "created" in load("somerset")
    assert list(Panel.objects.values_list("slug", flat=True)) == ["somerset"]
    with pytest.raises(CommandError, match="No preset called nowhere"):
        load("nowhere")
    with pytest.raises(ValueError, match="no preset called 'nowhere'"):
        services.panel_preset_load(slug="nowhere")


def test_every_panel_reaches_somersets_five_outcomes_and_its_own(panels):
    common = [
        ("Ratify the request, with timescales for the action plan", OutcomeEffect.AGREE),
        ("Set an alternative course", OutcomeEffect.ALTERNATIVE),
        ("Defer until further information is provided", OutcomeEffect.DEFER),
        ("Re-present to panel", OutcomeEffect.RE_PRESENT),
        ("Refuse", OutcomeEffect.REFUSE),
    ]

    tracking = [
        ("On track", OutcomeEffect.ON_TRACK),
        ("Concerns: actions set", OutcomeEffect.CONCERNS),
        ("Escalate to a request", OutcomeEffect.ESCALATE),
        ("Not discussed", OutcomeEffect.NOT_DISCUSSED),
    ]

    def outcomes(slug):
        return [(o.name, o.effect) for o in panels[slug].outcomes.all()]

    for slug in ("torbay", "north-somerset", "somerset"):
        assert outcomes(slug) == common + tracking
    assert outcomes("lancashire")[5:] == [
        ("Agreement to the plan for permanence", OutcomeEffect.AGREE),
        ("Ratification of placement as permanent", OutcomeEffect.AGREE),
        ("Financial agreement to a celebration event", OutcomeEffect.AGREE),
        *tracking,
    ]
    assert outcomes("knowsley")[5:] == [
        ("Approval", OutcomeEffect.AGREE),
        ("Recommendation to the Assistant Executive Director", OutcomeEffect.RECOMMEND),
        *tracking,
    ]
    assert panels["somerset"].emergency_decision_roles == [
        "Deputy Director Children and Families",
        "Strategic Manager Resources",
    ]
    purposes = {
        (slug, rt.name): rt.purpose
        for slug, panel in panels.items()
        for rt in panel.request_types.exclude(purpose="")
    }
    assert purposes == {
        ("torbay", "Long term matching"): RequestPurpose.LONG_TERM_MATCH,
        ("lancashire", "Represented"): RequestPurpose.RE_PRESENTATION,
        ("lancashire", "Ratification"): RequestPurpose.PERMANENCE,
        ("knowsley", "Long term fostering match"): RequestPurpose.LONG_TERM_MATCH,
        ("somerset", "Matching"): RequestPurpose.LONG_TERM_MATCH,
        ("somerset", "Retrospective ratification of an emergency decision"): (
            RequestPurpose.RETROSPECTIVE
        ),
        ("somerset", "Update on a decision"): RequestPurpose.RE_PRESENTATION,
        ("north-somerset", "Tracking review"): RequestPurpose.TRACKING,
        ("knowsley", "Adoption tracking"): RequestPurpose.TRACKING,
        ("somerset", "Tracking review"): RequestPurpose.TRACKING,
    }
