"""Model fields several models declare alike."""

from django.db import models


def bilingual_names(max_length: int) -> tuple[models.CharField, models.CharField]:
    """A name (or title) in English and in Chinese, both required: unpack into `<name>_en, <name>_zh`.

    Pages and the API pick the reader's language from the pair (`bilingual.localized`).
    """
    return models.CharField(max_length=max_length), models.CharField(max_length=max_length)
