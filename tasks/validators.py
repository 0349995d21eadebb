"""Validators the models reference, so every writer (the admin included) obeys the same rules.

`http_url_check` is the one definition of a link the pages may render: the evidence links here and the
indicators' citations both use it. Nothing here imports the tasks models or services (the models import it).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_EVIDENCE_LINKS = 20
_http_url = URLValidator(schemes=["http", "https"])
# Characters RFC 3986 never allows unencoded; a link holding them is pasted markup, not an address.
_UNSAFE_IN_URL = re.compile(r"[<>\"'`{}|\\^]")


def http_url_check(link: str) -> None:
    """A complete http:// or https:// URL holding nothing a page could read as markup; ValidationError says which."""
    try:
        _http_url(link)
    except ValidationError:
        raise ValidationError("A link must be a complete http:// or https:// URL.", code="scheme") from None
    if _UNSAFE_IN_URL.search(link):
        raise ValidationError("A link cannot contain < > \" ' ` { } | \\ or ^; encode them.", code="unsafe")


def evidence_links_clean(links: list[str]) -> list[str]:
    """Each link a complete http(s) URL; blanks dropped, duplicates kept once, order kept."""
    cleaned: list[str] = []
    bad: list[str] = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        try:
            http_url_check(link)
        except ValidationError:
            bad.append(link)
            continue
        if link not in cleaned:
            cleaned.append(link)
    if bad:
        raise ValidationError(
            "Links must be complete http:// or https:// URLs: %(links)s", params={"links": ", ".join(bad)}
        )
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        raise ValidationError(f"Give at most {MAX_EVIDENCE_LINKS} links.")
    return cleaned


def validate_evidence_links(value) -> None:
    """A list of complete http(s) URLs: the pages render each one as a link, so nothing else may be stored.

    `javascript:` and `data:` URLs, markup and a non-list (such as 123, which the admin's JSON field accepts) are
    refused here rather than discovered when /tasks/N/ renders them.
    """
    if not isinstance(value, list) or not all(isinstance(link, str) for link in value):
        raise ValidationError(
            'Evidence links are a JSON list of http(s) URLs, such as ["https://www.gov.cn/"].', code="not_a_list"
        )
    evidence_links_clean(value)
