from django.conf import settings
from django.db import models


class PanelAction(models.Model):
    """An action panel agreed for a child: what, who, by when; open until completed."""

    child = models.ForeignKey(
        "tracker.Child", on_delete=models.CASCADE, related_name="panel_actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_actions"
    )
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(
                fields=["child", "due_date"],
                condition=models.Q(completed_at__isnull=True),
                name="open_action_child_due",
            )
        ]

    def __str__(self):
        return f"{self.description[:60]} (due {self.due_date:%d/%m/%Y})"
