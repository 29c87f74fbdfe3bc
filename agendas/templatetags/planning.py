"""The planning questions (Somerset 3.1) where the tracker shows a child: the tracker may
not call the agendas app, but its child page's template may draw this card."""

from django import template
from django.urls import reverse

from ..permissions import can_answer_planning_questions_for
from ..selectors import planning_checklist

register = template.Library()


@register.inclusion_tag("agendas/includes/planning_card.html", takes_context=True)
def planning_card(context, child, panel=None):
    """The child's answers to the questions of `panel` (by default the panel that tracks
    them), with a link to answer them for an administrator; nothing when it asks none."""
    user = context["request"].user
    return {
        "child": child,
        "checklist": planning_checklist(child, panel),
        "answer_url": reverse("planning:child", args=[child.pk])
        if can_answer_planning_questions_for(user, child)
        else "",
    }
