from django.db import migrations


class Migration(migrations.Migration):
    """The catalog generation moved out of the database into the shared cache (config/generations.py)."""

    dependencies = [
        ("indicators", "0008_commitment_status_change"),
    ]

    operations = [
        migrations.DeleteModel(name="CatalogGeneration"),
    ]
