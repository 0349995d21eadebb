import pytest
from playwright.sync_api import expect

from tests.factories import CommitmentFactory, TaskFactory


@pytest.mark.django_db(transaction=True)
def test_home_page_lists_tasks_in_a_real_browser_without_console_errors(live_server, page, console_errors):
    policy_task = TaskFactory(number=1, title_en="Stable industrial growth")
    CommitmentFactory(task=policy_task, position=1, title_en="Keep manufacturing's share largely stable")

    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", name="Stable industrial growth")).to_be_visible()
    expect(page.get_by_text("Keep manufacturing's share largely stable")).to_be_visible()
    assert console_errors == []
