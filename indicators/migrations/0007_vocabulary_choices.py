from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_observation_review_withdrawal"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ingestrun",
            name="trigger",
            field=models.CharField(
                choices=[
                    ("schedule", "Scheduled refresh"),
                    ("manual", "Refresh started by a person"),
                    ("snapshot", "Bundled snapshot load"),
                    ("bench-faults", "Benchmark load run"),
                ],
                default="schedule",
                max_length=20,
            ),
        ),
    ]
