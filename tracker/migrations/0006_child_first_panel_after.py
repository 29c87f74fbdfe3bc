from django.db import migrations, models


def store_first_panel_after(apps, schema_editor):
    """The new derived date for the children already on the tracker, as the service would
    store it: 3 working days after tracking_start, by today's calendar."""
    from permanence.workdays import Calendar
    from tracker.rules import INTAKE_WORKING_DAYS

    ClosureDay = apps.get_model("permanence", "ClosureDay")
    Child = apps.get_model("tracker", "Child")
    working_days = Calendar(ClosureDay.objects.values_list("date", flat=True))
    children = Child.objects.filter(tracking_start__isnull=False).only("pk", "tracking_start")
    for child in children.iterator(chunk_size=1000):
        Child.objects.filter(pk=child.pk).update(
            first_panel_after=working_days.add_working_days(
                child.tracking_start, INTAKE_WORKING_DAYS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_chair_review_frequency"),
        ("permanence", "0004_input_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="first_panel_after",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(store_first_panel_after, migrations.RunPython.noop),
    ]
