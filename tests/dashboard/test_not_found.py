"""An unknown task, sector or indicator: the selectors raise DoesNotExist, the views answer 404.

The views select before rendering, so a fragment's 404 comes from the same selection as its page's; a
DoesNotExist reaching a template would render as an empty fragment with a 200.
"""

import pytest

from dashboard import selectors as dashboard_selectors
from indicators import selectors
from indicators.models import Indicator
from tasks.models import Sector, Task


@pytest.mark.django_db
def test_the_selectors_raise_does_not_exist_for_an_unknown_object():
    with pytest.raises(Task.DoesNotExist):
        dashboard_selectors.task_get(number=9)
    with pytest.raises(Sector.DoesNotExist):
        dashboard_selectors.sector_get(slug="no-such-sector")
    for find in (selectors.indicator_get_for_page, selectors.indicator_get_for_download):
        with pytest.raises(Indicator.DoesNotExist):
            find(code="no-such-indicator")


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/tasks/9/?sector=sector-1", "commitments"),
        ("/indicators/no-such-indicator/?geo=CHN&view=table", "chart-panel"),
    ],
)
def test_an_htmx_fragment_of_an_unknown_object_is_not_found(client, dataset, url, target):
    assert client.get(url, headers={"HX-Request": "true", "HX-Target": target}).status_code == 404


def test_an_unknown_indicator_page_embed_and_download_are_not_found(client, dataset):
    for suffix in ("", "embed/", "data.csv", "data.json"):
        assert client.get(f"/indicators/no-such-indicator/{suffix}").status_code == 404
