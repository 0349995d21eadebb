from django.db import migrations, models


def units_as_published(apps, schema_editor):
    """Until the catalog is loaded again, a reader sees the unit as the source publishes it, in both languages."""
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.all():
        indicator.unit_en = indicator.unit_zh = indicator.unit
        indicator.save(update_fields=["unit_en", "unit_zh"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_indicator_kind_targets_annual_policy_clauses"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="name_zh",
            field=models.CharField(
                blank=True, help_text="The name in Chinese; blank: the English one.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="name_zh",
            field=models.CharField(
                blank=True, help_text="The name in Chinese; blank: the English one.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="definition_zh",
            field=models.TextField(blank=True, help_text="The definition in Chinese; blank: the English one."),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="definition_zh",
            field=models.TextField(blank=True, help_text="The definition in Chinese; blank: the English one."),
        ),
        migrations.AddField(
            model_name="indicator",
            name="unit_en",
            field=models.CharField(
                default="", help_text="The unit as an English reader sees it: '10,000 tonnes'.", max_length=80
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="unit_en",
            field=models.CharField(
                default="", help_text="The unit as an English reader sees it: '10,000 tonnes'.", max_length=80
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="indicator",
            name="unit_zh",
            field=models.CharField(default="", help_text="The unit as a Chinese reader sees it: '万吨'.", max_length=80),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="unit_zh",
            field=models.CharField(default="", help_text="The unit as a Chinese reader sees it: '万吨'.", max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(units_as_published, migrations.RunPython.noop),
    ]
