# The bad rows of an import move from a JSON list on the job, which every batch rewrote whole, to a table
# with a row per bad line, which each batch only appends to. Existing lists are copied over (and back).

import django.db.models.deletion
from django.db import migrations, models


def rows_from_lists(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    ImportRowError = apps.get_model("registry", "ImportRowError")
    for job in ImportJob.objects.only("pk", "errors").iterator():
        if not job.errors:
            continue
        ImportRowError.objects.bulk_create(
            (
                ImportRowError(job_id=job.pk, line=error["line"], reasons=error["reasons"], row=error["row"])
                for error in {error["line"]: error for error in job.errors}.values()
            ),
            batch_size=1000,
        )


def lists_from_rows(apps, schema_editor):
    ImportJob = apps.get_model("registry", "ImportJob")
    ImportRowError = apps.get_model("registry", "ImportRowError")
    for job in ImportJob.objects.filter(row_errors__isnull=False).distinct().iterator():
        job.errors = [
            {"line": line, "reasons": reasons, "row": row}
            for line, reasons, row in ImportRowError.objects.filter(job=job)
            .order_by("line")
            .values_list("line", "reasons", "row")
        ]
        job.save(update_fields=["errors"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportRowError",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("line", models.PositiveIntegerField(verbose_name="line")),
                ("reasons", models.JSONField(default=list, verbose_name="reasons")),
                ("row", models.JSONField(default=dict, verbose_name="values as read")),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="row_errors",
                        to="registry.importjob",
                        verbose_name="import job",
                    ),
                ),
            ],
            options={
                "verbose_name": "bad row",
                "verbose_name_plural": "bad rows",
                "ordering": ["job", "line"],
                "constraints": [
                    models.UniqueConstraint(fields=("job", "line"), name="registry_import_row_error_line")
                ],
            },
        ),
        migrations.RunPython(rows_from_lists, lists_from_rows),
        migrations.RemoveField(
            model_name="importjob",
            name="errors",
        ),
    ]
