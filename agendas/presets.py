"""The five seed panels, as their terms of reference write them.

Plain data: `services.panel_preset_load` makes the database match it. A panel setting a
preset leaves out takes the model's default (the defaults in DESIGN.md). Where a terms of
reference is silent the chosen value carries a comment saying so. Chairs and the people
in each seat are local and never set here.
"""

from dataclasses import dataclass, field
from datetime import date, time

from .models import (
    Attendance,
    BookingMode,
    Cadence,
    ContributionKind,
    KeyDate,
    OutcomeEffect,
    RequestPurpose,
    Weekday,
    WeekOfMonth,
)


@dataclass(frozen=True)
class Section:
    name: str
    definition: str = ""
    booking: str = BookingMode.SECTION
    slot_minutes: int | None = None
    capacity: int | None = None
    time_budget_minutes: int | None = None
    starts_at: time | None = None
    tracking: bool = False
    agrees_next_agenda: bool = False


@dataclass(frozen=True)
class Break:
    starts_at: time
    ends_at: time
    label: str = "Lunch"


@dataclass(frozen=True)
class Document:
    name: str
    required: bool = True
    note: str = ""


@dataclass(frozen=True)
class RequestType:
    name: str
    section: str | None = None  # the name of its usual agenda section
    needs_senior_decision: bool = False
    documents: tuple[Document, ...] = ()
    purpose: str = RequestPurpose.NONE
    needs_submission_form: bool = True
    # Money under a scheme of delegation (issue 16). No terms of reference gives a figure,
    # so no preset sets a delegation limit: each council enters its own on the panel's page.
    carries_amounts: bool = False
    needs_guardians_feedback: bool = False


@dataclass(frozen=True)
class Outcome:
    name: str
    effect: str


# Somerset's five outcomes, which every panel can reach; Lancashire and Knowsley add their own.
COMMON_OUTCOMES = (
    Outcome("Ratify the request, with timescales for the action plan", OutcomeEffect.AGREE),
    Outcome("Set an alternative course", OutcomeEffect.ALTERNATIVE),
    Outcome("Defer until further information is provided", OutcomeEffect.DEFER),
    Outcome("Re-present to panel", OutcomeEffect.RE_PRESENT),
    Outcome("Refuse", OutcomeEffect.REFUSE),
)


# A tracking review's four outcomes, the same on every panel (issue 13). Loaded with each
# preset's own; the decision page never offers them, the tracking page offers only them.
TRACKING_OUTCOMES = (
    Outcome("On track", OutcomeEffect.ON_TRACK),
    Outcome("Concerns: actions set", OutcomeEffect.CONCERNS),
    Outcome("Escalate to a request", OutcomeEffect.ESCALATE),
    Outcome("Not discussed", OutcomeEffect.NOT_DISCUSSED),
)


@dataclass(frozen=True)
class Member:
    role_on_panel: str
    attendance: str = Attendance.CORE


@dataclass(frozen=True)
class Contribution:
    """A kind of contribution the panel expects for every child, from the seat named."""

    kind: str
    seat: str  # a Member's role_on_panel
    due_days: int


@dataclass(frozen=True)
class PlanningQuestion:
    text: str
    date_label: str = ""  # empty: no date makes sense for this question
    no_is_concern: bool = True
    records_key_date: str = ""  # a KeyDate a "yes" with a date records on the child


@dataclass(frozen=True)
class PanelPreset:
    slug: str
    name: str
    settings: dict = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    breaks: tuple[Break, ...] = ()
    request_types: tuple[RequestType, ...] = ()
    documents_for_every_request: tuple[Document, ...] = ()
    members: tuple[Member, ...] = ()
    outcomes: tuple[Outcome, ...] = COMMON_OUTCOMES
    contributions: tuple[Contribution, ...] = ()
    planning_questions: tuple[PlanningQuestion, ...] = ()


TORBAY = PanelPreset(
    slug="torbay",
    name="Torbay Permanency Panel",
    settings={
        # "A review of the relevance and value of the terms of reference is to be undertaken
        # annually." (The ToR is headed "Updated: 1st January 2025": the administrator records
        # each review on the panel; reloading the preset keeps it.)
        "terms_of_reference_review_months": 12,
        "purpose": (
            "Ensures plans for permanence are progressed and implemented in line with "
            "Torbay's permanency strategy, and prevents and addresses drift and delay in care "
            "planning. Gives senior leadership oversight when Special Guardianship is being "
            "considered, including sign-off of all SGO Support Plans within the scheme of "
            "delegation."
        ),
        "cadence": Cadence.FORTNIGHTLY,
        "weekday": Weekday.THURSDAY,
        # ToR silent on which Thursdays: anchored on the first working Thursday of 2026.
        "series_start": date(2026, 1, 8),
        # ToR says "normally on a Thursday morning" but gives no times.
        "start_time": time(9, 30),
        "end_time": time(12, 30),
        # ToR silent on the venue and on every deadline: the defaults apply.
        "case_presentation": (
            "Each case is a verbal presentation: the invited Team Manager presents the updates "
            "and progress of completed actions, with the Service Manager and social worker "
            "where appropriate, or arranges for a colleague to attend. The long term matching "
            "report is presented where applicable. Minutes are recorded in the Permanency Panel "
            "tracker; the panel administrator adds actions and decisions to the child's case "
            "file and circulates the updated tracker to Team Managers and Social Workers."
        ),
        # "The updated tracker will be circulated to Team Manager and Social Worker".
        "sends_tracker_with_decisions": True,
        # "The chair determines review frequency": 3 months is the ceiling the flags use.
        "panel_interval_months": 3,
    },
    # ToR silent on the order of the agenda: its sections follow the panel's scope.
    sections=(
        Section("Care proceedings", "Children in care proceedings when permanence is agreed."),
        Section(
            "Placed at home under Schedule 3",
            "Children placed at home under Schedule 3 assessment. The Family Group Conference "
            "Team Manager attends where appropriate.",
        ),
        Section(
            "Reunification",
            "Service lead plans of children where reunification is considered and assessment "
            "is being progressed.",
        ),
        Section(
            "Long term foster care matching",
            "Children in long term foster care where matching is required.",
        ),
        Section("Adoption", "Children whose care plan is adoption."),
        Section(
            "Special Guardianship",
            "Children with a plan of Special Guardianship: the formulation and sign-off of SGO "
            "Support Plans within the scheme of delegation, and oversight of communications and "
            "feedback from prospective Special Guardians before the plan is finally submitted.",
        ),
    ),
    request_types=(
        # "The presentation for each case will take the form of a verbal presentation":
        # nothing written is asked for, so nothing is chased.
        RequestType("Verbal update", needs_submission_form=False),
        RequestType(
            "Long term matching",
            section="Long term foster care matching",
            documents=(Document("Long term matching report"),),
            purpose=RequestPurpose.LONG_TERM_MATCH,
        ),
        RequestType(
            "SGO Support Plan sign-off",
            section="Special Guardianship",
            carries_amounts=True,
            # The panel signs SGO Support Plans off, so it must see them.
            documents=(Document("SGO Support Plan"),),
            # "oversight of relevant communications and feedback from prospective Special
            # Guardians prior to the final submission of the plan": recorded before sign-off.
            needs_guardians_feedback=True,
        ),
    ),
    members=(
        Member("Head of Service: Operational Services (chair, or nominated officer)"),
        Member("Service Manager – Regulated Services (deputy)"),
        Member("Quality Assurance Court Manager"),
        Member(
            "Service Manager – Placements, Family Time, Short Breaks, Direct Payments and "
            "Daycare Services"
        ),
        Member("Service Manager – Operational Services"),
        Member("Family Group Conference Team Manager", Attendance.AS_REQUIRED),
        Member("Relevant Team Managers", Attendance.AS_REQUIRED),
    ),
)


