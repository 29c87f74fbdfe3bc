"""The mapping onto the tracker, one test (or a few boundary cases) per rule of issue 15's
"How it maps onto the tracker", through ssda903_import on small returns the tests build."""

from datetime import date

import pytest

from tests.factories import ChildFactory
from tracker import flags, services
from tracker.codes import PlacementType
from tracker.importer.ssda903 import ssda903_import, ssda903_read
from tracker.models import Child

from .returns import Kid, csv_tables

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 28)


def run(*kids: Kid, dry_run: bool = False, **options):
    return ssda903_import(ret=ssda903_read(csv_tables(*kids)), dry_run=dry_run, **options)


def child(case_number: str = "1001") -> Child:
    return Child.objects.get(case_number=case_number)


def refusals(report) -> dict[str, tuple[str, ...]]:
    return {refusal.case_number: refusal.reasons for refusal in report.refused}


# CHILD, SEX and DOB; a new child's name ------------------------------------------------


def test_child_is_the_case_number_with_sex_and_dob_from_the_header_and_a_name_to_fill_in():
    run(Kid("1001", sex="2", dob="07/03/2014", episodes=[("01/04/2020", "S", "C2", "U4", "", "")]))
    new = child()
    assert (new.sex, new.date_of_birth) == ("F", date(2014, 3, 7))
    assert new.full_name == "Unnamed child"


def test_an_existing_child_keeps_names_team_panel_and_social_worker(social_worker, lancashire):
    ada = ChildFactory(
        case_number="1001",
        first_name="Ada",
        last_name="Lovelace",
        team=social_worker.team,
        social_worker=social_worker,
        panel=lancashire,
        primary_plan="adoption",
    )
    run(Kid("1001", episodes=[("01/04/2020", "S", "C2", "U4", "", "")]))
    ada.refresh_from_db()
    assert (ada.full_name, ada.team, ada.social_worker, ada.panel, ada.primary_plan) == (
        "Ada Lovelace",
        social_worker.team,
        social_worker,
        lancashire,
        "adoption",
    )
    assert ada.looked_after_since == date(2020, 4, 1)


# The current period of care ------------------------------------------------------------


def test_a_run_that_opens_with_rne_s_gives_looked_after_since():
    report = run(
        Kid(
            "1001",
            episodes=[
                ("01/04/2020", "S", "C1", "U6", "01/09/2020", "X1"),
                ("01/09/2020", "L", "C2", "U6", "", ""),
            ],
        )
    )
    assert (child().looked_after_since, child().looked_after_since_at_least) == (
        date(2020, 4, 1),
        False,
    )
    assert report.at_least == []


def test_the_current_period_is_the_run_after_the_last_episode_that_ended_care():
    run(
        Kid(
            "1001",
            episodes=[
                ("01/04/2019", "S", "V2", "U6", "01/07/2019", "E4A"),
                ("02/03/2020", "S", "C1", "U6", "01/09/2020", "X1"),
                ("01/09/2020", "P", "C2", "U4", "", ""),
            ],
        )
    )
    assert child().looked_after_since == date(2020, 3, 2)
    assert (child().care_ceased_date, child().care_ceased_reason) == (None, "")


def test_a_period_that_began_before_the_return_is_at_least_its_first_decom_and_reported():
    report = run(Kid("1001", episodes=[("01/04/2020", "P", "C2", "U4", "", "")]))
    assert (child().looked_after_since, child().looked_after_since_at_least) == (
        date(2020, 4, 1),
        True,
    )
    assert report.at_least == [("1001", date(2020, 4, 1))]


