"""The brand admin in a real browser: a person creates a template with a Russian
override and previews the exact prompts the pipeline would send."""

import math
import shutil
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import expect

from apps.brands.models import BrandTemplate, BrandTemplateVersion
from tests.e2e.conftest import ADMIN_PASSWORD, ADMIN_USERNAME

# The admin follows the browser's Accept-Language.
UI_LANGUAGES = ["en", "es", "ru"]
VIEWPORT = {"width": 1280, "height": 900}
# Django admin's --header-bg (#417690) in the light theme: only there once base.css loaded.
ADMIN_HEADER_BACKGROUND = "rgb(65, 118, 144)"


@dataclass(frozen=True)
class AdminLabels:
    """What a person reads and clicks in the admin, in one UI language."""

    log_in: str
    add_locale_override: str
    formal_address: str
    save_and_continue: str
    brand_added: str
    preview_prompts: str
    preview_title: str


def admin_labels(language: str) -> AdminLabels:
    """The labels in `language`, from the same catalogs the server renders with.

    The English text is the msgid, so the English run asserts these exact strings.
    """
    with translation.override(language):
        added = gettext("The {name} “{obj}” was added successfully.") + " " + gettext(
            "You may edit it again below.")
        return AdminLabels(
            log_in=gettext("Log in"),
            add_locale_override=gettext("Add another %(verbose_name)s") % {
                "verbose_name": capfirst(gettext("locale override"))},
            formal_address=gettext("Formal (usted / вы)"),
            save_and_continue=gettext("Save and continue editing"),
            # The admin's messages template capitalises the first letter ({{ message|capfirst }}).
            brand_added=capfirst(added.format(name=gettext("brand template"), obj="Nordic Home")),
            preview_prompts=gettext("Preview prompts"),
            preview_title=gettext("Prompt preview: %(name)s") % {"name": "Nordic Home"},
        )


def test_admin_labels_in_english_are_the_source_strings():
    assert admin_labels("en") == AdminLabels(
        log_in="Log in",
        add_locale_override="Add another Locale override",
        formal_address="Formal (usted / вы)",
        save_and_continue="Save and continue editing",
        brand_added=("The brand template “Nordic Home” was added successfully. "
                     "You may edit it again below."),
        preview_prompts="Preview prompts",
        preview_title="Prompt preview: Nordic Home",
    )


def header_background(page) -> str:
    return page.locator("#header").evaluate("el => getComputedStyle(el).backgroundColor")


