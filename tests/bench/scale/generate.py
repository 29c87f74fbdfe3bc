"""A group of councils' two years on one installation, at any number of children.

Everything scales with the number of children as the issue's 50,000 did: about 4,000
social workers in some 300 teams, the five councils' panels repeated (70 at 50,000), two
years of their meetings with bookings, submissions, minutes and decisions, about 3.3 open
panel actions a child, 52 outbox emails a child and 20 audit entries a child.

Panels, meetings and their slots come from the project's own services (the preset loader,
`meetings_schedule`), children from the import's bulk writer (`children_bulk_write`, which
works out their derived dates and writes their history). The large tables
are streamed: by COPY on PostgreSQL, in batched INSERTs elsewhere (the test's SQLite).
"""

import dataclasses
import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from agendas import presets
from agendas import services as agendas_services
from agendas.models import AgendaSection, Booking, Meeting, Panel, Slot, Submission
from minutes.models import Decision, Minutes
from permanence.models import Team, User
from permanence.roles import Role
from tracker import services as tracker_services
from tracker.models import Child

# Bumped whenever what is generated changes: a kept database with another version is
# generated again.
VERSION = 2
# The day the two years end; meetings go on for three months after it.
AS_OF = date(2026, 11, 27)
YEARS = 2
AHEAD_DAYS = 92
PRESET_SLUGS = ("torbay", "lancashire", "north-somerset", "knowsley", "somerset")
PASSWORD = "!"  # noqa: S105 - unusable: bench users are signed in by session

# Per child, as seen at 50,000 children in the issue.
CHILDREN_PER_TEAM = 170
SOCIAL_WORKERS_PER_CHILD = 0.08
CHILDREN_PER_PANEL = 714
BOOKINGS_PER_CHILD = 0.3
WAITING_PER_CHILD = 0.02
OPEN_ACTIONS_PER_CHILD = 3.3
DONE_ACTIONS_PER_CHILD = 1.0
EMAILS_PER_CHILD = 52
AUDIT_PER_CHILD = 20
PLANS = ("adoption", "special_guardianship", "long_term_fostering", "")


@dataclasses.dataclass(frozen=True)
class Shape:
    """How many of each thing for so many children."""

    children: int

    def scaled(self, per_child: float, least: int = 1) -> int:
        return max(least, round(self.children * per_child))

    @property
    def teams(self) -> int:
        return self.scaled(1 / CHILDREN_PER_TEAM, least=2)

    @property
    def social_workers(self) -> int:
        return self.scaled(SOCIAL_WORKERS_PER_CHILD, least=4)

    @property
    def panels(self) -> int:
        """Whole sets of the five councils' panels."""
        return len(PRESET_SLUGS) * self.scaled(1 / CHILDREN_PER_PANEL / len(PRESET_SLUGS))

    @property
    def bookings(self) -> int:
        return self.scaled(BOOKINGS_PER_CHILD)

    @property
    def waiting(self) -> int:
        return self.scaled(WAITING_PER_CHILD)

    @property
    def open_actions(self) -> int:
        return self.scaled(OPEN_ACTIONS_PER_CHILD)

    @property
    def done_actions(self) -> int:
        return self.scaled(DONE_ACTIONS_PER_CHILD)

    @property
    def emails(self) -> int:
        return self.scaled(EMAILS_PER_CHILD)

    @property
    def audit_entries(self) -> int:
        return self.scaled(AUDIT_PER_CHILD)


@dataclasses.dataclass
class People:
    administrators: list
    chairs: list
    senior_managers: list
    social_workers: list
    team_managers: list


def generate(children: int, *, say=print) -> Shape:
    """Fill an empty (migrated) database. Deterministic for a number of children."""
    shape = Shape(children)
    rng = random.Random(17)
    with transaction.atomic():
        panels = _panels(shape)
        say(f"  {len(panels)} panels")
        people = _people(shape, panels)
        say(f"  {User.objects.count()} people in {Team.objects.count()} teams")
        _children(shape, people, panels, rng)
    say(f"  {children} children")
    with transaction.atomic():
        _meetings(panels)
        say(f"  {Meeting.objects.count()} meetings")
        _bookings(shape, panels, rng)
        say(f"  {Booking.objects.count()} bookings, {Decision.objects.count()} decisions")
        _actions(shape)
        say("  panel actions")
        _emails(shape)
        say("  outbox")
        _audit(shape)
        say("  audit")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return shape


