"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, an admin user."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own flags already turn most of these off; they are spelled out because
# the machine has no network beyond loopback and Chromium's background services would
# otherwise retry refused connections for the whole run.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def chromium_browser():
    """Debian's chromium (no Playwright browser download), one per test module.

    A plain launch gives every run a fresh temporary user-data dir.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    # Playwright's sync API keeps an asyncio loop running in this thread, which trips
    # Django's async-safety check on every ORM call the test itself makes; the server
    # runs in its own thread and is unaffected.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def admin_user(transactional_db):
    return User.objects.create_superuser(
        username=ADMIN_USERNAME, email="admin@example.com", password=ADMIN_PASSWORD)


@pytest.fixture
def screenshot_dir() -> Path:
    """Where screenshots are kept for a person to look at (var/ is git-ignored)."""
    path = Path(settings.BASE_DIR) / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
