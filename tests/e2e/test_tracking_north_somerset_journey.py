"""Issue 13, North Somerset's Permanency Tracking Panel as a tracking panel: thirty children
are due at January's panel. The administrator builds the "Permanency tracking" list from
the tracker in one step (sees the thirty, and not the two due later, unticks nobody, adds
them); on the day a joint chair works down the list by keyboard alone, a few key presses a
child, and after each save the next child's outcome has the focus; most are on track, one
raises concerns with a new action, two are not discussed, one comes back in 6 weeks. The
chair ratifies the minutes, and the tracker's "Not discussed at panel" count for the day
after the meeting falls by exactly the children discussed. axe runs on every page visited
(on the tracking page: as it opens, after the first save and when all thirty are saved,
rather than after each of thirty saves, to keep the journey fast)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from agendas import services as agendas_services
from agendas.models import Panel
from minutes.models import Decision, Minutes, PanelAction
from permanence.roles import Role
from tests.factories import TeamFactory, UserFactory, winter_meetings
from tracker import services as tracker_services
from tracker.models import Child

from .keyboard import activate, press, sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING_DAY = date(2027, 1, 19)  # the third Tuesday of January
AS_OF = MEETING_DAY + timedelta(days=1)  # the tracker's flags the day after the meeting
LIST_BUILT_ON = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
PANEL_DAY = datetime(2027, 1, 19, 9, 30, tzinfo=UTC)
DAY_AFTER = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)
FIRST_NAMES = [
    "Alfie",
    "Bella",
    "Cara",
    "Dev",
    "Ella",
    "Finn",
    "Gina",
    "Hal",
    "Isla",
    "Jack",
    "Kai",
    "Lola",
    "Milo",
    "Nia",
    "Otto",
    "Pia",
    "Quinn",
    "Rhys",
    "Sara",
    "Theo",
    "Uma",
    "Vic",
    "Wren",
    "Xena",
    "Yusuf",
    "Zara",
    "Amir",
    "Beth",
    "Cody",
    "Dina",
    "Eli",
    "Fern",
]


@pytest.fixture
def person(browser, live_server):
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        sign_in_by_keyboard(page, user.email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def not_discussed_count(page, assert_accessible) -> str:
    """The tracker's count of children raising "Not discussed at panel" the day after."""
    page.goto(f"/children/?as_of={AS_OF.isoformat()}")
    expect(page.get_by_role("heading", level=2, name=re.compile("Drift and delay"))).to_be_visible()
    assert_accessible(page)
    flag = page.locator(".app-flag-summary li").filter(has_text="Not discussed at panel")
    return flag.locator(".govuk-tag").inner_text().strip()


def outcome(page, pk: int):
    return page.locator(f"#id_row-{pk}-outcome")


def save_row(page, pk: int, name: str, next_pk: int) -> None:
    """After a save the page comes back at the next child, whose outcome has the focus."""
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Saved: {name}.")
    expect(page).to_have_url(re.compile(rf"\?at={next_pk}$"))
    expect(outcome(page, next_pk)).to_be_focused()


def type_native_date(page, selector: str, day: date) -> None:
    """Type into the focused <input type=date>. Debian's headless Chromium lays its fields
    out month, day, year whatever the page's locale (an English council's browser shows
    day, month, year), so the digits go in that order; the value proves they landed."""
    expect(page.locator(selector)).to_be_focused()
    page.keyboard.type(f"{day:%m%d%Y}")
    expect(page.locator(selector)).to_have_value(day.isoformat())


def choose_outcome(page, pk: int, typed: str, expected: str) -> None:
    """The focused outcome select jumps to the typed name, as a keyboard user's does."""
    expect(outcome(page, pk)).to_be_focused()
    page.keyboard.type(typed)
    expect(page.locator(f"#id_row-{pk}-outcome option:checked")).to_have_text(expected)