LANCASHIRE = PanelPreset(
    slug="lancashire",
    name="Lancashire Permanence Panel",
    settings={
        "purpose": (
            "Makes sure permanence stays at the forefront of the child's journey and that "
            "permanence plans are achieved within statutory timescales. Multi-agency: reviews "
            "all Children Looked After and their permanence plans, scrutinises fostering and "
            "residential arrangements, and ratifies placements as permanent."
        ),
        "cadence": Cadence.MONTHLY,
        # ToR says "at least monthly" and "a full day" but names no day.
        "weekday": Weekday.WEDNESDAY,
        "week_of_month": WeekOfMonth.SECOND,
        # The template agenda's twenty 20-minute slots run from 9.30 to the one at 4.00.
        "start_time": time(9, 30),
        "end_time": time(16, 20),
        "slot_minutes": 20,
        "has_thematic_item": True,
        # Item 5: "Business Support will request details of the theme in advance from the
        # HoS". ToR gives no number of days: 15 working days (three weeks) before the panel
        # leaves the chair two working weeks before the agenda is agreed (5 days before).
        "theme_request_days": -15,
        "agenda_circulate_days": -5,  # "at least five working days prior"
        "decision_recorded_days": 5,  # "recorded on the child's file by Case Support within 5"
        # ToR silent on the venue, booking notice, submission date, agreeing the agenda
        # and the minutes: the defaults apply.
        "case_presentation": (
            "The social worker completes the Permanence Panel Submission form and sends it to "
            "the Case Support Officer, who attaches the case summary and the record of the last "
            "multi-agency Looked After Children care planning meeting. The agenda says why each "
            "child is being heard. Social workers attend, or their manager if they cannot. "
            "Health, education, Access to Resources and fostering and residential "
            "representatives bring what their records show about the child."
        ),
    },
    sections=(
        Section(
            "Case re-presented back to permanence panel",
            "Represented – to allow Panel to maintain grip and challenge over any drift or "
            "delay, and promote achieving permanence. These cases will have been heard at panel "
            "previously and the panel will have made the recommendation to re-present the case "
            "back to panel within a specific timeframe. Business Support to the panel will "
            "capture this at the panel and forward book for the social worker and add to the "
            "appropriate agenda. Business Support will provide to the Panel the reason for the "
            "case to be re-presented and details of any actions set from the previous Panel.",
            booking=BookingMode.SLOT,
        ),
        Section(
            "New Children Looked After",
            "New to care – to allow Panel to be assured that any child who has become Looked "
            "After in the last 12 weeks has a clear plan for permanence. These children will "
            "have become Looked After and are to be presented to Panel shortly prior to their "
            "second CLA Review to seek Panel agreement to the plan for permanence, to be "
            "presented to the second CLA review. This may include reunification, long term "
            "foster care/residential, adoption etc.",
            booking=BookingMode.SLOT,
        ),
        Section(
            "Ratification of placement as permanent",
            "Ratification – to enable Panel to ratify placements as permanent following CLA "
            "review, Case Management Discussion and matching meeting. Where children are in "
            "long term settled placement, permanence of the placement should be considered. "
            "Prior to seeking ratification, matching meetings should have been held and the "
            "child and carers consulted. Financial agreement to any planned celebration event "
            "will be given by Panel.",
            booking=BookingMode.SLOT,
        ),
        Section(
            "Head of Service case planning oversight",
            "Care Planning oversight – to promote multi agency decision making at senior "
            "management level around key decisions in line with Lancashire Children's Social "
            "Care scheme of delegation. This section of the agenda provides for Head of Service "
            "oversight and/or decision making in line with the scheme of delegation and care "
            "planning protocol. Cases presented under this section include for example: request "
            "to move placement; request for additional finances etc.",
            booking=BookingMode.SLOT,
        ),
        Section(
            "Thematic selection",
            "Thematic selection – to allow Panel to have a regular focus each month on a "
            "specific activity related to Permanence. The HoS will identify a specific theme to "
            "be presented to Panel and this will differ for each Panel. Business Support will "
            "request details of the theme in advance from the HoS.",
            booking=BookingMode.SLOT,
        ),
    ),
    # The template agenda leaves one unnumbered row between the 12.30 and 1.00 slots.
    breaks=(Break(time(12, 50), time(13, 0), "Lunch"),),
    request_types=(
        RequestType(
            "Represented",
            section="Case re-presented back to permanence panel",
            purpose=RequestPurpose.RE_PRESENTATION,
        ),
        RequestType(
            "New to care", section="New Children Looked After", purpose=RequestPurpose.NEW_TO_CARE
        ),
        RequestType(
            "Ratification",
            section="Ratification of placement as permanent",
            # "Financial agreement to any planned celebration event will be given by Panel".
            carries_amounts=True,
            purpose=RequestPurpose.PERMANENCE,
        ),
        RequestType("Request to move placement", section="Head of Service case planning oversight"),
        RequestType(
            "Request for additional finances",
            section="Head of Service case planning oversight",
            carries_amounts=True,
        ),
        RequestType("Thematic selection", section="Thematic selection"),
    ),
    documents_for_every_request=(
        Document("Permanence Panel Submission form", note="Completed by the social worker"),
        Document(
            "Case summary",
            note="Updated on the child's file; the Case Support Officer attaches it",
        ),
        Document(
            "Record of the last multi-agency Looked After Children care planning meeting",
            note="On the child's file; the Case Support Officer attaches it",
        ),
    ),
    outcomes=(
        *COMMON_OUTCOMES,
        Outcome("Agreement to the plan for permanence", OutcomeEffect.AGREE),
        Outcome("Ratification of placement as permanent", OutcomeEffect.AGREE),
        Outcome("Financial agreement to a celebration event", OutcomeEffect.AGREE),
    ),
    members=(
        Member("Children's Social Care Head of Service (chair)"),
        Member("Children's Social Care Senior Manager"),
        Member("Children's Social Care, Children in Our Care Team Manager"),
        Member("Education Representative (virtual school)"),
        Member("Health Representative"),
        Member("Fostering Manager"),
        Member("Residential Services Manager"),
        Member("Access to Resources representative"),
        Member("Children's Social Care Case Support"),
        # Not in the core list, but "The Independent Reviewing Officer representative (Quality
        # and Assurance Manager)" has their own responsibilities to panel.
        Member("Independent Reviewing Officer representative (Quality and Assurance Manager)"),
    ),
    # "Each individual panel member also has individual responsibilities" and "is expected"
    # to bring them for every child; due the working day before the agenda goes out (-5),
    # so each is in the pack circulated with it.
    contributions=(
        Contribution(ContributionKind.HEALTH, "Health Representative", -6),
        Contribution(ContributionKind.EDUCATION, "Education Representative (virtual school)", -6),
        Contribution(
            ContributionKind.IRO,
            "Independent Reviewing Officer representative (Quality and Assurance Manager)",
            -6,
        ),
        Contribution(
            ContributionKind.ACCESS_TO_RESOURCES, "Access to Resources representative", -6
        ),
        # "The Fostering and Residential representative": one contribution, which the
        # Fostering Manager's seat provides (the Residential Services Manager can be asked
        # instead from the panel's page).
        Contribution(ContributionKind.FOSTERING_RESIDENTIAL, "Fostering Manager", -6),
    ),
)


