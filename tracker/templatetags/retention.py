from django import template

from .. import retention as rules
from ..permissions import can_keep_records

register = template.Library()


@register.inclusion_tag("tracker/includes/retention.html", takes_context=True)
def retention(context, child):
    """How long the child's record is kept, and its legal hold; administrators may place
    or lift the hold."""
    return {
        "child": child,
        "basis": rules.disposal_basis(child),
        "may_hold": can_keep_records(context["request"].user),
    }