def test_a_joint_chair_works_down_thirty_children_by_keyboard(person, assert_accessible):
    agendas_services.panel_preset_load(slug="north-somerset")
    panel = Panel.objects.get(slug="north-somerset")
    admin = UserFactory(
        roles=[Role.ADMINISTRATOR], email="ptp.admin@council.example", first_name="Bea"
    )
    fran = UserFactory(
        roles=[Role.CHAIR], email="fran@council.example", first_name="Fran", last_name="Field"
    )
    corin = UserFactory(
        roles=[Role.CHAIR], email="corin@council.example", first_name="Corin", last_name="Parr"
    )
    agendas_services.panel_update(
        panel=panel, chair=fran, deputy_chair=corin, deputy_is_joint_chair=True
    )
    team = TeamFactory(name="Children in Care")
    worker = UserFactory(
        roles=[Role.SOCIAL_WORKER],
        email="worker@council.example",
        first_name="Sam",
        last_name="Worker",
        team=team,
    )
    manager = UserFactory(
        roles=[Role.TEAM_MANAGER],
        email="tm@council.example",
        first_name="Tara",
        last_name="Manager",
        team=team,
    )

    def child(n: int, looked_after_since: date, **fields) -> Child:
        return tracker_services.child_create(
            case_number=f"3002{n:02d}",
            first_name=FIRST_NAMES[n],
            last_name="Tracked",
            panel=panel,
            team=team,
            social_worker=worker,
            team_manager=manager,
            looked_after_since=looked_after_since,
            **fields,
        )

    # Thirty due by the meeting: most never heard, every third last heard in October, and
    # the last due on the meeting day itself.
    due = [
        child(
            n,
            date(2026, 3, 2) + timedelta(weeks=n),
            **({"last_panel_date": date(2026, 10, 13)} if n % 3 == 2 else {}),
        )
        for n in range(29)
    ]
    due.append(child(29, date(2026, 10, 19)))
    # Two due after it: the day after, and a fortnight after.
    later = [child(30, date(2026, 10, 20)), child(31, date(2026, 11, 2))]
    assert due[-1].next_panel_due == MEETING_DAY
    assert later[0].next_panel_due == MEETING_DAY + timedelta(days=1)
    (january, *_) = winter_meetings(panel)
    assert january.date == MEETING_DAY
    meeting_url = f"/panels/north-somerset/meetings/{january.pk}/"

    # The administrator builds the list from the tracker, two weeks before.
    with time_machine.travel(LIST_BUILT_ON, tick=True):
        page = person(admin)
        assert not_discussed_count(page, assert_accessible) == "30"
        page.goto(meeting_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("19 January 2027")
        assert_accessible(page)
        activate(page, 'a:has-text("Build the tracking list for Permanency tracking")')
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Build the tracking list for “Permanency tracking”"
        )
        assert_accessible(page)
        tab_to(page, "#rule-due", 80)
        page.keyboard.press("Space")
        expect(page.get_by_label("Due or overdue at panel by the meeting date")).to_be_checked()
        press(page, "Show who it finds")
        found = page.locator("#children")
        expect(found.locator("caption")).to_contain_text("30 children found")
        expect(found.locator("tbody tr")).to_have_count(30)
        expect(found.locator("input[type=checkbox]:checked")).to_have_count(30)
        for child_ in later:
            expect(found).not_to_contain_text(child_.full_name)
        expect(found.locator("tbody tr").filter(has_text=due[-1].full_name)).to_contain_text(
            "Due at panel by Tuesday 19 January 2027"
        )
        expect(found.locator("tbody tr").filter(has_text=due[0].full_name)).to_contain_text(
            "Overdue at panel since"
        )
        assert_accessible(page)
        press(page, "Add the ticked children to the list")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "30 children added to “Permanency tracking”."
        )
        expect(page).to_have_url(re.compile(f"{meeting_url}$"))
        assert_accessible(page)
    assert set(january.bookings.values_list("child", flat=True)) == {c.pk for c in due}

    # Panel day: Corin, the second joint chair, records every review by keyboard alone.
    with time_machine.travel(PANEL_DAY, tick=True):
        page = person(corin)
        page.goto(f"{meeting_url}running-order/")
        assert_accessible(page)
        activate(page, 'a:text-is("Tracking reviews: Permanency tracking")')
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Permanency tracking: tracking reviews"
        )
        expect(page.locator("main")).to_contain_text("0 of 30 reviewed")
        assert_accessible(page)
        rows = [
            int(row_id.removeprefix("row-"))
            for row_id in page.locator("section.app-tracking-row").evaluate_all(
                "rows => rows.map(row => row.id)"
            )
        ]
        assert len(rows) == 30
        names = {b.pk: b.child.full_name for b in january.bookings.select_related("child")}
        concerns, first_not_discussed, six_weeks, second_not_discussed = rows[:4]

        # The first child: concerns, with a new action for the social worker.
        tab_to(page, f"#id_row-{concerns}-outcome", 80)
        choose_outcome(page, concerns, "Con", "Concerns: actions set")
        page.keyboard.press("Tab")
        page.keyboard.type("Contact with birth mother has stopped.")
        page.keyboard.press("Tab")
        page.keyboard.type("Re-start supervised contact")
        page.keyboard.press("Tab")
        page.keyboard.type("Sam")
        expect(page.locator(f"#id_row-{concerns}-action_owner option:checked")).to_have_text(
            "Sam Worker"
        )
        page.keyboard.press("Tab")
        type_native_date(page, f"#id_row-{concerns}-action_due", date(2027, 2, 16))
        page.keyboard.press("Enter")
        save_row(page, concerns, names[concerns], first_not_discussed)
        assert_accessible(page)

        # Not discussed: the outcome, then straight to Save past the empty fields.
        choose_outcome(page, first_not_discussed, "N", "Not discussed")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        save_row(page, first_not_discussed, names[first_not_discussed], six_weeks)

        # On track, back in 6 weeks.
        choose_outcome(page, six_weeks, "On", "On track")
        page.keyboard.press("Tab")
        page.keyboard.type("Settled; the chair wants her back sooner.")
        tab_to(page, f"#id_row-{six_weeks}-comes_back_every", 10)
        page.keyboard.type("6")
        page.keyboard.press("Tab")
        page.keyboard.type("w")
        expect(page.locator(f"#id_row-{six_weeks}-comes_back_unit option:checked")).to_have_text(
            "weeks"
        )
        tab_to(page, f"#row-{six_weeks} .app-tracking-form button[type=submit]", 10)
        page.keyboard.press("Enter")
        save_row(page, six_weeks, names[six_weeks], second_not_discussed)

        choose_outcome(page, second_not_discussed, "N", "Not discussed")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        save_row(page, second_not_discussed, names[second_not_discussed], rows[4])

        # The other twenty-six: on track, three key presses each.
        for pk, next_pk in zip(rows[4:], [*rows[5:], rows[-1]], strict=True):
            choose_outcome(page, pk, "On", "On track")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            save_row(page, pk, names[pk], next_pk)
        expect(page.locator("main")).to_contain_text("30 of 30 reviewed")
        expect(page.locator(f"#row-{concerns} h2")).to_contain_text("Concerns: actions set")
        expect(page.locator(f"#row-{first_not_discussed} h2")).to_contain_text("Not discussed")
        expect(page.locator(f"#row-{six_weeks}")).to_contain_text("(chair: every 6 weeks)")
        assert_accessible(page)

    decisions = Decision.objects.filter(booking__meeting=january)
    assert decisions.count() == 30
    action = PanelAction.objects.get(decision__booking_id=concerns)
    assert (action.description, action.owner, action.due_date) == (
        "Re-start supervised contact",
        worker,
        date(2027, 2, 16),
    )
    six_weeks_child = Child.objects.get(bookings__pk=six_weeks)
    assert six_weeks_child.next_panel_due == MEETING_DAY + timedelta(weeks=6)
    not_discussed = Child.objects.filter(
        bookings__pk__in=[first_not_discussed, second_not_discussed]
    )
    assert all(child_.last_panel_date != MEETING_DAY for child_ in not_discussed)

    # The day after: the chair ratifies the minutes, which list the reviews like any decision.
    with time_machine.travel(DAY_AFTER, tick=True):
        page = person(corin)
        page.goto(f"{meeting_url}minutes/")
        main = page.locator("main")
        expect(main).to_contain_text(names[concerns])
        expect(main).to_contain_text("Re-start supervised contact")
        expect(main).to_contain_text("Not discussed")
        assert_accessible(page)
        press(page, "Ratify the minutes")
        expect(main).to_contain_text("Ratified by Corin Parr")
        assert_accessible(page)

        # Twenty-eight discussed: the count falls from thirty to the two not discussed.
        page = person(admin)
        assert not_discussed_count(page, assert_accessible) == "2"
        activate(page, '.app-flag-summary a:has-text("Not discussed at panel")')
        table = page.locator("table")
        for child_ in not_discussed:
            expect(table).to_contain_text(child_.full_name)
        expect(table.locator("tbody tr")).to_have_count(2)
        assert_accessible(page)
    assert Minutes.objects.get(meeting=january).ratified_by == corin
