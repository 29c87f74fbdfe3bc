from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0016_child_name_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                condition=models.Q(("permanence_secured_date__isnull", True)),
                fields=["next_panel_due", "last_name", "first_name", "id"],
                name="tracked_child_next_panel",
            ),
        ),
    ]
