"""The sector matrix (/sectors/): each cell lists that sector's commitments in the task, by status, linked."""

import pytest

from tasks.models import Assessment
from tests.dashboard.conftest import build_dataset


@pytest.fixture
def dataset(db):
    return build_dataset(scale=1)


def test_each_cell_links_the_sectors_commitments_in_that_task_with_their_status(client, dataset):
    html = client.get("/sectors/").content.decode()
    assert 'href="/tasks/1/#commitment-1.1"' in html
    assert 'href="/tasks/1/#commitment-1.2"' in html
    assert 'class="status status-' in html.split('<table class="matrix">', 1)[1]


def test_a_commitment_appears_in_the_row_of_the_sector_it_concerns_only(client, dataset):
    sector_row = client.get("/sectors/").content.decode().split(f'href="/sectors/{dataset.sectors[1].slug}/"', 1)[1]
    sector_row = sector_row.split("</tr>", 1)[0]
    assert "#commitment-1.1" in sector_row
    assert "#commitment-1.2" not in sector_row


def test_an_unmeasured_commitment_shows_the_analysts_status(client, dataset):
    commitment = dataset.commitments[0]
    commitment.indicator_links.all().delete()
    Assessment.objects.filter(commitment=commitment).update(status="stalled")
    html = client.get("/sectors/").content.decode()
    link = html.split(f'#commitment-{commitment.code}"', 1)[0].rsplit("<a ", 1)[1]
    assert 'class="status status-stalled"' in link