def prompt_blocks(page, locale: str):
    """The system and user message blocks under the preview's heading for `locale`."""
    section = page.locator(".prompt-locale").filter(
        has=page.get_by_role("heading", name=locale, exact=True))
    return section.locator(".prompt")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_admin_creates_brand_with_russian_override_and_previews_its_prompt(
        language, live_server, chromium_browser, admin_user, workspace, screenshot_dir,
        tmp_path):
    labels = admin_labels(language)
    context = chromium_browser.new_context(
        base_url=live_server.url, locale=language, viewport=VIEWPORT, device_scale_factor=1,
        color_scheme="light")
    context.set_default_timeout(10_000)
    page = context.new_page()

    # Given an admin logged in through the login form, in a styled admin.
    page.goto("/admin/login/?next=/admin/")
    assert page.locator("html").get_attribute("lang") == language
    assert header_background(page) == ADMIN_HEADER_BACKGROUND
    page.locator("#id_username").fill(ADMIN_USERNAME)
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=labels.log_in).click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    # When they add a brand template with a Russian override and save it.
    page.goto("/admin/brands/brandtemplate/add/")
    page.locator("#id_workspace").select_option(label="Acme")
    page.locator("#id_name").fill("Nordic Home")
    page.locator("#id_slug").fill("nordic-home")
    page.locator("#id_voice").fill("Warm, calm and practical.")
    page.locator("#id_banned_terms").fill('["cheap"]')
    page.get_by_role("button", name=labels.add_locale_override).click()
    page.locator("#id_locale_overrides-0-locale").select_option("ru")
    page.locator("#id_locale_overrides-0-address").select_option(label=labels.formal_address)
    page.locator("#id_locale_overrides-0-notes").fill("Без англицизмов.")
    page.locator("#id_locale_overrides-0-banned_terms").fill('["дешёвый"]')
    page.locator("#id_locale_overrides-0-currency").fill("RUB")
    page.get_by_role("button", name=labels.save_and_continue).click()

    # Then the admin confirms it and the first immutable version holds the override.
    expect(page.locator("ul.messagelist li.success")).to_have_text(labels.brand_added)
    brand = BrandTemplate.objects.get(workspace=workspace, slug="nordic-home")
    expect(page).to_have_url(f"{live_server.url}/admin/brands/brandtemplate/{brand.pk}/change/")
    version = BrandTemplateVersion.objects.get(brand=brand)
    assert version.number == 1
    assert version.snapshot["banned_terms"] == ["cheap"]
    assert version.snapshot["locales"] == {"ru": {
        "address": "formal", "notes": "Без англицизмов.", "banned_terms": ["дешёвый"],
        "currency": "RUB"}}

    # When they open the prompt preview from the change page.
    page.get_by_role("link", name=labels.preview_prompts).click()

    # Then the page shows the exact messages per locale, the override in Russian only.
    expect(page).to_have_url(f"{live_server.url}/admin/brands/brandtemplate/{brand.pk}/preview/")
    expect(page.locator("#content h1")).to_have_text(labels.preview_title)
    assert header_background(page) == ADMIN_HEADER_BACKGROUND
    assert page.locator(".prompt-locale h2").all_inner_texts() == [
        "es-ES", "es-MX", "ru-RU", "en-US", "en-GB"]
    ru_system, ru_user = prompt_blocks(page, "ru-RU").all()
    ru_user_lines = ru_user.inner_text().splitlines()
    assert ru_user_lines[:ru_user_lines.index("<product_data>")] == [
        "Content kind: product_description",
        "Target locale: ru-RU",
        "Write every field in Russian. Write natively in Russian, not as a translation. Use « » "
        "quotation marks, the em dash (—) with spaces around it, a decimal comma, a space "
        "between thousands (1 299,00 ₽), and units in Russian (мл, см, кг).",
        "Figures in the data are already written the way this market writes them: quote them "
        "exactly as given.",
        'Address the reader as "вы" (lower case).',
        "Notes for this market: Без англицизмов.",
        "Also never use, in this market: дешёвый.",
        "This market's currency is RUB; quote prices only as the data gives them.",
    ]
    assert ru_user_lines[-1] == "</product_data>"
    system_lines = ru_system.inner_text().splitlines()
    assert system_lines[0] == 'You are the in-house copywriter of the brand "Nordic Home".'
    banned = system_lines.index("Never use these terms, in any form:")
    assert system_lines[banned + 1:banned + 3] == ["- cheap", ""]
    assert "Без англицизмов." not in ru_system.inner_text()
    en_user = prompt_blocks(page, "en-US").nth(1).inner_text()
    assert "Target locale: en-US" in en_user
    assert "Notes for this market:" not in en_user

    # And the screenshot shows the styled page with the Russian prompt in it.
    full_path = tmp_path / f"admin-prompt-preview-{language}.png"
    prompt_path = tmp_path / f"admin-prompt-preview-{language}-ru-user.png"
    page.evaluate("window.scrollTo(0, 0)")
    page_size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    page.screenshot(path=full_path, full_page=True)
    box = ru_user.bounding_box()
    ru_user.screenshot(path=prompt_path)
    context.close()
    for path in (full_path, prompt_path):
        shutil.copy(path, screenshot_dir / path.name)

    assert full_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert full_path.stat().st_size > 50_000
    full = Image.open(full_path).convert("RGB")
    prompt = Image.open(prompt_path).convert("RGB")
    assert list(full.size) == page_size
    assert full.width == VIEWPORT["width"]
    assert full.height > VIEWPORT["height"]
    assert 0 < box["x"] and box["x"] + box["width"] <= full.width
    assert 0 < box["y"] and box["y"] + box["height"] <= full.height
    # Playwright widens an element screenshot to whole pixels around the box.
    pixels = (math.floor(box["x"]), math.floor(box["y"]),
              math.ceil(box["x"] + box["width"]), math.ceil(box["y"] + box["height"]))
    assert prompt.size == (pixels[2] - pixels[0], pixels[3] - pixels[1])
    # Text on the block's background, not an empty or single-colour box.
    assert ImageStat.Stat(prompt.convert("L")).stddev[0] > 20
    # The same pixels sit where the DOM puts the block in the full-page screenshot.
    region = full.crop(pixels)
    assert ImageStat.Stat(ImageChops.difference(region, prompt).convert("L")).mean[0] < 2
