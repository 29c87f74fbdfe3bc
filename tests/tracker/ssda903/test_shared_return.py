"""The two synthetic returns of ../shared/data/ssda903-fake, copied into fake_data/ beside
this file with their licence so the suite runs anywhere (random codes, so some children
are inconsistent on purpose): each read whole, without a server error, every child it cannot
take reported with reasons; and the XML return written out as CSV tables gives the same
tracker as the XML itself."""

import csv
import io
from pathlib import Path

import pytest
from lxml import etree

from tracker.importer.ssda903 import ssda903_import, ssda903_read
from tracker.importer.ssda903.mapping import MAPPED_FIELDS
from tracker.models import Child

from .returns import AD1, EPISODES, HEADER, PLACED, REVIEWS

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parent / "fake_data"
CSV_TABLES = ("header", "episodes", "reviews", "placed_for_adoption", "ad1")


def shared_csv() -> list[tuple[str, bytes]]:
    return [(f"{name}.csv", (SHARED / f"{name}.csv").read_bytes()) for name in CSV_TABLES]


def shared_xml() -> list[tuple[str, bytes]]:
    return [("fake_903.xml", (SHARED / "fake_903.xml").read_bytes())]


def xml_as_csv_tables(data: bytes) -> list[tuple[str, bytes]]:
    """The XML return written out as the DfE's CSV tables, element by element."""
    tables = {
        name: [columns.split(",")]
        for name, columns in zip(CSV_TABLES, (HEADER, EPISODES, REVIEWS, PLACED, AD1), strict=True)
    }

    def text(element, tag):
        found = element.find(tag)
        return (found.text or "") if found is not None else ""

    for child in etree.fromstring(data).iter("CHILD"):
        header = child.find("HEADER")
        number, dob = text(header, "CHILDID"), text(header, "DOB")
        tables["header"].append([number, text(header, "SEX"), dob, "", "", "", ""])
        for episode in child.iter("EPISODE"):
            row = {column: text(episode, column) for column in tables["episodes"][0]}
            row.update(CHILD=number, PLACE=text(episode, "PL"))
            tables["episodes"].append([row[column] for column in tables["episodes"][0]])
        for review in child.iter("AREVIEW"):
            tables["reviews"].append([number, dob, text(review, "REVIEW"), ""])
        for placed in child.iter("AD_PLACED"):
            tables["placed_for_adoption"].append([number, dob, text(placed, "DATE_PLACED"), "", ""])
        if match := text(header, "DATE_MATCH"):
            tables["ad1"].append([number, dob, "", match, "", "", "", ""])
    files = []
    for name, rows in tables.items():
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        files.append((f"{name}.csv", out.getvalue().encode()))
    return files


def tracker_now() -> dict[str, dict]:
    fields = ["first_name", "last_name", *MAPPED_FIELDS, "next_review_due", "next_panel_due"]
    return {row.pop("case_number"): row for row in Child.objects.values("case_number", *fields)}


def test_the_shared_csv_return_is_read_whole_and_every_refusal_has_its_reasons():
    report = ssda903_import(ret=ssda903_read(shared_csv()), dry_run=False)
    assert report.children == 2675
    taken = report.created + report.updated + report.unchanged
    assert taken + len(report.refused) + len(report.skipped) == 2675
    assert taken == Child.objects.count() > 1000
    assert all(refusal.reasons for refusal in report.refused)
    assert len(report.refused) > 100  # random codes: many make no sense, on purpose
    assert {s.reasons for s in report.skipped} == {("no episodes of care in the return",)}
    assert len(report.skipped) == 2675 - 2123  # children with no episode in episodes.csv


def test_the_shared_xml_return_imported_twice_changes_nothing_the_second_time():
    ret = ssda903_read(shared_xml())
    first = ssda903_import(ret=ret, dry_run=False)
    assert first.children == 253 and first.created > 100 and first.refused
    second = ssda903_import(ret=ret, dry_run=False)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert [r.case_number for r in second.refused] == [r.case_number for r in first.refused]


def test_the_xml_return_and_the_same_return_as_csv_tables_give_the_same_tracker():
    data = shared_xml()[0][1]
    from_xml = ssda903_import(ret=ssda903_read(shared_xml()), dry_run=False)
    xml_tracker = tracker_now()
    Child.history.all().delete()
    Child.objects.all().delete()
    from_csv = ssda903_import(ret=ssda903_read(xml_as_csv_tables(data)), dry_run=False)
    assert tracker_now() == xml_tracker
    assert len(xml_tracker) == from_xml.created > 100
    assert [r.case_number for r in from_csv.refused] == [r.case_number for r in from_xml.refused]
    assert from_csv.at_least == from_xml.at_least