@pytest.mark.parametrize(
    ("kept", "expected", "at_least"),
    [
        (date(2020, 3, 31), date(2020, 3, 31), False),  # the day before: the tracker's own
        (date(2020, 4, 1), date(2020, 4, 1), True),  # the same day: the return's, at least
        (date(2020, 4, 2), date(2020, 4, 1), True),  # the day after: the return's, at least
    ],
)
def test_the_trackers_own_earlier_looked_after_since_is_kept(kept, expected, at_least):
    ChildFactory(case_number="1001", looked_after_since=kept)
    run(Kid("1001", episodes=[("01/04/2020", "T", "C2", "U4", "", "")]))
    assert (child().looked_after_since, child().looked_after_since_at_least) == (
        expected,
        at_least,
    )


# Legal status, placement type and the placement's start ------------------------------------


def test_the_latest_open_episode_gives_legal_status_and_placement_and_its_start():
    run(
        Kid(
            "1001",
            episodes=[
                ("01/04/2020", "S", "C1", "U6", "01/06/2020", "X1"),
                ("01/06/2020", "P", "C1", "U4", "01/09/2020", "X1"),
                ("01/09/2020", "L", "C2", "U4", "01/11/2020", "X1"),
                ("01/11/2020", "L", "E1", "U4", "", ""),
            ],
        )
    )
    assert (child().legal_status, child().placement_type, child().placement_start) == (
        "E1",
        "U4",
        date(2020, 6, 1),
    )


# How the period ended -------------------------------------------------------------------


@pytest.mark.parametrize("rec", ["E11", "E12", "E41", "E45", "E46", "E47", "E48"])
def test_a_period_ended_by_permanence_marks_the_child_secured(rec):
    run(Kid("1001", episodes=[("01/04/2020", "S", "E1", "A5", "15/10/2021", rec)]))
    assert child().permanence_secured_date == date(2021, 10, 15)
    assert not child().is_tracked
    assert child().care_ceased_date is None


@pytest.mark.parametrize("rec", ["E13", "E4A", "E8", "E2"])
def test_any_other_end_is_ceased_with_its_reason_and_no_longer_looked_after(rec):
    run(
        Kid(
            "1001",
            episodes=[("01/04/2020", "S", "C2", "U4", "15/10/2021", rec)],
            reviews=["20/04/2020", "20/07/2020"],
        )
    )
    ceased = child()
    assert (ceased.care_ceased_date, ceased.care_ceased_reason) == (date(2021, 10, 15), rec)
    assert ceased.permanence_secured_date is None
    # Nothing is deleted: the period's dates stay on the record.
    assert ceased.looked_after_since == date(2020, 4, 1)
    assert ceased.first_review_date == date(2020, 4, 20)
    # No longer looked after: no reviews fall due and no looked-after flag is raised.
    assert ceased.next_review_due is None
    codes = {flag.code for flag in flags.raised(flags.with_flags(Child.objects, AS_OF).get())}
    assert not codes & {"review_overdue", "no_plan_by_second_review"}


def test_coming_back_into_care_after_permanence_tracks_the_child_again():
    ChildFactory(case_number="1001", permanence_secured_date=date(2019, 5, 1))
    run(Kid("1001", episodes=[("01/04/2020", "S", "C1", "U6", "", "")]))
    assert child().permanence_secured_date is None


# Inconsistent children are refused; the rest import ----------------------------------------


@pytest.mark.parametrize(
    ("next_decom", "reason"),
    [
        (
            "31/08/2020",
            "the episode from 01/04/2020 (episodes.csv, line 2) and the episode "
            "from 31/08/2020 (episodes.csv, line 3) overlap",
        ),
        ("01/09/2020", None),
        (
            "02/09/2020",
            "the episode from 01/04/2020 (episodes.csv, line 2) ends with X1 on "
            "01/09/2020, but the next begins on 02/09/2020",
        ),
    ],
)
def test_x1_means_the_next_episode_begins_the_same_day(next_decom, reason):
    report = run(
        Kid(
            "1001",
            episodes=[
                ("01/04/2020", "S", "C1", "U6", "01/09/2020", "X1"),
                (next_decom, "P", "C1", "U4", "", ""),
            ],
        ),
        Kid("1002", episodes=[("01/04/2020", "S", "C1", "U6", "", "")]),
    )
    assert refusals(report) == ({"1001": (reason,)} if reason else {})
    assert Child.objects.filter(case_number="1001").exists() == (reason is None)
    assert Child.objects.filter(case_number="1002").exists()


