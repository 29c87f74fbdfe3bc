import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def seat_holders(apps, schema_editor):
    """Attendance recorded before now names the person holding the seat today: the best
    the database still knows of who sat there."""
    attendance = apps.get_model("minutes", "MeetingAttendance")
    membership = apps.get_model("agendas", "PanelMembership")
    attendance.objects.filter(membership__isnull=False).update(
        person=Subquery(membership.objects.filter(pk=OuterRef("membership")).values("user")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0006_tracking_reviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingattendance",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(seat_holders, migrations.RunPython.noop),
    ]
