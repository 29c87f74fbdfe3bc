from django.db import migrations

NAME = "business_intelligence"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=NAME)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    """North Somerset's Business Intelligence role, which sends referrals (issue 13)."""

    dependencies = [("permanence", "0004_input_limits")]

    operations = [migrations.RunPython(create_group, remove_group)]