def test_episodes_that_make_no_sense_are_refused_with_every_reason():
    report = run(
        Kid("1001", episodes=[("01/04/2020", "S", "C1", "U6", "01/09/2020", "X1")]),
        Kid("1002", episodes=[("01/04/2020", "S", "C1", "U6", "01/03/2020", "E13")]),
        Kid("1003", episodes=[("01/04/2020", "S", "C1", "U6", "", "E13")]),
        Kid("1004", episodes=[("01/04/2020", "S", "C1", "U6", "01/05/2020", "")]),
        Kid(
            "1005",
            episodes=[
                ("01/04/2020", "S", "C1", "U6", "", ""),
                ("01/06/2020", "P", "C1", "U4", "", ""),
            ],
        ),
    )
    assert refusals(report) == {
        "1001": (
            "the episode from 01/04/2020 (episodes.csv, line 2) ends with X1 (another "
            "episode follows) but none does",
        ),
        "1002": (
            "the episode from 01/04/2020 (episodes.csv, line 3) ends (01/03/2020) before "
            "it begins (01/04/2020)",
        ),
        "1003": (
            "the episode from 01/04/2020 (episodes.csv, line 4) has a reason it ended "
            "(REC E13) but no DEC",
        ),
        "1004": (
            "the episode from 01/04/2020 (episodes.csv, line 5) has an end date (DEC) but "
            "no reason (REC)",
        ),
        "1005": (
            "the episode from 01/04/2020 (episodes.csv, line 6) is still open, but another "
            "begins on 01/06/2020",
        ),
    }
    assert not Child.objects.exists()


def test_an_open_episode_carrying_x1_is_simply_open():
    report = run(Kid("1001", episodes=[("01/04/2020", "S", "C1", "U6", "", "X1")]))
    assert report.refused == [] and child().looked_after_since == date(2020, 4, 1)


def test_codes_the_tracker_does_not_know_are_refused_naming_the_code():
    report = run(
        Kid("1001", sex="9", episodes=[("01/04/2020", "Z", "C9", "Q1", "01/05/2020", "E43")]),
        Kid("1002", episodes=[("01/04/2020", "S", "V2", "K3", "", "")]),
    )
    assert refusals(report) == {
        "1001": (
            "SEX “9” is not an SSDA903 code (1 male, 2 female)",
            "RNE “Z” in the episode from 01/04/2020 (episodes.csv, line 2) is not a reason for "
            "new episode code the tracker knows",
            "LS “C9” in the episode from 01/04/2020 (episodes.csv, line 2) is not a legal "
            "status code the tracker knows",
            "PLACE “Q1” in the episode from 01/04/2020 (episodes.csv, line 2) is not a placement "
            "type code the tracker knows",
            "REC “E43” in the episode from 01/04/2020 (episodes.csv, line 2) is not a reason "
            "episode ceased code the tracker knows",
        )
    }
    assert child("1002").placement_type == "K3"


def test_the_tracker_knows_k3_and_the_dfe_meanings_of_t0_to_t4():
    assert PlacementType("K3").label == "K3 Registered supported accommodation"
    assert [PlacementType(f"T{n}").label for n in range(5)] == [
        "T0 All types of temporary move",
        "T1 Temporary periods in hospital",
        "T2 Temporary absences of the child on holiday",
        "T3 Temporary accommodation while the usual foster carers are on holiday",
        "T4 Temporary accommodation of seven days or less, not covered by T1 to T3",
    ]


