"""Synthetic demo data for `make run`: no real child, name or case number.

It seeds every layer (users, panels, children), so it lives in the top layer of the
dependency chain, where importing any app is allowed.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import transaction
from django.db.models import Case, When

from agendas import selectors as agendas_selectors
from agendas import services as agendas_services
from agendas.models import Panel, PanelMembership, RequestPurpose
from permanence import services as permanence_services
from permanence.models import Team, User
from permanence.roles import Role
from tracker import services as tracker_services
from tracker.codes import LegalStatus, PlacementType, Plan, Sex
from tracker.models import Child

DEMO_PASSWORD = "demo-permanence-2026"  # noqa: S105 - synthetic demo accounts only
DEMO_DOMAIN = "demo.council.example"
CHILD_COUNT = 60


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    first_name: str
    last_name: str
    team: str | None = None
    job_title: str = ""


DEMO_LOGINS = (
    DemoLogin(Role.ADMINISTRATOR, f"admin@{DEMO_DOMAIN}", "Alex", "Administrator"),
    DemoLogin(Role.CHAIR, f"chair@{DEMO_DOMAIN}", "Chris", "Chair"),
    DemoLogin(Role.PANEL_MEMBER, f"member@{DEMO_DOMAIN}", "Morgan", "Member"),
    DemoLogin(
        Role.SOCIAL_WORKER,
        f"social.worker@{DEMO_DOMAIN}",
        "Sam",
        "Worker",
        "Children in Care North",
    ),
    DemoLogin(
        Role.TEAM_MANAGER,
        f"team.manager@{DEMO_DOMAIN}",
        "Taylor",
        "Manager",
        "Children in Care North",
    ),
    DemoLogin(
        Role.SENIOR_MANAGER,
        f"senior.manager@{DEMO_DOMAIN}",
        "Jordan",
        "Senior",
        job_title="Assistant Executive Director",  # Knowsley's approver after panel
    ),
    # North Somerset 3.2(i): tells the administrator of children who become looked after.
    DemoLogin(
        Role.BUSINESS_INTELLIGENCE, f"business.intelligence@{DEMO_DOMAIN}", "Billie", "Insight"
    ),
)
# Somerset's emergency decision-makers, as its panel names them.
SENIOR_DECISION_MAKERS = (
    DemoLogin(
        Role.SENIOR_MANAGER,
        f"deputy.director@{DEMO_DOMAIN}",
        "Dana",
        "Director",
        job_title="Deputy Director Children and Families",
    ),
    DemoLogin(
        Role.SENIOR_MANAGER,
        f"strategic.manager@{DEMO_DOMAIN}",
        "Stevie",
        "Strategic",
        job_title="Strategic Manager Resources",
    ),
)
SEAT_HOLDER_FIRST_NAMES = ("Avery", "Blake", "Casey", "Drew", "Emery", "Frankie", "Harper")
TEAMS = ("Children in Care North", "Children in Care South", "Court and Permanence")
FIRST_NAMES = [
    "Amelia",
    "Oliver",
    "Isla",
    "Noah",
    "Ava",
    "Leo",
    "Mia",
    "Arthur",
    "Ivy",
    "Oscar",
    "Freya",
    "Theo",
    "Lily",
    "Harry",
    "Willow",
    "Jack",
    "Ella",
    "Finley",
    "Grace",
    "Alfie",
    "Evie",
    "Charlie",
    "Ruby",
    "Thomas",
    "Sophie",
    "Jacob",
    "Poppy",
    "Reuben",
    "Daisy",
    "Rory",
]
LAST_NAMES = [
    "Ashdown",
    "Blackmore",
    "Carrow",
    "Dunmere",
    "Eversley",
    "Farleigh",
    "Gorran",
    "Hartland",
    "Ilsington",
    "Jesmond",
    "Kelston",
    "Lanreath",
    "Morvah",
    "Nettlecombe",
    "Ottery",
    "Polperro",
    "Quantock",
    "Rosevear",
    "Stogursey",
    "Trebarwith",
]


def demo_data_loaded() -> bool:
    return User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()


@transaction.atomic
def demo_data_load(*, today: date, seed: int = 2026) -> None:
    call_command("load_panel_presets", verbosity=0)
    rng = random.Random(seed)
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}
    users = {login.role: _demo_user(login, teams.get(login.team)) for login in DEMO_LOGINS}
    social_workers = [users[Role.SOCIAL_WORKER]]
    managers = {TEAMS[0]: users[Role.TEAM_MANAGER]}
    for index, team_name in enumerate(TEAMS):
        if team_name not in managers:
            managers[team_name] = permanence_services.user_create(
                email=f"manager{index}@{DEMO_DOMAIN}",
                first_name="Demo",
                last_name=f"Manager {index}",
                roles=[Role.TEAM_MANAGER],
                team=teams[team_name],
                password=DEMO_PASSWORD,
            )
        for n in range(2):
            social_workers.append(
                permanence_services.user_create(
                    email=f"worker{index}{n}@{DEMO_DOMAIN}",
                    first_name="Demo",
                    last_name=f"Worker {index}{n}",
                    roles=[Role.SOCIAL_WORKER],
                    team=teams[team_name],
                    password=DEMO_PASSWORD,
                )
            )
    panels = list(Panel.objects.order_by("slug"))
    for panel in panels:
        agendas_services.meetings_schedule(
            panel=panel, start=today, end=today + relativedelta(months=3)
        )
    for number in range(1, CHILD_COUNT + 1):
        worker = social_workers[number % len(social_workers)]
        tracker_services.child_create(
            case_number=f"DEMO{number:04d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            sex=rng.choice(Sex.values),
            team=worker.team,
            social_worker=worker,
            team_manager=managers[worker.team.name],
            panel=panels[number % len(panels)],
            sibling_group=f"SG{number // 2:03d}" if number % 10 in (1, 2) else "",
            **_a_journey(number, today, rng),
        )
    demo_panel_seats_fill()
    for panel in panels:
        _book_children(panel, users[Role.ADMINISTRATOR], users[Role.SOCIAL_WORKER], today)
        _build_tracking_list(panel, users[Role.ADMINISTRATOR], today)
    _send_referrals(users, today)


def _send_referrals(users, today: date) -> None:
    """Two referrals waiting on the administrator's My tasks: a new child looked after, from
    the team manager, and a change in the legal process for a child already tracked, from
    Business Intelligence."""
    tracker_services.referral_send(
        sent_by=users[Role.TEAM_MANAGER],
        kind="looked_after",
        happened_on=today - timedelta(days=1),
        case_number="DEMO9001",
        first_name="Robin",
        last_name="Fairweather",
        date_of_birth=today - relativedelta(years=4),
        legal_status="V2",
        note="Accommodated under section 20 last night; placed with foster carers.",
    )
    tracked = Child.objects.filter(proceedings_issued__isnull=False).order_by("pk").first()
    if tracked is not None:
        tracker_services.referral_send(
            sent_by=users[Role.BUSINESS_INTELLIGENCE],
            kind="legal_change",
            happened_on=today - timedelta(days=2),
            case_number=tracked.case_number,
            first_name=tracked.first_name,
            last_name=tracked.last_name,
            legal_status="C1",
            note="Interim care order made at the first hearing.",
        )


def _demo_user(login: DemoLogin, team=None) -> User:
    existing = User.objects.filter(email__iexact=login.email).first()
    if existing is not None:
        return existing
    return permanence_services.user_create(
        email=login.email,
        first_name=login.first_name,
        last_name=login.last_name,
        roles=[login.role],
        team=team,
        job_title=login.job_title,
        password=DEMO_PASSWORD,
    )


def _is_per_child_seat(membership: PanelMembership) -> bool:
    """Seats such as "Child's Social Worker": whoever works with the child being discussed,
    never one named person, so the demo leaves them empty."""
    return membership.role_on_panel.startswith("Child's ")


def demo_deputy_login(panel: Panel) -> DemoLogin:
    """The panel's synthetic deputy chair, or second joint chair (North Somerset)."""
    kind = "joint.chair" if panel.deputy_is_joint_chair else "deputy"
    return DemoLogin(
        Role.CHAIR,
        f"{kind}.{panel.slug}@{DEMO_DOMAIN}",
        "Robin",
        panel.slug.replace("-", " ").title(),
        job_title=panel.deputy_title,
    )


