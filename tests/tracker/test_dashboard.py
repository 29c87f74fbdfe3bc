"""The drift-and-delay board: counts under each flag that open the same children in the
tracker, by team, panel and social worker within what the person may see, the cohorts and
plans, the month and year before, at a constant number of queries."""

import csv
import io
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from permanence.roles import Role
from tests.factories import PanelFactory, TeamFactory, UserFactory
from tracker import services
from tracker.dashboard import COHORT_DEFINITIONS, comparison_dates, trend_dates
from tracker.filters import COHORTS
from tracker.flags import FLAGS

pytestmark = pytest.mark.django_db

URL = reverse("tracker:dashboard")
# Issued Monday 1 June 2026: the 26 weeks end on Sunday 29 November 2026 (issue + 181 days).
ISSUED = date(2026, 6, 1)
LAST_DAY = date(2026, 11, 29)


def make_child(number: int, **fields):
    return services.child_create(
        case_number=f"DB{number:05d}",
        first_name=f"First{number}",
        last_name=f"Last{number}",
        **fields,
    )


@pytest.fixture
def council():
    """Two teams, each with a social worker and a team manager; three children in the north
    in proceedings (one of them with no social worker), one in the south."""
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    people = {
        "north_sw": UserFactory(
            roles=[Role.SOCIAL_WORKER], team=north, first_name="Nia", last_name="North"
        ),
        "south_sw": UserFactory(
            roles=[Role.SOCIAL_WORKER], team=south, first_name="Seb", last_name="South"
        ),
        "north_tm": UserFactory(roles=[Role.TEAM_MANAGER], team=north),
        "senior": UserFactory(roles=[Role.SENIOR_MANAGER]),
    }
    panel = PanelFactory(preset="somerset")
    children = [
        make_child(
            1,
            team=north,
            social_worker=people["north_sw"],
            panel=panel,
            looked_after_since=ISSUED,
            proceedings_issued=ISSUED,
            primary_plan="adoption",
            contingency_plan="long_term_fostering",
        ),
        make_child(2, team=north, social_worker=people["north_sw"], proceedings_issued=ISSUED),
        make_child(3, team=north, pre_proceedings_start=date(2026, 9, 1)),
        make_child(
            4,
            team=south,
            social_worker=people["south_sw"],
            panel=panel,
            proceedings_issued=ISSUED,
            placement_type="P1",
            looked_after_since=ISSUED,
        ),
        # Secured: never counted.
        make_child(
            5,
            team=north,
            proceedings_issued=ISSUED,
            permanence_secured_date=date(2026, 10, 1),
        ),
    ]
    return {**people, "north": north, "south": south, "panel": panel, "children": children}


def page_of(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def links_in(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def table(html: str, table_id: str) -> list[list[str]]:
    """The rows of the table under the heading with this id, each cell's text."""
    section = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", section, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        text = [re.sub(r"<span class=\"govuk-visually-hidden\">.*?</span>", "", c) for c in cells]
        rows.append([" ".join(re.sub(r"<[^>]+>", "", t).split()) for t in text])
    return rows


def flag_row(html: str, label: str) -> list[str]:
    return next(row for row in table(html, "flags") if row[0] == label)


LATE = "Care proceedings over 26 weeks"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (LAST_DAY - timedelta(days=1), "0"),
        (LAST_DAY, "0"),  # the last day of the 26 weeks: not yet late
        (LAST_DAY + timedelta(days=1), "3"),
    ],
)
def test_the_flag_count_on_the_day_before_of_and_after_the_26_weeks(
    client, council, as_of, expected
):
    html = page_of(client, council["senior"], as_of=as_of.isoformat()).content.decode()
    assert flag_row(html, LATE)[1] == expected


def test_a_flag_count_opens_the_same_children_in_the_tracker(client, council):
    as_of = LAST_DAY + timedelta(days=1)
    html = page_of(client, council["senior"], as_of=as_of.isoformat()).content.decode()
    link = f"/children/?flag=proceedings_over_26_weeks&as_of={as_of.isoformat()}"
    assert link in links_in(html)
    tracker = client.get(link).content.decode()
    assert "3 children match these filters" in tracker
    for number in (1, 2, 4):
        assert f"DB{number:05d}" in tracker
    assert "DB00005" not in tracker  # secured


