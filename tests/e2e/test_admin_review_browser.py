"""The review desk in a real browser, in each UI language: a person opens the review queue
from the index, opens a flagged item, sees the banned term marked, fixes the text, saves
(the checks run again), approves, bulk-approves two more items, and opens the workspace's
spend dashboard, whose chart is really drawn."""

import math
import shutil
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from PIL import Image, ImageStat
from playwright.sync_api import expect

from apps.jobs.admin.charts import PALETTE
from apps.jobs.models import JobItem
from tests.e2e.conftest import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.jobs.test_admin_review import flagged

UI_LANGUAGES = ["en", "es", "ru"]
VIEWPORT = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class ReviewLabels:
    """What a person reads and clicks on the review desk, in one UI language."""

    log_in: str
    open_queue: str
    queue_title: str
    banned_term: str
    save: str
    saved: str
    approve: str
    approved: str
    bulk_action: str
    bulk_approved: str
    dashboard_title: str


def review_labels(language: str) -> ReviewLabels:
    """The labels in `language`, from the catalogs the server renders with; the English
    run asserts the source strings themselves (see the test below)."""
    with translation.override(language):
        return ReviewLabels(
            log_in=gettext("Log in"),
            open_queue=gettext("Open the review queue"),
            queue_title=gettext("Items to review"),
            banned_term=gettext("Banned term"),
            save=gettext("Save and check again"),
            saved=gettext("Saved as revision %(number)s; every check passed.") % {"number": 1},
            approve=gettext("Approve"),
            approved=gettext("%(item)s approved.") % {"item": "SKU-001 [en]"},
            bulk_action=gettext("Approve the selected items"),
            bulk_approved=ngettext("%(count)d item approved.", "%(count)d items approved.",
                                   2) % {"count": 2},
            dashboard_title=gettext("Spend of %(workspace)s") % {"workspace": "Acme"},
        )


def test_review_labels_in_english_are_the_source_strings():
    assert review_labels("en") == ReviewLabels(
        log_in="Log in", open_queue="Open the review queue", queue_title="Items to review",
        banned_term="Banned term", save="Save and check again",
        saved="Saved as revision 1; every check passed.", approve="Approve",
        approved="SKU-001 [en] approved.", bulk_action="Approve the selected items",
        bulk_approved="2 items approved.", dashboard_title="Spend of Acme")


@pytest.fixture
def flagged_items(catalog_on_simulator, sim, brand, workspace):
    """Three products whose every answer used the banned term: each billed for its calls
    and waiting for a person."""
    return flagged(workspace, sim, count=3)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_a_person_fixes_approves_and_bulk_approves_then_reads_the_spend(
        language, live_server, chromium_browser, admin_user, workspace, flagged_items,
        screenshot_dir, tmp_path):
    labels = review_labels(language)
    first, second, third = flagged_items
    context = chromium_browser.new_context(
        base_url=live_server.url, locale=language, viewport=VIEWPORT, device_scale_factor=1,
        color_scheme="light")
    context.set_default_timeout(10_000)
    page = context.new_page()

    # Given an admin logged in, on the index.
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(ADMIN_USERNAME)
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=labels.log_in).click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("#panel-review .figure")).to_have_text("3")

    # When they open the review queue and the first flagged item.
    page.get_by_role("link", name=labels.open_queue).click()
    expect(page.locator("#content h1")).to_have_text(labels.queue_title)
    page.locator("#result_list").get_by_role("link", name="SKU-001", exact=True).click()

    # Then the banned term is marked with its check's name, in the title it stands in.
    mark = page.locator("#marked-content mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("cheap")
    assert mark.get_attribute("data-check") == "banned_term"
    assert mark.get_attribute("title") == labels.banned_term

    # When they fix the title and save: the checks run again and find nothing.
    page.locator("#id_title").fill("A solid oak desk lamp")
    page.get_by_role("button", name=labels.save).click()
    expect(page.locator("ul.messagelist li.success")).to_have_text(labels.saved)
    expect(page.locator("#marked-content mark")).to_have_count(0)
    expect(page.locator("#revisions table.diff")).to_have_count(1)

    # And approve it: back in the queue, the item approved by them.
    page.get_by_role("button", name=labels.approve, exact=True).click()
    expect(page.locator("ul.messagelist li.success")).to_have_text(labels.approved)
    first.refresh_from_db()
    assert (first.review, first.reviewed_by, first.content["title"]) == (
        "approved", "user:admin", "A solid oak desk lamp")

    # When they select the two other items and approve them at once.
    for item in (second, third):
        page.locator(f"input.action-select[value='{item.pk}']").check()
    page.locator("select[name='action']").select_option(label=labels.bulk_action)
    page.locator("button[name='index']").click()
    expect(page.locator("ul.messagelist li.success")).to_have_text(labels.bulk_approved)
    assert set(JobItem.objects.values_list("review", flat=True)) == {"approved"}

    # When they open the workspace's spend dashboard from the index.
    page.goto("/admin/")
    page.locator("#panel-spend").get_by_role("link", name="Acme").click()
    expect(page.locator("#content h1")).to_have_text(labels.dashboard_title)

    # Then the cost chart is drawn: bars in the series' colours where the chart is.
    chart = page.locator("#cost-per-day svg")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() >= 1
    chart_path = tmp_path / f"admin-spend-{language}-chart.png"
    full_path = tmp_path / f"admin-spend-{language}.png"
    box = chart.bounding_box()
    chart.screenshot(path=chart_path)
    page.screenshot(path=full_path, full_page=True)
    context.close()
    for path in (chart_path, full_path):
        shutil.copy(path, screenshot_dir / path.name)

    image = Image.open(chart_path).convert("RGB")
    assert image.size == (math.ceil(box["x"] + box["width"]) - math.floor(box["x"]),
                          math.ceil(box["y"] + box["height"]) - math.floor(box["y"]))
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 5
    series_colours = {tuple(int(colour[n:n + 2], 16) for n in (1, 3, 5)) for colour in PALETTE}
    bar_pixels = sum(count for count, rgb in image.getcolors(maxcolors=1 << 16)
                     if rgb in series_colours)
    assert bar_pixels > 50
