"""The roles, held as auth groups (created by a migration), and the checks views use."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Panel administrator"
    CHAIR = "chair", "Chair"
    PANEL_MEMBER = "panel_member", "Panel member"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    # North Somerset 3.2(i): Business Intelligence tells the administrator of children who
    # become looked after. They send referrals; they see no child's record for it.
    BUSINESS_INTELLIGENCE = "business_intelligence", "Business intelligence"


# Roles whose holders see every child: they sit on or run the panel, or oversee it.
ROLES_SEEING_ALL_CHILDREN = frozenset(
    {Role.ADMINISTRATOR, Role.CHAIR, Role.PANEL_MEMBER, Role.SENIOR_MANAGER}
)