def demo_seat_plan(panel: Panel) -> list[tuple[PanelMembership, DemoLogin]]:
    """Who the demo seats in each of the panel's seats: the chair login in the chair's seat,
    the deputy in the deputy's (or second joint chair's), the administrator login in the
    administrator's, the member login in the first other seat, and a synthetic seat-holder
    in each seat after it."""
    administrator, chair, member = DEMO_LOGINS[0], DEMO_LOGINS[1], DEMO_LOGINS[2]
    chairs = [chair, demo_deputy_login(panel)]
    place = panel.slug.replace("-", " ").title()
    plan = []
    for seat in panel.memberships.order_by("order", "pk"):
        name = seat.role_on_panel.lower()
        if _is_per_child_seat(seat):
            continue
        if chairs and ("chair" in name or "(deputy)" in name):
            plan.append((seat, chairs.pop(0)))
        elif "administrator" in name:
            plan.append((seat, administrator))
        elif member is not None:
            plan.append((seat, member))
            member = None
        else:
            first_name = SEAT_HOLDER_FIRST_NAMES[seat.order % len(SEAT_HOLDER_FIRST_NAMES)]
            plan.append(
                (
                    seat,
                    DemoLogin(
                        Role.PANEL_MEMBER,
                        f"{panel.slug}.seat{seat.order}@{DEMO_DOMAIN}",
                        first_name,
                        place,
                        job_title=seat.role_on_panel[:150],
                    ),
                )
            )
    return plan


