"""The CSV imports, fuzzed: whatever file is uploaded, the answer is a list of problems by
line, never an exception. Bytes of any kind, and well-formed files whose cells are hostile
(impossible dates, wrong codes, NUL bytes, very long text, formulas)."""

import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz.test_forms import EXAMPLES, HOSTILE
from tracker.importer import IMPORT_COLUMNS, children_import
from tracker.importer.referrals import REFERRAL_COLUMNS, referrals_import

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=EXAMPLES * 10,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
cell = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))


def csv_file(columns, rows, encoding) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def files(columns):
    return st.one_of(
        st.binary(max_size=2000),
        st.builds(
            csv_file,
            st.lists(st.sampled_from([*columns, "unknown", ""]), min_size=1, max_size=8),
            st.lists(st.lists(cell, max_size=10), max_size=5),
            st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
        ),
        st.builds(
            csv_file,
            st.just(columns),
            st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=3),
            st.just("utf-8"),
        ),
    )


@FUZZ
@given(data=files(IMPORT_COLUMNS))
def test_no_children_file_raises(data):
    with transaction.atomic():
        result = children_import(data=data)
        assert all(problem.line >= 1 for problem in result.problems)
        transaction.set_rollback(True)


@FUZZ
@given(data=files(REFERRAL_COLUMNS.known))
def test_no_referrals_file_raises(data):
    with transaction.atomic():
        result = referrals_import(data=data, dry_run=True)
        assert all(problem.line >= 1 for problem in result.problems)
        transaction.set_rollback(True)
