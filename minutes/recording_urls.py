"""Recording the meeting: running order, decisions, attendance (namespace "decisions")."""

app_name = "decisions"

urlpatterns = []