def test_the_month_and_year_before_are_judged_as_of_their_own_dates(client, council):
    # 30 December 2026: a month before is 30 November (late), a year before is 2025 (not).
    html = page_of(client, council["senior"], as_of="2026-12-30").content.decode()
    head = table(html, "flags")[0]
    assert head[1:] == [
        "As of Wednesday 30 December 2026",
        "A month before Monday 30 November 2026",
        "A year before Tuesday 30 December 2025",
    ]
    assert flag_row(html, LATE)[1:] == ["3", "3", "0"]
    assert "/children/?flag=proceedings_over_26_weeks&as_of=2026-11-30" in links_in(html)
    assert "as they stand today" in html


def test_comparison_dates_keep_to_the_month_end():
    assert [on for _, on in comparison_dates(date(2027, 3, 31))] == [
        date(2027, 3, 31),
        date(2027, 2, 28),
        date(2026, 3, 31),
    ]
    assert trend_dates(date(2027, 3, 31))[0] == date(2026, 4, 30)
    assert trend_dates(date(2027, 3, 31))[-1] == date(2027, 3, 31)
    assert len(trend_dates(date(2027, 3, 31))) == 12


def test_counts_by_team_panel_and_social_worker_link_to_the_filtered_tracker(client, council):
    as_of = (LAST_DAY + timedelta(days=1)).isoformat()
    html = page_of(client, council["senior"], as_of=as_of).content.decode()
    # Its column after the total and those with at least one flag.
    late = 3 + [flag.label for flag in FLAGS].index(LATE)
    teams = {row[0]: (row[1], row[2], row[late]) for row in table(html, "by-team")[1:]}
    # The north's child in pre-proceedings (since 1 September) raises no flag yet.
    assert teams == {"North": ("3", "2", "2"), "South": ("1", "1", "1")}
    workers = {row[0]: row[late] for row in table(html, "by-social-worker")[1:]}
    assert workers == {"Nia North": "2", "Seb South": "1", "No social worker": "0"}
    assert list(workers)[-1] == "No social worker"
    panels = {row[0]: row[late] for row in table(html, "by-panel")[1:]}
    assert panels == {council["panel"].name: "2", "No panel": "1"}
    links = links_in(html)
    north = council["north"].pk
    assert f"/children/?team={north}&flag=proceedings_over_26_weeks&as_of={as_of}" in links
    tracker = client.get(f"/children/?team={north}&flag=proceedings_over_26_weeks&as_of={as_of}")
    assert "2 children match these filters" in tracker.content.decode()


def test_a_team_manager_sees_their_teams_children_and_workers_only(client, council):
    html = page_of(client, council["north_tm"], as_of="2026-12-01").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "3 children are being tracked in your team" in text
    workers = [row[0] for row in table(html, "by-social-worker")[1:]]
    assert workers == ["Nia North", "No social worker"]
    assert [row[0] for row in table(html, "by-team")[1:]] == ["North"]
    assert "Seb South" not in html


def test_cohorts_and_plans_are_counted_among_the_children_being_tracked(client, council):
    html = page_of(client, council["senior"]).content.decode()
    cohorts = {row[0]: row[2] for row in table(html, "cohorts")[1:]}
    assert cohorts == {
        "Looked after": "2",
        "In pre-proceedings": "1",
        "In care proceedings": "3",
        "Placed with parents": "1",
        "Adoption": "1",
    }
    assert "/children/?cohort=in_proceedings" in links_in(html)
    plans = {row[0]: row[1:] for row in table(html, "plans")[1:]}
    assert plans["Adoption"] == ["1", "0"]
    assert plans["Long-term fostering"] == ["0", "1"]
    assert plans["No plan recorded"] == ["3", "3"]
    assert "/children/?primary_plan=adoption" in links_in(html)


def test_every_cohort_says_what_it_means():
    assert set(COHORT_DEFINITIONS) == set(COHORTS)


