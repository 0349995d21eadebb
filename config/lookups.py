"""Selectors raise `Model.DoesNotExist` for an object that is not there; the views turn that into a 404 here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

Found = TypeVar("Found")


def found_or_404(find: Callable[[], Found]) -> Found:
    """What `find` selects, or a 404 if it does not exist."""
    try:
        return find()
    except ObjectDoesNotExist as missing:
        raise Http404(str(missing)) from missing