@transaction.atomic
def demo_panel_seats_fill() -> None:
    """Give every panel its chair and deputy (joint chairs for North Somerset) and a person
    in each seat its terms of reference list. The demo chair chairs every panel and the demo
    member sits on every panel, so those two logins open every meeting. Idempotent: a chair
    already set, or a seat already filled, is left as it is."""
    for login in SENIOR_DECISION_MAKERS:
        _demo_user(login)
    chair = _demo_user(DEMO_LOGINS[1])
    for panel in Panel.objects.order_by("slug"):
        deputy = _demo_user(demo_deputy_login(panel))
        if panel.chair_id is None or panel.deputy_chair_id is None:
            agendas_services.panel_update(
                panel=panel,
                chair=panel.chair or chair,
                deputy_chair=panel.deputy_chair or deputy,
            )
        seated = set(panel.memberships.exclude(user=None).values_list("user", flat=True))
        for seat, login in demo_seat_plan(panel):
            person = _demo_user(login)
            if seat.user_id is None and person.pk not in seated:
                agendas_services.panel_membership_update(membership=seat, user=person)
                seated.add(person.pk)


def _book_children(panel: Panel, administrator, social_worker, today: date) -> None:
    """Three of the panel's children on its next agenda, the demo social worker's first."""
    meeting = panel.meetings.filter(date__gt=today).order_by("date").first()
    request_type = (
        panel.request_types.filter(default_section__isnull=False)
        .exclude(default_section__capacity=0)
        .exclude(purpose=RequestPurpose.TRACKING)
        .first()
    )
    if meeting is None or request_type is None:
        return
    children = panel.children.order_by(
        Case(When(social_worker=social_worker, then=0), default=1), "case_number"
    )
    for child in children[:3]:
        agendas_services.booking_create(
            meeting=meeting,
            child=child,
            request_type=request_type,
            reason="To agree the plan for permanence before the second review.",
            booked_by=administrator,
        )


def _build_tracking_list(panel: Panel, administrator, today: date) -> None:
    """The children due at panel by its next meeting, on its tracking section's list."""
    meeting = panel.meetings.filter(date__gt=today).order_by("date").first()
    section = agendas_selectors.tracking_sections(meeting).first() if meeting else None
    if section is None:
        return
    found = agendas_selectors.tracking_candidates(meeting=meeting, section=section, rule="due")
    agendas_services.tracking_list_add(
        meeting=meeting,
        section=section,
        children=[candidate.child for candidate in found if not candidate.on_this_agenda],
        booked_by=administrator,
    )


def _a_journey(number: int, today: date, rng: random.Random) -> dict:
    """A plausible path through care, chosen by the child's number so every cohort appears."""

    def days_ago(low: int, high: int) -> date:
        return today - timedelta(days=rng.randint(low, high))

    cohort = number % 6
    born = today - relativedelta(years=rng.randint(0, 15), days=rng.randint(30, 330))
    journey = {"date_of_birth": born}
    if cohort == 0:  # pre-proceedings, living at home
        return journey | {"pre_proceedings_start": max(days_ago(10, 120), born)}
    since = max(days_ago(30, 900), born + timedelta(days=1))
    journey |= {
        "looked_after_since": since,
        "placement_start": since,
        "placement_type": rng.choice(
            [PlacementType.U4, PlacementType.U6, PlacementType.U3, PlacementType.K2]
        ),
        "legal_status": LegalStatus.V2,
    }
    in_care_days = (today - since).days
    if in_care_days > 45:
        journey["first_review_date"] = since + timedelta(days=rng.randint(20, 28))
    if in_care_days > 150:
        second = journey["first_review_date"] + relativedelta(months=3)
        journey |= {
            "second_review_date": second,
            "last_review_date": max(second, days_ago(10, 200)),
            "primary_plan": rng.choice(Plan.values),
            "contingency_plan": rng.choice(Plan.values),
            "plan_agreed_date": second,
        }
    if cohort in (1, 2):  # care proceedings
        issued = since + timedelta(days=rng.randint(0, 20))
        journey |= {"proceedings_issued": issued, "legal_status": LegalStatus.C1}
        if cohort == 2 and in_care_days > 200:
            journey |= {
                "final_order_date": issued + timedelta(days=rng.randint(150, 200)),
                "legal_status": LegalStatus.C2,
            }
    elif cohort == 3 and in_care_days > 300:  # adoption
        order = since + timedelta(days=rng.randint(180, 250))
        journey |= {
            "legal_status": LegalStatus.E1,
            "primary_plan": Plan.ADOPTION,
            "placement_order_date": order,
        }
        if number % 12 == 3:
            match = order + timedelta(days=rng.randint(60, 150))
            journey |= {
                "match_date": match,
                "placed_for_adoption_date": match + timedelta(days=21),
                "placement_type": PlacementType.A6,
            }
    elif cohort == 4:  # placed with parents under a care order
        journey |= {
            "legal_status": LegalStatus.C2,
            "placement_type": PlacementType.P1,
            "primary_plan": Plan.PLACEMENT_WITH_PARENTS,
        }
    elif cohort == 5:  # connected person, temporarily approved
        journey |= {
            "placement_type": PlacementType.U3,
            "temporary_approval_date": days_ago(20, 170),
            "primary_plan": Plan.CONNECTED_PERSON_FOSTERING,
        }
        if number % 4 == 1:
            journey["permanence_secured_date"] = days_ago(1, 20)
    if number % 5 == 0:
        journey["last_panel_date"] = days_ago(7, 120)
    return journey