def _panels(shape: Shape) -> list[Panel]:
    panels = []
    for copy in range(shape.panels // len(PRESET_SLUGS)):
        for slug in PRESET_SLUGS:
            if copy == 0:
                panels.append(agendas_services.panel_preset_load(slug=slug).panel)
                continue
            # Another council's panel of the same kind: the preset under its own name.
            preset = presets.PRESETS[slug]
            twin = dataclasses.replace(
                preset, slug=f"{slug}-{copy + 1}", name=f"{preset.name} ({copy + 1})"
            )
            presets.PRESETS[twin.slug] = twin
            try:
                panels.append(agendas_services.panel_preset_load(slug=twin.slug).panel)
            finally:
                del presets.PRESETS[twin.slug]
    return panels


def _users(role: Role, prefix: str, count: int, teams=None) -> list[User]:
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{n}@bench.example",
            first_name=prefix.replace("-", " ").title().strip(),
            last_name=f"{n}",
            password=PASSWORD,
            team=teams[n % len(teams)] if teams else None,
        )
        for n in range(count)
    )
    group = Group.objects.get_or_create(name=str(role))[0]
    User.groups.through.objects.bulk_create(
        User.groups.through(user=user, group=group) for user in users
    )
    return users


def _people(shape: Shape, panels: list[Panel]) -> People:
    teams = Team.objects.bulk_create(Team(name=f"Team {n:03d}") for n in range(shape.teams))
    people = People(
        administrators=_users(Role.ADMINISTRATOR, "admin-", max(1, len(panels) // 5)),
        chairs=_users(Role.CHAIR, "chair-", len(panels)),
        senior_managers=_users(Role.SENIOR_MANAGER, "senior-", max(1, len(panels) // 5)),
        social_workers=_users(Role.SOCIAL_WORKER, "sw-", shape.social_workers, teams),
        team_managers=_users(Role.TEAM_MANAGER, "tm-", len(teams), teams),
    )
    for panel, chair in zip(panels, people.chairs, strict=True):
        panel.chair = chair
    Panel.objects.bulk_update(panels, ["chair"])
    return people


def _children(shape: Shape, people: People, panels: list[Panel], rng: random.Random) -> None:
    managers = {manager.team_id: manager for manager in people.team_managers}
    workers = people.social_workers
    rows = []
    for n in range(shape.children):
        worker = workers[n % len(workers)]
        since = AS_OF - timedelta(days=rng.randint(10, 1500))
        child = {
            "case_number": f"S{n:06d}",
            "first_name": f"Child{n}",
            "last_name": f"Scale{n % 997}",
            "date_of_birth": since - timedelta(days=rng.randint(30, 5000)),
            "team_id": worker.team_id,
            "social_worker": worker,
            "team_manager": managers[worker.team_id],
            "panel": panels[n % len(panels)],
            "looked_after_since": since if n % 5 else None,
            "pre_proceedings_start": since if n % 5 == 0 else None,
            "legal_status": rng.choice(["C1", "C2", "E1", "V2"]),
            "placement_type": rng.choice(["U4", "U6", "P1", "K2"]),
            "primary_plan": rng.choice(PLANS),
        }
        if n % 3 == 0:
            child["proceedings_issued"] = since + timedelta(days=rng.randint(0, 30))
        if n % 7 == 0:
            child["placement_order_date"] = since + timedelta(days=200)
        if n % 11 == 0 and n % 5:
            child["first_review_date"] = since + timedelta(days=25)
        rows.append(child)
    # The import's writer: derived dates and history as an import of the file would make.
    tracker_services.children_bulk_write(new=rows, changed=[])


def _meetings(panels: list[Panel]) -> None:
    start = AS_OF - timedelta(days=365 * YEARS)
    end = AS_OF + timedelta(days=AHEAD_DAYS)
    for panel in panels:
        day = start
        while day <= end:  # the service schedules at most a year at a time
            last = min(end, day + timedelta(days=365))
            agendas_services.meetings_schedule(panel=panel, start=day, end=last)
            day = last + timedelta(days=1)


def _stamp(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _bookings(shape: Shape, panels: list[Panel], rng: random.Random) -> None:
    """Each panel's children booked into its meetings in turn, a slot each while there are
    slots; those at meetings already held have a submission and a decision, and each held
    meeting its minutes."""
    meetings = list(Meeting.objects.order_by("date", "pk"))
    slots = {}
    for slot in Slot.objects.order_by("meeting_id", "section__order", "number"):
        slots.setdefault(slot.meeting_id, []).append(slot)
    first_section = {}
    for section in AgendaSection.objects.order_by("panel_id", "order"):
        first_section.setdefault(section.panel_id, section)
    request_types = {
        panel.pk: [kind for kind in panel.request_types.order_by("order") if kind.default_section]
        for panel in panels
    }
    outcomes = {panel.pk: list(panel.outcomes.order_by("order")) for panel in panels}
    children_of = {}
    for child in Child.objects.order_by("pk").only("pk", "panel_id", "social_worker_id"):
        children_of.setdefault(child.panel_id, []).append(child)
    turn = dict.fromkeys(children_of, 0)

    booked = shape.bookings - shape.waiting
    bookings = []
    for n, meeting in enumerate(meetings):
        wanted = booked * (n + 1) // len(meetings) - booked * n // len(meetings)
        places = slots.get(meeting.pk, [])
        kinds = request_types[meeting.panel_id]
        for k in range(wanted):
            children = children_of[meeting.panel_id]
            child = children[turn[meeting.panel_id] % len(children)]
            turn[meeting.panel_id] += 1
            slot = places[k] if k < len(places) else None
            section = slot.section if slot and slot.section else first_section[meeting.panel_id]
            cancelled = rng.random() < 0.05
            kind = kinds[k % len(kinds)] if kinds else None
            bookings.append(
                Booking(
                    panel_id=meeting.panel_id,
                    meeting=meeting,
                    section=section,
                    slot=None if cancelled else slot,
                    child=child,
                    request_type=kind or meeting.panel.request_types.first(),
                    reason="For the panel's view on the plan for permanence.",
                    social_worker_id=child.social_worker_id,
                    status=Booking.Status.CANCELLED if cancelled else Booking.Status.BOOKED,
                    cancelled_reason="Moved to a later panel." if cancelled else "",
                )
            )
    for n in range(shape.waiting):
        panel = panels[n % len(panels)]
        children = children_of[panel.pk]
        child = children[(len(children) - 1 - n // len(panels)) % len(children)]
        bookings.append(
            Booking(
                panel=panel,
                section=first_section[panel.pk],
                child=child,
                request_type=request_types[panel.pk][0],
                reason="Waiting for a place on the agenda.",
                social_worker_id=child.social_worker_id,
                status=Booking.Status.WAITING,
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=5000)

    held = {meeting.pk: meeting for meeting in meetings if meeting.date < AS_OF}
    Minutes.objects.bulk_create(
        Minutes(
            meeting=meeting,
            notes="Apologies received.",
            ratified_at=_stamp(meeting.date + timedelta(days=14)),
            distributed_at=_stamp(meeting.date + timedelta(days=15)),
        )
        for meeting in held.values()
        if meeting.date < AS_OF - timedelta(days=30)
    )
    submissions, decisions = [], []
    for booking in bookings:
        if booking.status != Booking.Status.BOOKED:
            continue
        day = booking.meeting.date
        submitted = day - timedelta(days=10) < AS_OF
        submissions.append(
            Submission(
                booking=booking,
                reason_for_presentation="Plan for permanence to be agreed.",
                current_plan="Adoption; contingency long-term fostering.",
                ask_of_panel="Agree the plan.",
                submitted_at=_stamp(day - timedelta(days=10)) if submitted else None,
                submitted_by_id=booking.social_worker_id if submitted else None,
            )
        )
        if booking.meeting_id in held:
            choices = outcomes[booking.panel_id]
            decisions.append(
                Decision(
                    booking=booking,
                    outcome=choices[booking.pk % len(choices)],
                    rationale="The plan meets the child's needs.",
                    primary_plan="adoption",
                    recorded_at=_stamp(day, 15),
                )
            )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    Decision.objects.bulk_create(decisions, batch_size=5000)


# The big tables: rows made here, written by COPY (PostgreSQL) or INSERT (elsewhere).


def _write(table: str, columns: tuple[str, ...], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        insert = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 - our own names
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(insert, batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)


def _spread(n: int, count: int) -> datetime:
    """The nth of count moments, evenly over the two years."""
    span = YEARS * 365 * 24 * 3600
    return _stamp(AS_OF - timedelta(days=YEARS * 365)) + timedelta(seconds=span * n // count)


def _actions(shape: Shape) -> None:
    """Actions from the decisions, owned by the child's social worker; most still open."""
    decided = list(
        Decision.objects.order_by("pk").values_list(
            "pk", "booking__child_id", "booking__child__social_worker_id", "recorded_at"
        )
    )
    total = shape.open_actions + shape.done_actions

    def rows():
        for n in range(total):
            decision, child, owner, recorded = decided[n % len(decided)]
            done = n >= shape.open_actions
            due = recorded.date() + timedelta(days=28 + 7 * (n // len(decided)))
            yield (
                "Update the child's plan and send it to the panel adviser.",
                due,
                recorded + timedelta(days=20) if done else None,
                "Done and sent." if done else "",
                recorded,
                child,
                owner,
                decision,
            )

    _write(
        "minutes_panelaction",
        (
            "description",
            "due_date",
            "completed_at",
            "completion_note",
            "created_at",
            "child_id",
            "owner_id",
            "decision_id",
        ),
        rows(),
    )


EMAIL_KINDS = ("booking", "submission_due", "decision", "action_due", "agenda", "review_due")
EMAIL_TEXT = (
    "Dear colleague,\n\nThis is about the child S000000 (A.B.) and their panel. "
    "Please sign in to the permanence panel service to see what is needed and by when.\n\n"
    "Permanence panel administrator\n"
)
EMAIL_HTML = "".join(f"<p>{line}</p>" for line in EMAIL_TEXT.split("\n") if line)


def _emails(shape: Shape) -> None:
    people = list(User.objects.order_by("pk").values_list("pk", "email"))
    count = shape.emails

    def rows():
        for n in range(count):
            recipient, address = people[n % len(people)]
            kind = EMAIL_KINDS[n % len(EMAIL_KINDS)]
            created = _spread(n, count)
            # The last day's emails wait or failed; everything before went.
            status = "sent" if n < count - count // 500 else ("failed" if n % 5 == 0 else "pending")
            yield (
                f"bench:{kind}:{n}",
                kind,
                f"child:{n % shape.children}",
                address,
                f"Permanence panel: {kind.replace('_', ' ')} for S{n % shape.children:06d}",
                EMAIL_TEXT,
                EMAIL_HTML,
                created.date() + timedelta(days=14),
                status,
                1 if status == "sent" else 3 if status == "failed" else 0,
                "Connection refused" if status == "failed" else "",
                created,
                created + timedelta(minutes=1) if status == "sent" else None,
                recipient,
                "[]",
            )

    _write(
        "permanence_notification",
        (
            "key",
            "kind",
            "about",
            "to",
            "subject",
            "body_text",
            "body_html",
            "due_on",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
            "recipient_id",
            "attachments",
        ),
        rows(),
    )


AUDIT_ACTIONS = ("viewed",) * 7 + ("changed", "exported", "signed-in")


def _audit(shape: Shape) -> None:
    people = list(User.objects.order_by("pk").values_list("pk", "email"))
    children = list(Child.objects.order_by("pk").values_list("pk", "case_number"))
    count = shape.audit_entries

    def rows():
        for n in range(count):
            user, username = people[(n * 7) % len(people)]
            child, case_number = children[(n * 13) % len(children)]
            action = AUDIT_ACTIONS[n % len(AUDIT_ACTIONS)]
            about_child = action in ("viewed", "changed")
            yield (
                username,
                _spread(n, count),
                action,
                "tracker.child" if about_child else "",
                str(child) if about_child else "",
                "C.S." if about_child else "",
                case_number if about_child else "",
                "10.0.0.1",
                f"/tracker/children/{child}/" if about_child else "/",
                user,
            )

    _write(
        "permanence_auditentry",
        (
            "username",
            "at",
            "action",
            "object_type",
            "object_id",
            "label",
            "case_number",
            "ip_address",
            "path",
            "user_id",
        ),
        rows(),
    )


def counts() -> dict[str, int]:
    """What the database holds, table by table, as the report and the test read it."""
    from minutes.models import PanelAction
    from permanence.models import AuditEntry, Notification

    return {
        "children": Child.objects.count(),
        "teams": Team.objects.count(),
        "social_workers": User.objects.filter(groups__name=Role.SOCIAL_WORKER).count(),
        "panels": Panel.objects.count(),
        "meetings": Meeting.objects.count(),
        "bookings": Booking.objects.count(),
        "waiting": Booking.objects.filter(status=Booking.Status.WAITING).count(),
        "submissions": Submission.objects.count(),
        "minutes": Minutes.objects.count(),
        "decisions": Decision.objects.count(),
        "open_actions": PanelAction.objects.filter(completed_at__isnull=True).count(),
        "emails": Notification.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }
