"""A custom kind made in the admin in a real browser, in each UI language: a person adds
a kind with a text field and a list field, is told which field no model could satisfy,
fixes it, saves; then a job over the API uses the kind by its slug and its limit holds
(an answer over it is written again)."""

from dataclasses import dataclass

import httpx
import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from apps.accounts.services import api_key_create
from apps.brands.models import CustomKind, CustomKindVersion
from apps.brands.services import brand_create
from apps.jobs.models import GenerationAttempt, JobItem
from apps.jobs.services import item_generate
from tests.conftest import BRAND_FIELDS, product, script, sim_requests
from tests.e2e.conftest import ADMIN_PASSWORD, ADMIN_USERNAME

UI_LANGUAGES = ["en", "es", "ru"]
VIEWPORT = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class KindLabels:
    log_in: str
    add_field: str
    list_type: str
    save_and_continue: str
    too_small: str
    kind_added: str


def kind_labels(language: str) -> KindLabels:
    """The labels in `language`, from the catalogs the server renders with; the English
    run asserts the source strings themselves."""
    with translation.override(language):
        added = gettext("The {name} “{obj}” was added successfully.") + " " + gettext(
            "You may edit it again below.")
        return KindLabels(
            log_in=gettext("Log in"),
            add_field=gettext("Add another %(verbose_name)s") % {
                "verbose_name": capfirst(gettext("field"))},
            list_type=gettext("List of texts"),
            save_and_continue=gettext("Save and continue editing"),
            too_small=gettext("A field holds at least 1 character."),
            kind_added=capfirst(added.format(name=gettext("custom kind"),
                                             obj="Push notification")),
        )


def test_kind_labels_in_english_are_the_source_strings():
    assert kind_labels("en") == KindLabels(
        log_in="Log in", add_field="Add another Field", list_type="List of texts",
        save_and_continue="Save and continue editing",
        too_small="A field holds at least 1 character.",
        kind_added=("The custom kind “Push notification” was added successfully. You may edit "
                    "it again below."))


def test_kind_labels_are_translated():
    assert kind_labels("es").too_small == "Un campo tiene al menos 1 carácter."
    assert kind_labels("ru").list_type == "Список текстов"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_a_kind_made_in_the_admin_is_used_over_the_api_and_its_limit_holds(
        language, live_server, chromium_browser, admin_user, workspace, sim,
        catalog_on_simulator):
    labels = kind_labels(language)
    context = chromium_browser.new_context(base_url=live_server.url, locale=language,
                                           viewport=VIEWPORT, color_scheme="light")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(ADMIN_USERNAME)
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=labels.log_in).click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    # When a person adds a kind whose title may hold no character at all.
    page.goto("/admin/brands/customkind/add/")
    page.locator("#id_workspace").select_option(label="Acme")
    page.locator("#id_name").fill("Push notification")
    page.locator("#id_slug").fill("push_notification")
    page.locator("#id_instructions").fill(
        "Write a push notification for the shop's app: a short title and the perks.")
    page.locator("#id_kind_fields-0-name").fill("title")
    page.locator("#id_kind_fields-0-label").fill("Title")
    page.locator("#id_kind_fields-0-min_chars").fill("5")
    page.locator("#id_kind_fields-0-max_chars").fill("0")
    page.get_by_role("button", name=labels.add_field).click()
    page.locator("#id_kind_fields-1-name").fill("perks")
    page.locator("#id_kind_fields-1-label").fill("Perks")
    page.locator("#id_kind_fields-1-type").select_option(label=labels.list_type)
    page.locator("#id_kind_fields-1-min_chars").fill("10")
    page.locator("#id_kind_fields-1-max_chars").fill("60")
    page.locator("#id_kind_fields-1-min_entries").fill("2")
    page.locator("#id_kind_fields-1-max_entries").fill("4")
    page.get_by_role("button", name=labels.save_and_continue).click()

    # Then it is refused on that field, in their language, and nothing is stored.
    expect(page.locator(".inline-group .errorlist li").filter(has_text=labels.too_small)) \
        .to_have_count(1)
    assert not CustomKind.objects.exists()

    # When they give the title a limit and save again.
    page.locator("#id_kind_fields-0-max_chars").fill("40")
    page.get_by_role("button", name=labels.save_and_continue).click()

    # Then the kind's first version holds both fields with their limits.
    expect(page.locator("ul.messagelist li.success")).to_have_text(labels.kind_added)
    version = CustomKindVersion.objects.get(kind__workspace=workspace,
                                            kind__slug="push_notification")
    assert version.number == 1
    assert [(f["name"], f["is_list"], f["min_chars"], f["max_chars"], f["min_entries"],
             f["max_entries"]) for f in version.spec["fields"]] == [
        ("title", False, 5, 40, 1, 1), ("perks", True, 10, 60, 2, 4)]
    context.close()

    # When a job over the API asks for the kind and the model's first title is too long.
    brand_create(workspace=workspace, **BRAND_FIELDS)
    key = api_key_create(workspace=workspace).raw_key
    response = httpx.post(f"{live_server.url}/api/v1/jobs/", json={
        "kind": "push_notification", "brand": "nordic-home", "locales": [language],
        "items": [product(1)]}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 202, response.text
    script(sim, {"overrun": {"field": "title", "length": 41}})
    item = JobItem.objects.get(job_id=response.json()["id"])
    item_generate(item_id=item.pk)

    # Then the answer over the limit is written again, and the stored title fits.
    item.refresh_from_db()
    first, second = GenerationAttempt.objects.filter(item=item).order_by("pk")
    assert "field 'title' is 41 characters; the maximum is 40" in first.error
    assert second.outcome == GenerationAttempt.Outcome.OK
    assert item.status == JobItem.Status.SUCCEEDED, item.checks
    assert len(item.content["title"]) <= 40
    assert 2 <= len(item.content["perks"]) <= 4
    assert "- title: at most 40 characters" in sim_requests(sim)[0]["body"]["messages"][0][
        "content"]
