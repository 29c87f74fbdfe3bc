from django import template

from ..audit import selectors
from ..permissions import can_search_audit

register = template.Library()


@register.inclusion_tag("permanence/audit/looked_at.html", takes_context=True)
def looked_at(context, case_number: str):
    """ "Who has looked at this record", for administrators, on any page about one child.
    A tag rather than view context, so the section goes wherever the child is shown."""
    shown = can_search_audit(context["request"].user)
    return {
        "shown": shown,
        "entries": selectors.looked_at(case_number) if shown else [],
        "case_number": case_number,
    }
