"""Who to ask: the panel administrators, named on pages that refuse or have nothing to show."""

from django import template

from ..roles import Role
from ..selectors import users_holding

register = template.Library()


@register.simple_tag
def panel_administrators():
    return list(users_holding(Role.ADMINISTRATOR))
