"""Issue 11: the export keeps the page's sort, one derived last_panel_date, a CSV safe to open
in a spreadsheet that still re-imports unchanged, and an XLSX made for reading."""

import csv
from datetime import date
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from agendas import services as agendas_services
from agendas.models import Panel
from minutes import services as minutes_services
from permanence.roles import Role
from tests.factories import ChildFactory
from tracker import services
from tracker.exports import EXPORT_COLUMNS, XLSX_COLUMNS, export_response
from tracker.importer import children_import
from tracker.models import Child

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 22)


def export_csv(*options: str) -> str:
    out = StringIO()
    call_command("export_tracker", "--as-of", "2026-11-22", *options, stdout=out)
    return out.getvalue()


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(data: bytes) -> list[dict]:
    sheet = load_workbook(BytesIO(data), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=False)) for row in rows]


def total_history() -> int:
    return sum(child.history.count() for child in Child.objects.all())


# The page's sort ------------------------------------------------------------------------


@pytest.fixture
def three_children():
    """Looked after since three different dates, and one not looked after (unknown)."""
    for case_number, since in [
        ("CN1", date(2026, 3, 2)),
        ("CN2", None),
        ("CN3", date(2026, 9, 1)),
        ("CN4", date(2025, 12, 1)),
    ]:
        ChildFactory(case_number=case_number, looked_after_since=since)


def download(client, **query) -> tuple[list[str], list[str]]:
    """The case numbers in the CSV and the XLSX the tracker page gives for this query."""
    url = reverse("tracker:list")
    in_csv = client.get(url, {**query, "export": "csv"})
    in_xlsx = client.get(url, {**query, "export": "xlsx"})
    body = b"".join(in_csv.streaming_content).decode()
    return (
        [row["case_number"] for row in csv_rows(body)],
        [row["case_number"] for row in xlsx_rows(b"".join(in_xlsx.streaming_content))],
    )


def test_the_download_link_carries_the_pages_sort(administrator_client, three_children):
    page = administrator_client.get(reverse("tracker:list"), {"sort": "-looked_after_since"})
    export_queries = page.context["export_queries"]
    assert "sort=-looked_after_since" in export_queries["csv"]
    assert "sort=-looked_after_since" in export_queries["xlsx"]


def test_sorted_by_a_date_latest_first_the_files_come_in_the_pages_order(
    administrator_client, three_children
):
    page = administrator_client.get(reverse("tracker:list"), {"sort": "-looked_after_since"})
    on_the_page = [child.case_number for child in page.context["table"].page.object_list.data]

    in_csv, in_xlsx = download(administrator_client, sort="-looked_after_since")

    # Unknown dates last, as on the page, whichever way it runs.
    assert on_the_page == ["CN3", "CN1", "CN4", "CN2"]
    assert in_csv == in_xlsx == on_the_page
    assert (
        download(administrator_client, sort="looked_after_since")
        == (["CN4", "CN1", "CN3", "CN2"],) * 2
    )


def test_the_filters_sort_by_orders_the_files_too(administrator_client, three_children):
    assert (
        download(administrator_client, order="-looked_after_since")
        == (["CN3", "CN1", "CN4", "CN2"],) * 2
    )


def test_with_no_sort_the_files_come_in_the_pages_default_order(administrator_client):
    for case_number, since, last_name in [
        ("CN1", date(2026, 3, 2), "Zed"),
        ("CN2", None, "Able"),  # no tracking start: no panel due
        ("CN3", date(2025, 3, 3), "Mid"),
    ]:
        services.child_create(
            case_number=case_number,
            first_name="Test",
            last_name=last_name,
            looked_after_since=since,
        )

    page = administrator_client.get(reverse("tracker:list"))
    on_the_page = [child.case_number for child in page.context["table"].page.object_list.data]

    assert on_the_page == ["CN3", "CN1", "CN2"]  # next panel due, earliest first
    assert download(administrator_client) == (on_the_page, on_the_page)


