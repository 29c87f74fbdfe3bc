"""Reading a return: each CSV table known by its header row, the XML's two homes for
AREVIEW, and every problem that refuses the whole return by file, line and field."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tracker.importer.ssda903 import ssda903_read

from .returns import EPISODES, HEADER, Kid, csv_tables, xml_return

KID = Kid(
    "1001",
    episodes=[
        ("01/04/2016", "S", "C1", "U4", "01/09/2016", "X1"),
        ("01/09/2016", "L", "C2", "U4", "", ""),
    ],
    reviews=["20/04/2016", "20/07/2016"],
    placed=["03/05/2016"],
    matches=["04/06/2016"],
)


def problems(files) -> list[str]:
    with pytest.raises(ValidationError) as error:
        ssda903_read(files)
    return error.value.messages


def test_csv_tables_are_known_by_their_header_row_whatever_the_file_is_called():
    files = [(f"upload-{n}.csv", data) for n, (_, data) in enumerate(reversed(csv_tables(KID)))]
    child = ssda903_read(files).children["1001"]
    assert (child.sex, child.dob) == ("1", date(2015, 2, 1))
    assert [(e.decom, e.ls, e.place, e.dec, e.rec) for e in child.episodes] == [
        (date(2016, 4, 1), "C1", "U4", date(2016, 9, 1), "X1"),
        (date(2016, 9, 1), "C2", "U4", None, ""),
    ]
    assert child.reviews == [date(2016, 4, 20), date(2016, 7, 20)]
    assert (child.adoption_decisions, child.matches) == ([date(2016, 5, 3)], [date(2016, 6, 4)])


def test_reviews_placed_for_adoption_and_ad1_are_optional():
    ret = ssda903_read(csv_tables(KID)[:2])
    assert ret.children["1001"].reviews == []


@pytest.mark.parametrize("reviews_in_header", [True, False])
def test_xml_reads_pl_as_the_placement_and_areview_in_header_or_under_child(reviews_in_header):
    child = ssda903_read(xml_return(KID, reviews_in_header=reviews_in_header)).children["1001"]
    assert [e.place for e in child.episodes] == ["U4", "U4"]
    assert child.reviews == [date(2016, 4, 20), date(2016, 7, 20)]
    assert (child.adoption_decisions, child.matches) == ([date(2016, 5, 3)], [date(2016, 6, 4)])


def test_a_file_not_recognised_by_its_header_row_is_named():
    files = [*csv_tables(KID)[:2], ("children.csv", b"case_number,first_name\r\nA1,Ada\r\n")]
    assert problems(files) == [
        "children.csv, line 1: not recognised by its header row as an SSDA903 table (header, "
        "episodes, reviews, placed_for_adoption or ad1)"
    ]


def test_a_table_lacking_a_column_says_which():
    files = [csv_tables(KID)[0], ("episodes.csv", b"CHILD,DECOM,RNE,LS,PLACE,DEC\r\n")]
    assert problems(files) == ["episodes.csv, line 1: the episodes table lacks REC"]


def test_every_bad_date_is_listed_by_file_line_and_field():
    episodes = (
        f"{EPISODES}\r\n"
        "1001,31/02/2016,S,C1,N1,U4,PR1,,,,,,\r\n"
        "1001,2016-09-01,L,C2,N1,U4,PR1,,,,,,\r\n"
        "1002,,S,C1,N1,U4,PR1,,,,,,\r\n"
    ).encode()
    header = f"{HEADER}\r\n1001,1,1/2/2015,,,,\r\n1002,2,01/13/2015,,,,\r\n".encode()
    assert problems([("h.csv", header), ("e.csv", episodes)]) == [
        "h.csv, line 3: DOB “01/13/2015” is not a real date",
        "e.csv, line 2: DECOM “31/02/2016” is not a real date",
        "e.csv, line 3: DECOM “2016-09-01” is not a date as DD/MM/YYYY",
        "e.csv, line 4: DECOM is empty: it needs a date as DD/MM/YYYY",
    ]


def test_a_bad_date_in_the_xml_names_its_line_child_and_element():
    bad = Kid("1001", episodes=[("1/4/2016", "S", "C1", "U4", "32/09/2016", "E13")])
    assert problems(xml_return(bad)) == [
        "return.xml, line 4, CHILD 1001 EPISODE 1: DEC “32/09/2016” is not a real date"
    ]


def test_the_return_needs_its_header_and_episodes_tables():
    assert problems(csv_tables(KID)[2:]) == [
        "The return: has no header table: add its CSV file",
        "The return: has no episodes table: add its CSV file",
    ]


def test_the_same_table_twice_is_refused():
    header = csv_tables(KID)[0]
    assert problems([header, ("again.csv", header[1]), csv_tables(KID)[1]]) == [
        "again.csv: a second header table: header.csv is one already"
    ]


def test_an_xml_return_goes_alone():
    assert problems([*xml_return(KID), csv_tables(KID)[0]]) == [
        "return.xml is an XML return: import it on its own, without CSV tables."
    ]


def test_xml_that_is_not_well_formed_names_the_line():
    (message,) = problems([("return.xml", b"<?xml version='1.0'?>\n<EXPSSDA903>\n<CHILD>\n")])
    assert message.startswith("return.xml, line 4: not readable XML")


def test_xml_of_another_kind_is_not_a_return():
    assert problems([("other.xml", b"<ROOT/>")]) == [
        "other.xml, line 1: the XML's root is ROOT, not EXPSSDA903: this is not an SSDA903 return"
    ]


def test_the_xml_never_expands_entities_from_outside():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>1001</CHILDID><SEX>&x;</SEX>"
        b"<DOB>01/02/2015</DOB></HEADER></CHILD></EXPSSDA903>"
    )
    assert ssda903_read([("return.xml", data)]).children["1001"].sex == ""


def test_nothing_to_read():
    assert problems([]) == ["Choose the return's files: its CSV tables or one XML file."]
