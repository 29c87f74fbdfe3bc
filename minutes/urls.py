"""After the meeting: minutes, case notes, approvals, actions, emergency decisions
(namespace "minutes")."""

app_name = "minutes"

urlpatterns = []