def test_a_child_the_trackers_own_rules_refuse_is_refused_in_its_words():
    report = run(
        Kid(
            "1001",
            episodes=[("01/04/2020", "S", "E1", "A5", "", "")],
            matches=["01/05/2020"],
        ),
        Kid("1002", dob="01/01/1990", episodes=[("01/04/2020", "S", "C1", "U6", "", "")]),
    )
    # Placed (01/04/2020) before the match (01/05/2020); a DOB more than 25 years ago.
    assert refusals(report)["1001"] == (
        "Placed for adoption date: The child cannot be placed for adoption before the match "
        "(1 May 2020)",
    )
    assert refusals(report)["1002"][0].startswith("Date of birth: Enter a date of birth no more")


def test_a_child_with_no_episodes_is_left_alone_and_reported():
    report = run(Kid("1001"))
    assert [(s.case_number, s.reasons) for s in report.skipped] == [
        ("1001", ("no episodes of care in the return",))
    ]
    assert not Child.objects.exists()


# Reviews ---------------------------------------------------------------------------------


def test_reviews_fill_first_second_and_latest_within_the_current_period():
    run(
        Kid(
            "1001",
            episodes=[
                ("01/04/2018", "S", "V2", "U6", "01/10/2018", "E4A"),
                ("02/03/2020", "S", "C1", "U6", "", ""),
            ],
            # Before the period (the day before it began), on its first day, then two more.
            reviews=["01/03/2020", "02/03/2020", "15/06/2020", "15/12/2020", "01/05/2018"],
        )
    )
    reviewed = child()
    assert (
        reviewed.first_review_date,
        reviewed.second_review_date,
        reviewed.last_review_date,
    ) == (date(2020, 3, 2), date(2020, 6, 15), date(2020, 12, 15))
    # Derived dates recomputed: the next review six months after the latest.
    assert reviewed.next_review_due == date(2021, 6, 15)


def test_one_review_is_the_first_only():
    run(Kid("1001", episodes=[("02/03/2020", "S", "C1", "U6", "", "")], reviews=["20/03/2020"]))
    assert (child().first_review_date, child().second_review_date, child().last_review_date) == (
        date(2020, 3, 20),
        None,
        None,
    )
    assert child().next_review_due == date(2020, 6, 20)


def test_a_return_that_begins_mid_period_keeps_the_trackers_first_reviews():
    ChildFactory(
        case_number="1001",
        looked_after_since=date(2019, 1, 7),
        first_review_date=date(2019, 2, 1),
        second_review_date=date(2019, 5, 1),
        last_review_date=date(2019, 11, 1),
    )
    run(Kid("1001", episodes=[("01/04/2020", "P", "C2", "U4", "", "")], reviews=["01/05/2020"]))
    assert (child().first_review_date, child().second_review_date, child().last_review_date) == (
        date(2019, 2, 1),
        date(2019, 5, 1),
        date(2020, 5, 1),
    )


# Adoption --------------------------------------------------------------------------------


def test_placed_for_adoption_is_the_first_a3_to_a6_decom_and_date_placed_is_the_decision():
    run(
        Kid(
            "1001",
            episodes=[
                ("01/04/2019", "S", "C1", "U4", "01/10/2019", "X1"),
                ("01/10/2019", "L", "E1", "U5", "03/02/2020", "X1"),
                ("03/02/2020", "P", "E1", "A6", "01/03/2020", "X1"),
                ("01/03/2020", "P", "E1", "A5", "", ""),
            ],
            placed=["20/12/2019"],
            matches=["15/01/2020"],
        )
    )
    adopted = child()
    assert adopted.placed_for_adoption_date == date(2020, 2, 3)
    assert adopted.adoption_decision_date == date(2019, 12, 20)
    assert adopted.match_date == date(2020, 1, 15)
    assert adopted.adoption_application_due == date(2020, 8, 3)  # recomputed: 6 months


# Dry run, twice, progress ------------------------------------------------------------------


