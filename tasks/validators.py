"""Validators the models reference, so every writer (the admin included) obeys the same rules."""

from django.core.exceptions import ValidationError


def validate_evidence_links(value) -> None:
    """A list of complete http(s) URLs: the pages render each one as a link, so nothing else may be stored.

    `javascript:` and `data:` URLs, markup and a non-list (such as 123, which the admin's JSON field accepts) are
    refused here rather than discovered when /tasks/N/ renders them.
    """
    from tasks.services.assessments import evidence_links_clean  # the services import the models

    if not isinstance(value, list) or not all(isinstance(link, str) for link in value):
        raise ValidationError(
            'Evidence links are a JSON list of http(s) URLs, such as ["https://www.gov.cn/"].', code="not_a_list"
        )
    evidence_links_clean(value)