def test_a_social_worker_downloads_only_their_own_children_in_order(client, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    ChildFactory(case_number="CN1", social_worker=worker, looked_after_since=date(2026, 1, 5))
    ChildFactory(case_number="CN2", social_worker=worker, looked_after_since=date(2026, 6, 1))
    ChildFactory(case_number="CN3", looked_after_since=date(2026, 3, 2))
    client.force_login(worker)
    assert download(client, sort="-looked_after_since") == (["CN2", "CN1"], ["CN2", "CN1"])


# last_panel_date: one column, the derived value ---------------------------------------------


# Lancashire meets on the second Wednesday: 13 January 2027 is the first meeting scheduled.
DECIDED_ON = date(2027, 1, 13)


@pytest.fixture
def decided_child(make_user):
    """A child recorded as last at panel on 4 June 2026, then decided on 13 January 2027."""
    chair, administrator = make_user(Role.CHAIR), make_user(Role.ADMINISTRATOR)
    agendas_services.panel_preset_load(slug="lancashire")
    panel = Panel.objects.get(slug="lancashire")
    panel.chair = chair
    panel.save()
    child = services.child_create(
        case_number="CN0042",
        first_name="Ada",
        last_name="Lovelace",
        panel=panel,
        looked_after_since=date(2026, 1, 5),
        last_panel_date=date(2026, 6, 4),
    )
    with time_machine.travel(date(2026, 12, 1), tick=False):
        meeting = agendas_services.meetings_schedule(
            panel=panel, start=date(2027, 1, 1), end=date(2027, 1, 31)
        ).created[0]
        booking = agendas_services.booking_create(
            meeting=meeting,
            child=child,
            request_type=panel.request_types.get(name="New to care"),
            reason="To agree the plan for permanence",
            booked_by=administrator,
        )
    assert meeting.date == DECIDED_ON
    with time_machine.travel(DECIDED_ON, tick=False):
        minutes_services.decision_record(
            booking=booking,
            outcome=panel.outcomes.get(name="Refuse"),
            rationale="Panel is not yet satisfied.",
            recorded_by=chair,
        )
    child.refresh_from_db()
    return child


def test_one_last_panel_date_column_holds_the_latest_decision(decided_child):
    assert EXPORT_COLUMNS.count("last_panel_date") == 1
    assert XLSX_COLUMNS.count("last_panel_date") == 1
    header = next(csv.reader(StringIO(export_csv())))
    assert header.count("last_panel_date") == 1

    [row] = csv_rows(export_csv())

    assert row["last_panel_date"] == "2027-01-13"


def test_re_importing_a_child_decided_since_the_recorded_date_changes_nothing(decided_child):
    before, history = Child.objects.get(), total_history()

    result = children_import(data=export_csv().encode())

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    after = Child.objects.get()
    assert after.last_panel_date == DECIDED_ON
    assert after.updated_at == before.updated_at
    assert total_history() == history


def test_an_edit_never_sets_the_record_back_before_a_panel_that_decided(decided_child):
    services.child_update(child=decided_child, last_panel_date=date(2026, 6, 4))

    assert Child.objects.get().last_panel_date == DECIDED_ON
    [row] = csv_rows(export_csv())
    assert row["last_panel_date"] == "2027-01-13"
    assert children_import(data=export_csv().encode()).unchanged == 1


def test_an_edit_may_record_a_later_panel_than_the_decision(decided_child):
    services.child_update(child=decided_child, last_panel_date=date(2027, 1, 14))

    assert Child.objects.get().last_panel_date == date(2027, 1, 14)


def test_an_older_spreadsheet_never_takes_back_a_panel_that_decided(decided_child):
    history = total_history()
    older = export_csv().replace("2027-01-13", "2026-06-04")

    result = children_import(data=older.encode())

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Child.objects.get().last_panel_date == DECIDED_ON
    assert total_history() == history


def test_a_later_recorded_date_than_the_decision_is_kept(decided_child):
    later = export_csv().replace("2027-01-13", "2027-01-14")

    result = children_import(data=later.encode())

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert Child.objects.get().last_panel_date == date(2027, 1, 14)
    [row] = csv_rows(export_csv())
    assert row["last_panel_date"] == "2027-01-14"


def test_the_derived_last_panel_date_costs_no_extra_query(decided_child, django_assert_num_queries):
    ChildFactory.create_batch(3)
    with django_assert_num_queries(1):
        export_csv()


# Formulas in the CSV --------------------------------------------------------------------

WOULD_RUN = {
    "CN1": '=HYPERLINK("http://example.com","Click")',
    "CN2": "-Smith",
    "CN3": "+44",
    "CN4": "@SUM(A1)",
    "CN5": "'=already quoted",
}


@pytest.fixture
def formula_names():
    for case_number, last_name in WOULD_RUN.items():
        services.child_create(case_number=case_number, first_name="Test", last_name=last_name)
    services.child_create(case_number="CN6", first_name="'Tis", last_name="O'Brien")


def test_cells_a_spreadsheet_would_run_start_with_an_apostrophe(formula_names):
    rows = {row["case_number"]: row for row in csv_rows(export_csv())}

    assert rows["CN1"]["last_name"] == '\'=HYPERLINK("http://example.com","Click")'
    assert rows["CN2"]["last_name"] == "'-Smith"
    assert rows["CN3"]["last_name"] == "'+44"
    assert rows["CN4"]["last_name"] == "'@SUM(A1)"
    assert rows["CN5"]["last_name"] == "''=already quoted"
    # An apostrophe before anything else is the name itself, left alone.
    assert (rows["CN6"]["first_name"], rows["CN6"]["last_name"]) == ("'Tis", "O'Brien")
    # Column names and codes stay as they were: the CSV is for machines.
    assert list(rows["CN1"]) == list(EXPORT_COLUMNS)


def test_the_neutralised_csv_re_imports_to_the_same_names(formula_names):
    history = total_history()

    result = children_import(data=export_csv().encode())

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert total_history() == history
    names = dict(Child.objects.values_list("case_number", "last_name"))
    assert names == {**WOULD_RUN, "CN6": "O'Brien"}


def test_an_imported_apostrophe_comes_off_only_before_a_formula_character():
    result = children_import(
        data=b"case_number,first_name,last_name\r\nCN1,'-Ann,'Smith\r\nCN2,''+Bo,''Jones\r\n"
    )
    assert result.problems == []
    names = {c.case_number: (c.first_name, c.last_name) for c in Child.objects.all()}
    assert names == {"CN1": ("-Ann", "'Smith"), "CN2": ("'+Bo", "''Jones")}


# The XLSX, for people ---------------------------------------------------------------------


@pytest.fixture
def ada():
    return services.child_create(
        case_number="CN0042",
        first_name="Ada",
        last_name="-Lovelace",
        sex="F",
        looked_after_since=date(2026, 1, 5),
        legal_status="C2",
        placement_type="U4",
        primary_plan="adoption",
        contingency_plan="long_term_fostering",
        placement_order_date=date(2026, 3, 1),
    )


def xlsx_sheet(children=None):
    children = Child.objects.all() if children is None else children
    response = export_response(children, as_of=AS_OF, file_format="xlsx")
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


def xlsx_rows_of(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=False)) for row in rows]