def test_a_dry_run_shows_each_change_old_to_new_and_saves_nothing():
    ChildFactory(case_number="1001", legal_status="C1", placement_type="U6")
    report = run(
        Kid("1001", episodes=[("01/04/2020", "S", "C2", "U6", "", "")]),
        Kid("1002", episodes=[("01/04/2020", "S", "V2", "K2", "", "")]),
        dry_run=True,
    )
    assert (report.created, report.updated) == (1, 1)
    updated = next(c for c in report.changed if not c.created)
    assert [str(change) for change in updated.changes] == [
        "Date of birth: empty → Sunday 1 February 2015",
        "Sex: empty → Male",
        "Looked after since: empty → Wednesday 1 April 2020",
        "Legal status: C1 Interim care order → C2 Full care order",
        "Placement start: empty → Wednesday 1 April 2020",
    ]
    assert child().legal_status == "C1"
    assert not Child.objects.filter(case_number="1002").exists()


def test_running_the_same_return_twice_changes_nothing_the_second_time():
    kids = (
        Kid("1001", episodes=[("01/04/2020", "P", "C2", "U4", "", "")], reviews=["01/05/2020"]),
        Kid("1002", episodes=[("01/04/2020", "S", "C2", "U4", "01/06/2021", "E13")]),
    )
    first = run(*kids)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    versions = dict(Child.objects.values_list("case_number", "version"))
    second = run(*kids)
    assert (second.created, second.updated, second.unchanged, second.changed) == (0, 0, 2, [])
    assert dict(Child.objects.values_list("case_number", "version")) == versions


def test_progress_is_told_to_the_end(administrator):
    seen = []
    run(
        Kid("1001", episodes=[("01/04/2020", "S", "C2", "U4", "", "")]),
        progress=lambda done, total: seen.append((done, total)),
        by=administrator,
    )
    assert seen[-1] == (1, 1)
    assert child().history.first().history_user == administrator


def test_derived_dates_are_recomputed_across_a_bank_holiday_week():
    # Looked after from Monday 14 December 2026: the first review is due 20 working days on,
    # past Christmas Day, the Boxing Day substitute (Monday 28th) and New Year's Day.
    run(Kid("1001", episodes=[("14/12/2026", "S", "C1", "U6", "", "")]))
    assert child().next_review_due == date(2027, 1, 14)
    assert child().second_review_due == date(2027, 4, 14)


def test_a_looked_after_date_entered_by_hand_is_no_longer_at_least(administrator):
    run(Kid("1001", episodes=[("01/04/2020", "P", "C2", "U4", "", "")]))
    services.child_update(child=child(), changed_by=administrator, legal_status="C2")
    assert child().looked_after_since_at_least
    services.child_update(
        child=child(), changed_by=administrator, looked_after_since=date(2019, 6, 3)
    )
    assert (child().looked_after_since, child().looked_after_since_at_least) == (
        date(2019, 6, 3),
        False,
    )
    # The next return keeps the earlier date the administrator entered.
    run(Kid("1001", episodes=[("01/04/2020", "P", "C2", "U4", "", "")]))
    assert (child().looked_after_since, child().looked_after_since_at_least) == (
        date(2019, 6, 3),
        False,
    )


def test_a_period_that_ended_before_the_return_does_not_lend_its_start_to_the_next():
    ChildFactory(
        case_number="1001",
        looked_after_since=date(2017, 5, 1),
        care_ceased_date=date(2018, 1, 10),
        care_ceased_reason="E4B",
    )
    run(Kid("1001", episodes=[("01/04/2020", "P", "C2", "U4", "", "")]))
    back = child()
    assert (back.looked_after_since, back.looked_after_since_at_least) == (date(2020, 4, 1), True)
    assert (back.care_ceased_date, back.care_ceased_reason) == (None, "")


def test_a_child_id_longer_than_the_trackers_case_numbers_is_refused():
    long_id = "9" * 31
    report = run(Kid(long_id, episodes=[("01/04/2020", "S", "C2", "U4", "", "")]))
    assert refusals(report) == {
        long_id: ("Case number: Ensure this value has at most 30 characters (it has 31).",)
    }
