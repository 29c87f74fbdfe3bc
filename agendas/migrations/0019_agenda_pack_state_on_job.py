# The pack's state, progress, error and times are its job's now (0017 moved them there):
# its own columns go, and every pack has a job. Apart from 0017 because PostgreSQL does not
# alter a table in the transaction that wrote the rows its constraints are checking.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0018_agenda_pack_job"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agendapack",
            name="job",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agenda_pack",
                to="permanence.job",
            ),
        ),
        migrations.AlterModelOptions(
            name="agendapack",
            options={"get_latest_by": "pk", "ordering": ["-pk"]},
        ),
        migrations.RemoveField(model_name="agendapack", name="status"),
        migrations.RemoveField(model_name="agendapack", name="documents_done"),
        migrations.RemoveField(model_name="agendapack", name="documents_total"),
        migrations.RemoveField(model_name="agendapack", name="error"),
        migrations.RemoveField(model_name="agendapack", name="requested_by"),
        migrations.RemoveField(model_name="agendapack", name="requested_at"),
        migrations.RemoveField(model_name="agendapack", name="started_at"),
        migrations.RemoveField(model_name="agendapack", name="finished_at"),
    ]