def test_the_header_is_frozen_and_filters_every_row(ada):
    ChildFactory.create_batch(2)
    sheet = xlsx_sheet()

    assert sheet.freeze_panes == "A2"
    last_column = sheet.cell(row=1, column=len(XLSX_COLUMNS)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}4"
    assert sheet.max_row == 4
    assert sheet["A1"].font.bold


def test_an_empty_tracker_still_has_a_frozen_filterable_header():
    sheet = xlsx_sheet()
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.endswith("1")
    assert sheet.max_row == 1


def test_each_code_column_has_a_readable_label_beside_it(ada):
    sheet = xlsx_sheet()
    header = [cell.value for cell in sheet[1]]
    for code in ("sex", "legal_status", "placement_type", "primary_plan", "contingency_plan"):
        assert header[header.index(code) + 1] == f"{code}_label"
    assert header[header.index("flags") + 1] == "flags_label"
    # The codes themselves stay, in the columns of the CSV.
    assert [name for name in header if not name.endswith("_label")] == list(EXPORT_COLUMNS)

    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (row["legal_status"], row["legal_status_label"]) == ("C2", "C2 – Full care order")
    assert row["placement_type_label"] == "U4 – Foster placement with other foster carer: long-term"
    assert (row["sex"], row["sex_label"]) == ("F", "Female")
    assert (row["primary_plan"], row["primary_plan_label"]) == ("adoption", "Adoption")
    assert row["contingency_plan_label"] == "Long-term fostering"
    assert row["flags"] == "not_discussed_at_panel;placement_order_no_match;review_overdue"
    assert row["flags_label"] == (
        "Not discussed at panel; Placement order, no match; Looked-after review overdue"
    )


def test_unknown_codes_have_empty_labels():
    ChildFactory(legal_status="", placement_type="", primary_plan="", sex="")
    row = xlsx_rows_of(xlsx_sheet())[0]
    assert row["legal_status_label"] is None
    assert row["placement_type_label"] is None
    assert row["primary_plan_label"] is None


def test_columns_are_wide_enough_to_read(ada):
    sheet = xlsx_sheet()
    widths = {
        name: sheet.column_dimensions[sheet.cell(row=1, column=number).column_letter].width
        for number, name in enumerate(XLSX_COLUMNS, start=1)
    }
    assert widths["legal_status_label"] >= 40
    assert widths["date_of_birth"] >= len("date_of_birth")
    assert all(width >= len(name) for name, width in widths.items())


def test_text_that_looks_like_a_formula_is_stored_as_text(ada):
    services.child_create(case_number="CN2", first_name="=1+1", last_name="@SUM(A1)")
    sheet = xlsx_sheet()
    header = [cell.value for cell in sheet[1]]
    cells = {
        row[0].value: {name: cell for name, cell in zip(header, row, strict=True)}
        for row in sheet.iter_rows(min_row=2)
    }
    assert cells["CN2"]["first_name"].value == "=1+1"
    assert cells["CN2"]["first_name"].data_type == "s"
    assert cells["CN2"]["last_name"].data_type == "s"
    assert cells["CN0042"]["last_name"].value == "-Lovelace"
    assert cells["CN0042"]["last_name"].data_type == "s"
