"""Access checks for views. Which children a user sees is `tracker.selectors.visible_children`."""

from django.contrib.auth.mixins import UserPassesTestMixin

from .roles import Role


class RoleRequiredMixin(UserPassesTestMixin):
    """Allow the view only to users holding one of `allowed_roles` (superusers always)."""

    allowed_roles: tuple[Role, ...] = ()

    def test_func(self):
        return self.request.user.has_any_role(*self.allowed_roles)