NORTH_SOMERSET = PanelPreset(
    slug="north-somerset",
    name="North Somerset Permanency Tracking Panel",
    settings={
        "purpose": (
            "Gives senior leaders a process to track and monitor plans for children subject to "
            "the Public Law Outline (PLO) and for all children in care until their permanence "
            "plan is secured, and to track the timeliness and quality of statutory duties."
        ),
        "cadence": Cadence.MONTHLY,
        # ToR says "once per month" but names no day or times.
        "weekday": Weekday.TUESDAY,
        "week_of_month": WeekOfMonth.THIRD,
        "start_time": time(9, 30),
        "end_time": time(12, 30),
        "agenda_agree_days": -5,  # "agreed by the Panel Chair's at least one working week before"
        "agenda_circulate_days": -5,  # "the administrator will then circulate": straight after
        # ToR silent on the venue, booking notice, submissions and minutes: defaults apply.
        "case_presentation": (
            "Children are discussed from the Permanency Planning Tracker, which is shared with "
            "colleagues before panel to update key dates and progress on actions. The child's "
            "Social Worker, Team Manager, Supervising Social Worker and Family Finding Social "
            "Worker attend by invitation. Minutes and actions are added to the children's LCS "
            "records."
        ),
        # "At least every other month … at a minimum every 3 months": the flag uses the
        # minimum, and the tracker shows children past the aim but not yet the minimum.
        "panel_interval_months": 3,
        "panel_target_interval_months": 2,
        # 5: "continue tracking children until permanence is secured… Life story work and
        # letters for later life are completed." The ToR gives no timescale: the issue's 10
        # working days after the adoption order.
        "life_story_working_days": 10,
        # "Head of Service Family Support & Safeguarding (joint chair)" and "Head of
        # Corporate Parenting (joint chair)": both agree the agenda and ratify.
        "deputy_is_joint_chair": True,
    },
    # ToR silent on the order of the agenda.
    sections=(
        Section(
            "Children new to PLO or care",
            "Children who become subject to PLO and/or looked after are presented at the next "
            "available panel after they have become accommodated or subject to PLO.",
        ),
        Section(
            "Permanency tracking",
            "All children on the Permanency Planning Tracker are discussed at panel at least "
            "every other month, and at a minimum every 3 months. The tracker is amended as "
            "appropriate and actions followed up and reviewed at next month's tracker if "
            "required.",
            tracking=True,
        ),
    ),
    request_types=(
        RequestType("New to PLO or care", section="Children new to PLO or care"),
        RequestType(
            "Tracking review",
            section="Permanency tracking",
            purpose=RequestPurpose.TRACKING,
            needs_submission_form=False,
        ),
    ),
    members=(
        Member("Head of Service Family Support & Safeguarding (joint chair)"),
        Member("Head of Corporate Parenting (joint chair)"),
        Member("Head of Commissioning & Contracts"),
        Member("Adoption West Family Finding Manager"),
        Member("Team Manager, Fostering"),
        Member("Team Manager, Children in Care, Corporate Parenting"),
        Member("Team Manager Quality Assurance & Safeguarding"),
        Member("Panel Administrator (business support)"),
        Member("Child's Social Worker", Attendance.AS_REQUIRED),
        Member("Child's Team Manager", Attendance.AS_REQUIRED),
        Member("Supervising Social Worker", Attendance.AS_REQUIRED),
        Member("Family Finding Social Worker", Attendance.AS_REQUIRED),
    ),
)


