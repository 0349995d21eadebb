"""Selectors raise `Model.DoesNotExist` for an object that is not there; the views turn that into a 404 here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.functional import SimpleLazyObject

Found = TypeVar("Found")


def found_or_404(find: Callable[[], Found]) -> Found:
    """What `find` selects, or a 404 if it does not exist."""
    try:
        return find()
    except ObjectDoesNotExist as missing:
        raise Http404(str(missing)) from missing


def lazy_or_404(find: Callable[[], Found]) -> SimpleLazyObject:
    """Selected when a template first reads it (a cached fragment may never do), a 404 if it does not exist.

    The 404 is raised before the template sees the error: templates render a `DoesNotExist` as an empty string.
    """
    return SimpleLazyObject(lambda: found_or_404(find))
