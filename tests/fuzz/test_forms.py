"""Every form, fuzzed: whatever is posted, the answer is a page or a redirect, never a
server error.

The forms are found from the URL resolver, as the access matrix finds its pages: every
URL whose view takes a POST is posted to, by each role its matrix row lets in, with the
fields its page's form really has (read from the page) and values hypothesis draws from
hostile input: any unicode, NUL bytes, very long text, impossible dates, wrong codes,
missing fields and fields the form does not have. A new form is fuzzed as soon as its URL
is in the matrix.

The suite runs FUZZ_EXAMPLES examples a form (a few, with a fixed seed, so CI stays quick
and a failure repeats); `make fuzz` runs many more.
"""

import os
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from permanence.permissions import ROLES, Answer
from tests.test_access_matrix import (  # noqa: F401 - the matrix's world, shared
    MATRIX,
    URLS,
    path_of,
    submissions_in_tmp,
    world,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
# Not fuzzed: signing in and out and resetting a password change who the browser is, and
# are Django's own forms; the document upload is fuzzed by tests/agendas' upload tests.
NOT_FUZZED = {"login", "logout", "password_reset", "password_reset_confirm"}


def _views_taking_posts() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and hasattr(view, "post") and "post" in view.http_method_names:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


POSTED = sorted(name for name in _views_taking_posts() & set(URLS) if name not in NOT_FUZZED)


def _posters(name: str) -> list[str]:
    """Who to post as: those who get the page; for a button's URL (no page), everyone
    signed in, since whoever may press it must get a message, not an error."""
    row = MATRIX[name]
    page = [role for role in ROLES if row[role] == Answer.PAGE]
    if page:
        return page
    return [role for role in ROLES if role != "anonymous"]


CASES = [(name, role) for name in POSTED for role in _posters(name)]


class _FormFields(HTMLParser):
    """The names a page's POST forms send, with the options each select, radio or
    checkbox offers, and the input's type."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.types: dict[str, str] = {}
        self._in_post_form = False
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post"
        elif not self._in_post_form:
            return
        elif tag in ("input", "textarea", "select") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken" or attrs.get("type") == "file":
                return
            options = self.fields.setdefault(name, [])
            self.types.setdefault(name, attrs.get("type") or tag)
            if attrs.get("value") is not None and tag == "input":
                options.append(attrs["value"])
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select:
            self.fields[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None


def fields_of(html: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields, parser.types


HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "99999999999999999999",
    "-99999999999999999999",
    "0",
    "-1",
    "9999",
    "31",
    "13",
    "1e309",
    "NaN",
    "31/12/9999",
    "9999-12-31",
    "0000-00-00",
    "1899-12-31",
    '=HYPERLINK("http://example.com")',
    "'; DROP TABLE tracker_child; --",
    "<script>alert(1)</script>",
    "\u202egpj.exe",
    "ｚ＝１",
    "\r\n\t",
    "x" * 100_001,
]
# Fields a form may not have, which must be ignored or refused: the child's court dates,
# allocation and names, and the ids a hand-made post might try.
EXTRA_FIELDS = [
    "proceedings_issued_0",
    "final_order_date_2",
    "panel",
    "team",
    "first_name",
    "case_number",
    "social_worker",
    "version",
    "pk",
    "id",
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))


def value_for(options: list[str]):
    if options:
        # Each offered value, and any other code.
        return st.one_of(st.sampled_from(options), text)
    return text


def post_data(fields: dict[str, list[str]]):
    """Some of the form's fields (a missing field is dropped), each with one value or a
    list of them, and some fields it does not have."""
    own = st.fixed_dictionaries(
        {
            name: st.one_of(st.none(), value_for(options), st.lists(value_for(options), max_size=3))
            for name, options in fields.items()
        }
    )
    extra = st.dictionaries(st.sampled_from(EXTRA_FIELDS), text, max_size=3)
    return st.tuples(own, extra).map(
        lambda both: {
            **both[1],
            **{name: value for name, value in both[0].items() if value is not None},
        }
    )


def _chosen(options: list[str]) -> str:
    """An offered value, so that a form gets past its choices to the hostile field."""
    return next((option for option in reversed(options) if option), "")


def filled(fields, types, *, text: str, day: str, month: str, year: str) -> dict:
    """Every field with the same hostile value: dates split into day, month and year as
    the GOV.UK date input posts them, choices with a value the form offers."""
    parts = {"_0": day, "_1": month, "_2": year}
    data = {}
    for name, options in fields.items():
        if name[-2:] in parts and name[:-2] + "_2" in fields:
            data[name] = parts[name[-2:]]
        elif types.get(name) == "date":
            data[name] = f"{year}-{month}-{day}"
        elif types.get(name) in ("select", "radio", "checkbox", "submit", "hidden"):
            data[name] = _chosen(options)
        else:
            data[name] = text
    return data


def explicit_examples(fields, types) -> list[dict]:
    """The inputs the probe found errors with, always tried, before hypothesis's own."""
    huge = "99999999999999999999"
    return [
        filled(fields, types, text=huge, day=huge, month="12", year="2026"),
        filled(fields, types, text="-1", day="1", month=huge, year="2026"),
        filled(fields, types, text="31/12/9999", day="31", month="12", year="9999"),
        filled(fields, types, text="0", day="1", month="1", year="0001"),
        filled(fields, types, text="x" * 100_001, day="29", month="2", year="2027"),
        filled(fields, types, text="a\x00b", day="\x00", month="1", year="2027"),
    ]


_PAGES: dict[tuple[str, str], tuple[dict[str, list[str]], dict[str, str]]] = {}


def page_fields(name: str, role: str, world):  # noqa: F811
    """The page's own form, read once per URL and role."""
    if (name, role) not in _PAGES:
        browser = Client()
        browser.force_login(world.people[role])
        response = browser.get(path_of(name, URLS[name], world))
        html = response.content.decode() if response.status_code == 200 else ""
        _PAGES[name, role] = fields_of(html)
    return _PAGES[name, role]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES)
def test_no_post_is_a_server_error(name, role, world):  # noqa: F811
    path = path_of(name, URLS[name], world)
    fields, types = page_fields(name, role, world)

    def post(data):
        with transaction.atomic():
            browser = Client()
            browser.force_login(world.people[role])
            # The test client raises what the view raised: a server error fails here.
            response = browser.post(path, data)
            assert response.status_code < 500, f"{path} as {role}: {data!r}"
            transaction.set_rollback(True)

    for data in explicit_examples(fields, types):
        post(data)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        # Each shrinking step is another post: the failing data is in the message instead.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=post_data(fields))
    def posting(data):
        post(data)

    posting()