SGO_CAO_DOCUMENTS = (
    Document("Most recent assessment"),
    Document("Support plan"),
    Document("Financial assessment"),
)
LONG_TERM_FOSTERING_DOCUMENTS = (
    Document("Single Assessment", note="Recent; from the social worker"),
    Document("Review minutes", note="From the social worker"),
    Document("Care Plan", note="From the social worker"),
    Document("Form F", note="From the supervising social worker"),
    Document("Foster carer review", note="From the supervising social worker"),
    Document("Minutes of the matching meeting"),
)

KNOWSLEY = PanelPreset(
    slug="knowsley",
    name="Knowsley Multi-Agency Permanency Panel",
    settings={
        "purpose": (
            "Makes sure Children Looked After have appropriate permanency plans, implemented in "
            "a timely manner to avoid drift and delay. Approves support plans, including "
            "financial commitments, for permanence through Special Guardianship or Child "
            "Arrangements Orders; tracks adoption plans; matches and approves long term "
            "fostering, Staying Put, residential and SGO placements; and scrutinises placements "
            "against their Independent Placement Agreements."
        ),
        "cadence": Cadence.MONTHLY,
        # ToR says "three hours, once a month" but names no day or start time.
        "weekday": Weekday.TUESDAY,
        "week_of_month": WeekOfMonth.FIRST,
        "start_time": time(9, 30),
        "end_time": time(12, 30),
        "submission_due_days": -5,  # "one week in advance of panel"
        "minutes_distribute_days": 10,  # "within 2 weeks of panel meeting"
        # The agenda is agreed at the previous meeting (part 4), always before the default -5.
        # ToR silent on the venue, booking notice, circulation, ratifying minutes and the case
        # note: the defaults apply.
        "senior_decision_maker": "Assistant Executive Director",
        "case_presentation": (
            "Reports must be for individual children: consolidated reports will not be "
            "considered. Team Managers are responsible for reports arriving on time. After the "
            "meeting the social worker records a case note summarising the outcome and, if "
            "permanence is agreed, uploads the minutes to ICS."
        ),
    },
    sections=(
        Section(
            "Part 1: Adoption tracking",
            "Makes sure all blocks and barriers to achieving a successful adoption placement "
            "within timescales are addressed. All children on the adoption tracker or who are "
            "subject to a Placement Order will be considered. The Team Manager YPT and Virtual "
            "Head are not required for this part.",
            booking=BookingMode.SECTION,
            time_budget_minutes=45,
            tracking=True,
        ),
        Section(
            "Part 2: Matching and approval",
            "Matching and approval / recommendation of placements as requested by Social "
            "Workers proactively progressing plans for permanency, as agreed in the child's "
            "review: long term fostering, Staying Put, SGO / Child Arrangements Orders (CAO). "
            "The Panel approves in house placements, Staying Put and friends and family SGOs. "
            "Plans involving IFA, residential placements, SGO to existing carers and permanent "
            "foster care matches are considered for approval by the Assistant Executive "
            "Director following a panel recommendation.",
            booking=BookingMode.SLOT,
            slot_minutes=15,
            capacity=4,
        ),
        Section(
            "Part 3: Scrutiny of plans and placements",
            "Scrutiny of plans and placements identified by panel, from performance "
            "information, as in danger of drift and delay: children in residential care, "
            "children not in permanent placements, and care leavers. Social Workers are invited "
            "to discuss cases and outline plans, addressing any blocks or barriers. Actions are "
            "agreed with specific timescales.",
            booking=BookingMode.SLOT,
            slot_minutes=15,
            capacity=4,
        ),
        Section(
            "Part 4: Agree next agenda",
            "The panel agrees the next meeting's agenda, so Team Managers and Social Workers "
            "know it a month ahead.",
            booking=BookingMode.SECTION,
            capacity=0,
            time_budget_minutes=15,
            # "Team Managers and Social workers will be aware of the agenda as it is agreed
            # at the previous meeting."
            agrees_next_agenda=True,
        ),
    ),
    request_types=(
        RequestType(
            "Adoption tracking",
            section="Part 1: Adoption tracking",
            purpose=RequestPurpose.TRACKING,
            needs_submission_form=False,
        ),
        RequestType(
            "Special Guardianship Order: friends and family carers",
            # "approve any support plans, including financial commitments" for SGO and CAO.
            carries_amounts=True,
            section="Part 2: Matching and approval",
            documents=SGO_CAO_DOCUMENTS,
        ),
        RequestType(
            "Special Guardianship Order: existing carers",
            carries_amounts=True,
            section="Part 2: Matching and approval",
            needs_senior_decision=True,
            documents=SGO_CAO_DOCUMENTS,
        ),
        RequestType(
            "Child Arrangements Order",
            carries_amounts=True,
            section="Part 2: Matching and approval",
            documents=SGO_CAO_DOCUMENTS,
        ),
        RequestType(
            "Private fostering",
            section="Part 2: Matching and approval",
            documents=SGO_CAO_DOCUMENTS,
        ),
        RequestType(
            "Long term fostering match",
            section="Part 2: Matching and approval",
            needs_senior_decision=True,
            documents=LONG_TERM_FOSTERING_DOCUMENTS,
            purpose=RequestPurpose.LONG_TERM_MATCH,
        ),
        RequestType("Staying Put", section="Part 2: Matching and approval"),
        RequestType("In house placement", section="Part 2: Matching and approval"),
        RequestType(
            "Independent Fostering Agency (IFA) placement",
            section="Part 2: Matching and approval",
            needs_senior_decision=True,
        ),
        RequestType(
            "Residential placement",
            section="Part 2: Matching and approval",
            needs_senior_decision=True,
        ),
        RequestType(
            "Placement scrutiny",
            # Placement costs against the IPA, scrutinised for value for money.
            carries_amounts=True,
            section="Part 3: Scrutiny of plans and placements",
            documents=(
                Document("Independent Placement Agreement (IPA)"),
                Document("Most recent review minutes"),
                Document("Care Plan"),
                Document("Most recent Single Assessment"),
            ),
        ),
    ),
    outcomes=(
        *COMMON_OUTCOMES,
        Outcome("Approval", OutcomeEffect.AGREE),
        Outcome("Recommendation to the Assistant Executive Director", OutcomeEffect.RECOMMEND),
    ),
    members=(
        Member("Head of Service (chair)"),
        Member("Administrator"),
        Member("Team Manager CLA 1 and 2", Attendance.AS_REQUIRED),
        Member("Team Manager, YPT", Attendance.AS_REQUIRED),
        Member("Specialist Nurse CLA"),
        Member("Virtual School Head"),
        Member("Independent Reviewing Officer"),
        Member("Team Manager, Friends and Family Fostering Service"),
        Member("Team Manager, Adoption Service"),
        Member("Team Manager – Access to Resources Team"),
        Member("Accountant, Finance Team"),
    ),
    # "impact on health and education are fully considered": from the Specialist Nurse CLA
    # and the Virtual School Head, due with the reports, "one week in advance of panel".
    contributions=(
        Contribution(ContributionKind.HEALTH, "Specialist Nurse CLA", -5),
        Contribution(ContributionKind.EDUCATION, "Virtual School Head", -5),
    ),
)


