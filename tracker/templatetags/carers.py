"""The child's current and proposed carers, on the child's page."""

from django import template

from ..permissions import can_see_carers
from ..selectors import child_carers as carers_of

register = template.Library()


@register.inclusion_tag("tracker/includes/child_carers.html", takes_context=True)
def child_carers(context, child):
    user = context["request"].user
    return {"links": list(carers_of(child)), "can_open": can_see_carers(user)}
