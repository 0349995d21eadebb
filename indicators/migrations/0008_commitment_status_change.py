import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_vocabulary_choices"),
        ("tasks", "0002_assessment_evidence_links_validator"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommitmentStatusChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status_from",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("achieved", "Target achieved"),
                            ("on_track", "On track"),
                            ("progressing", "Progressing, acceleration needed"),
                            ("stalled", "Stalled: limited or no progress"),
                            ("regressing", "Regressing"),
                            ("not_assessable", "Cannot be assessed yet"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "status_to",
                    models.CharField(
                        choices=[
                            ("achieved", "Target achieved"),
                            ("on_track", "On track"),
                            ("progressing", "Progressing, acceleration needed"),
                            ("stalled", "Stalled: limited or no progress"),
                            ("regressing", "Regressing"),
                            ("not_assessable", "Cannot be assessed yet"),
                        ],
                        max_length=16,
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "reason_en",
                    models.TextField(blank=True, help_text="Why that indicator has that status, as the pages said it."),
                ),
                ("reason_zh", models.TextField(blank=True)),
                (
                    "commitment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="tasks.commitment",
                    ),
                ),
                (
                    "deciding_indicator",
                    models.ForeignKey(
                        blank=True,
                        help_text="The indicator whose assessment set the new status (the least favourable one).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="indicators.indicator",
                    ),
                ),
            ],
            options={
                "ordering": ["-recorded_at", "-pk"],
                "indexes": [models.Index(fields=["commitment", "-recorded_at"], name="statuschange_commitment_recent")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status_from", models.F("status_to")), _negated=True),
                        name="statuschange_changes_status",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status_to__in",
                                ["achieved", "on_track", "progressing", "stalled", "regressing", "not_assessable"],
                            )
                        ),
                        name="statuschange_status_to_is_a_status",
                    ),
                ],
            },
        ),
    ]