SOMERSET = PanelPreset(
    slug="somerset",
    name="Somerset Permanence Panel",
    settings={
        "purpose": (
            "Prevents drift and enforces a rigorous approach to achieving permanence for "
            "children, alongside the statutory Children Looked After Review process, and "
            "promotes placement stability for children looked after."
        ),
        "cadence": Cadence.FORTNIGHTLY,
        "weekday": Weekday.THURSDAY,
        # ToR silent on which Thursdays: any Thursday in January 2026 fixes the weeks.
        "series_start": date(2026, 1, 15),
        # "by the Deputy Director Children and Families or in her absence the Strategic
        # Manager Resources"
        "emergency_decision_makers": (
            "Deputy Director Children and Families\nStrategic Manager Resources"
        ),
        # ToR silent on times.
        "start_time": time(9, 30),
        "end_time": time(12, 30),
        "venue": "County Hall, Taunton",
        "booking_notice_days": -7,  # "a booking email … 7 working days prior to panel"
        # "advising they are requested to attend Panel … either in person or via conference call"
        "booking_email_request": (
            "You are requested to attend panel. All social workers are expected to make "
            "themselves available for this panel, either in person or by conference call."
        ),
        "submission_due_days": -10,  # "sent to the Panel Administrator two weeks before"
        "minutes_ratify_days": 5,  # "produced and ratified by Panel Chair within 5 working days"
        # ToR silent on agreeing and circulating the agenda, distributing the notes and
        # when they reach LCS: the defaults apply.
        "case_presentation": (
            "Social workers and their Team Managers are invited to discuss specific cases, in "
            "person or by conference call. Social workers need not attend for tracking unless "
            "issues are identified. Where a child is being considered for a permanent match, "
            "confirmation is needed that the carers are approved for permanent, long term "
            "placements. The written summary sets out each decision with a clear rationale, and "
            "is added to LCS on the child's file (Permanence Panel meeting form) and on the "
            "carers' file where relevant."
        ),
        "placement_order_match_limit_months": 6,
        "adoption_application_limit_months": 6,
        "placed_with_parents_review_months": 3,  # "monitored quarterly"
        # 7: "confirmation will be required that the carers are approved for permanent,
        # long term placements".
        "match_needs_permanence_approval": True,
    },
    # ToR silent on the order of the agenda and on slot lengths: requests first, in
    # 20-minute slots so a social worker knows when to join.
    sections=(
        Section(
            "Requests for decision",
            "Placement moves for a child in care; matching of permanent placements with foster "
            "carers (in house or agency); Staying Put arrangements; Special Guardianship "
            "Assessments and Support Plans, including Special Guardianship Financial "
            "Assessments before the final court date; temporary approval of Connected Persons "
            "Assessments.",
            booking=BookingMode.SLOT,
            slot_minutes=20,
            time_budget_minutes=120,
        ),
        Section(
            "Emergency decisions made outside the panel",
            "Decisions made outside the panel on an emergency basis, by the Deputy Director "
            "Children and Families or in her absence the Strategic Manager Resources, brought "
            "to the next panel retrospectively with all the required information.",
        ),
        Section(
            "Updates on decisions",
            "Updates timetabled to make sure decisions made at the Legal Gateway panel are "
            "progressed within the agreed timescales, obtained from relevant managers and "
            "Social Workers.",
        ),
        Section(
            "Adoption",
            "Care plans where a child is subject to a placement order but no match has been "
            "made within 6 months of the order, or has been placed for adoption but no "
            "application has been made to adopt within 6 months of placement.",
        ),
        Section(
            "Children placed with parents",
            "Children placed with parents under the Care Planning, Placement and Case Review "
            "(England) Regulations 2010, monitored quarterly; where appropriate, revocation of "
            "the Care Order is recommended.",
        ),
        Section(
            "Tracking permanence plans",
            "All permanence plans tracked from the second CLA Review, to make sure clear and "
            "robust permanence planning is taking place and all viable options are considered "
            "within appropriate timescales. Social Workers are not required to attend unless "
            "potential issues are identified.",
            tracking=True,
        ),
    ),
    request_types=(
        RequestType(
            "Placement move",
            section="Requests for decision",
            documents=(Document("Minutes of Placement Support Meeting"),),
        ),
        RequestType(
            "Matching",
            section="Requests for decision",
            purpose=RequestPurpose.LONG_TERM_MATCH,
            documents=(
                Document("Matching Proposal for a Long Term Fostering Placement", note="From LCS"),
                Document("Foster Carers most recent Annual Review"),
                Document(
                    "Foster Carers Form F",
                    required=False,
                    note="If completed within the last 2 years",
                ),
                Document("Foster Carers Capacity to Offer Permanence"),
            ),
        ),
        RequestType(
            "Staying Put",
            section="Requests for decision",
            documents=(
                Document(
                    "Request for Approval for Staying Put Arrangement",
                    note="Form L1001 on Templates",
                ),
            ),
        ),
        RequestType(
            "Special Guardianship",
            carries_amounts=True,
            section="Requests for decision",
            documents=(Document("Special Guardianship Assessment and Support Plan"),),
        ),
        RequestType("Connected Persons temporary approval", section="Requests for decision"),
        RequestType(
            "Retrospective ratification of an emergency decision",
            section="Emergency decisions made outside the panel",
            purpose=RequestPurpose.RETROSPECTIVE,
        ),
        RequestType(
            "Update on a decision",
            section="Updates on decisions",
            purpose=RequestPurpose.RE_PRESENTATION,
        ),
        RequestType(
            "Tracking review",
            section="Tracking permanence plans",
            purpose=RequestPurpose.TRACKING,
            needs_submission_form=False,
        ),
    ),
    documents_for_every_request=(
        Document("Up to date C&F Assessment"),
        Document("Child/Young Person's Care Plan"),
        Document("CLA Review Outcomes"),
    ),
    members=(
        Member("Operations Manager CLA"),
        Member("Family Finding SW"),
        Member("IRO Manager"),
        Member("Children's Finance Manager"),
        Member("Virtual School Head"),
        Member("Foster Carer Representative"),
        Member("Operations Manager Leaving Care"),
        Member("Panel Administrator"),
        Member("Placements Team Manager", Attendance.AS_REQUIRED),
        Member("Other Operations Managers", Attendance.AS_REQUIRED),
        Member("P2i Coordinator", Attendance.AS_REQUIRED),
    ),
    # 3.1: "The Permanence Panel will consider the following questions", word for word.
    # The ToR asks for no dates: each date is where a question names an event or timescale.
    planning_questions=(
        PlanningQuestion(
            "Has a permanence planning meeting been held?",
            date_label="Date of the meeting",
            records_key_date=KeyDate.PLANNING_MEETING,
        ),
        PlanningQuestion(
            "Are all of the relevant people need to achieve permanence for the child aware and "
            "undertaking necessary tasks i.e. Family Finders, Permanence Team SWs?"
        ),
        PlanningQuestion(
            "Are all of the necessary assessments underway to determine whether a return home "
            "is the plan and with clear timescales?",
            date_label="Assessments to finish by",
        ),
        PlanningQuestion(
            "Have potential family and friends carers been identified and have viability "
            "assessments commenced?",
            date_label="Viability assessments began on",
        ),
        PlanningQuestion(
            "Is Adoption, Special Guardianship, Child Arrangement Order or permanent foster "
            "placement an option? Have the appropriate assessments in relation to these options "
            "commenced with clear timescales?",
            date_label="Assessments to finish by",
        ),
        # Whether one is needed: "no" is an answer, not a concern.
        PlanningQuestion(
            "Is a sibling assessment required?",
            date_label="Completed on, if it has been",
            no_is_concern=False,
            records_key_date=KeyDate.SIBLING_ASSESSMENT_COMPLETED,
        ),
        PlanningQuestion("Have potential permanent carers outside the family been identified?"),
        PlanningQuestion("Do the timescales meet the needs of the child?"),
    ),
)


PRESETS = {
    preset.slug: preset for preset in (TORBAY, LANCASHIRE, NORTH_SOMERSET, KNOWSLEY, SOMERSET)
}
