"""The "what changed" feeds, in Atom and RSS: for the whole tracker, one task, or one indicator."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import urlencode

from indicators import changes
from indicators.models import Indicator
from tasks.models import Task

# A tag URI (RFC 4151): Atom ids must be IRIs, and these stay the same whichever host serves the feed.
GUID_PREFIX = "tag:new-industrialization-tracker,2026:"


class ChangesFeed(Feed):
    """New figures, revisions (old → new), assessments, status changes, targets and early warnings, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, number: int | None = None, code: str = "") -> changes.Scope:
        if number is not None:
            get_object_or_404(Task, number=number)
        if code:
            get_object_or_404(Indicator, code=code)
        return changes.Scope(task=number, indicator=code)

    def title(self, scope: changes.Scope) -> str:
        if scope.indicator:
            return f"New Industrialization Tracker: changes to {scope.indicator}"
        if scope.task:
            return f"New Industrialization Tracker: changes to task {scope.task}"
        return "New Industrialization Tracker: what changed"

    def subtitle(self, scope: changes.Scope) -> str:
        return "New figures, revisions, assessments, status changes, targets and early warnings, newest first."

    description = subtitle

    def link(self, scope: changes.Scope) -> str:
        query = urlencode(
            {name: value for name, value in (("task", scope.task), ("indicator", scope.indicator)) if value}
        )
        return reverse("indicators:changes") + (f"?{query}" if query else "")

    def items(self, scope: changes.Scope) -> list[changes.Change]:
        return changes.changes_get(scope=scope)

    def item_title(self, item: changes.Change) -> str:
        return item.title

    def item_description(self, item: changes.Change) -> str:
        return item.description

    def item_link(self, item: changes.Change) -> str:
        return item.link

    def item_guid(self, item: changes.Change) -> str:
        return f"{GUID_PREFIX}{item.guid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: changes.Change):
        return item.when

    def item_updateddate(self, item: changes.Change):
        return item.when

    def item_categories(self, item: changes.Change) -> list[str]:
        return [item.kind]


class ChangesRssFeed(ChangesFeed):
    feed_type = Rss201rev2Feed