def test_a_first_review_due_over_christmas_is_overdue_only_after_the_bank_holidays(client, council):
    # Looked after from Monday 30 November 2026: 20 working days, without 25 and 28
    # December (Christmas Day, and the substitute for Boxing Day), end on Wednesday 30.
    child = make_child(9, team=council["south"], looked_after_since=date(2026, 11, 30))
    assert child.next_review_due == date(2026, 12, 30)
    overdue = "Looked-after review overdue"
    for day, expected in (("2026-12-29", "0"), ("2026-12-30", "0"), ("2026-12-31", "1")):
        html = page_of(client, council["senior"], as_of=day).content.decode()
        # The other looked-after children's reviews came due in July.
        assert int(flag_row(html, overdue)[1]) - 2 == int(expected), day


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SENIOR_MANAGER, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.CHAIR, 200),
        (Role.TEAM_MANAGER, 200),
        (Role.SOCIAL_WORKER, 403),
        (Role.PANEL_MEMBER, 403),
        (Role.BUSINESS_INTELLIGENCE, 403),
    ],
)
def test_who_may_see_the_board(client, role, status):
    client.force_login(UserFactory(roles=[role], team=TeamFactory()))
    assert client.get(URL).status_code == status


def test_a_date_that_is_no_date_is_refused_and_nothing_is_counted(client, council):
    client.force_login(council["senior"])
    html = client.get(URL, {"as_of": "2026-02-30"}).content.decode()
    assert "There is a problem" in html
    assert "As of must be a real date" in html
    assert (
        "govuk-input--error" in html and 'aria-describedby="id_as_of_hint id_as_of_error"' in html
    )
    assert 'id="flags"' not in html


def test_the_table_by_team_downloads_as_csv(client, council):
    client.force_login(council["senior"])
    response = client.get(URL, {"as_of": "2026-11-30", "download": "by_team"})
    assert response["Content-Disposition"] == 'attachment; filename="flags-by-team-2026-11-30.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["team", "children tracked", "with at least one flag", FLAGS[0].code]
    late = rows[0].index("proceedings_over_26_weeks")
    assert [(row[0], row[late]) for row in rows[1:]] == [("North", "2"), ("South", "1")]


def test_the_trend_downloads_as_csv(client, council):
    client.force_login(council["senior"])
    response = client.get(URL, {"as_of": "2026-12-30", "csv": "flagged_by_month"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Children with a flag"]
    assert rows[1][0] == "Jan 2026" and rows[-1][0] == "Dec 2026"
    # Children 1 and 4's first reviews were due Monday 29 June; 2 was due at panel by
    # 1 September and 3 by 1 December (3 months from the start of tracking).
    assert [int(count) for _, count in rows[1:]] == [0, 0, 0, 0, 0, 2, 2, 2, 3, 3, 3, 4]


@pytest.mark.parametrize("count", [5, 60])
def test_the_board_costs_the_same_queries_whatever_the_number_of_children(
    client, django_assert_num_queries, count
):
    """12: the session, the person, their second factor and roles (4); the headline
    figures, and the breakdowns by team, panel and social worker in one (2); the audit
    entry and the session's save, each in its savepoint (6)."""
    client.force_login(UserFactory(roles=[Role.SENIOR_MANAGER]))
    teams = [TeamFactory(name=f"Team {n}") for n in range(3)]
    workers = [UserFactory(roles=[Role.SOCIAL_WORKER], team=team) for team in teams]
    for n in range(count):
        make_child(
            100 + n,
            team=teams[n % 3],
            social_worker=workers[n % 3],
            looked_after_since=date(2026, 1, 5),
            proceedings_issued=ISSUED,
        )
    with django_assert_num_queries(12):
        assert client.get(URL, {"as_of": "2026-12-01"}).status_code == 200


def test_the_charts_have_a_text_alternative_a_table_and_a_csv(client, council):
    html = page_of(client, council["senior"], as_of="2026-12-30").content.decode()
    assert (
        'role="img" aria-labelledby="chart-flagged_by_team-title chart-flagged_by_team-desc"'
        in (html)
    )
    assert (
        "Bar chart of children with a flag by team. "
        "Children tracked: highest North (3 children), lowest South (1 child)" in html
    )
    assert "Figures: children with at least one flag, month by month" in html
    response = client.get(URL, {"as_of": "2026-12-30", "csv": "flagged_by_team"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Team", "Children tracked", "With at least one flag"],
        ["North", "3", "3"],
        ["South", "1", "1"],
    ]
