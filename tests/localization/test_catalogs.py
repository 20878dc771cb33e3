from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["es", "ru", "en"])
def test_catalog_has_no_missing_or_fuzzy_translations(language):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po, locale=language)

    def translated(message) -> bool:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = catalog.num_plurals if message.pluralizable else 1
        return len(forms) == expected and all(forms)

    untranslated = [m.id for m in catalog if m.id and not translated(m)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalog) > 50


@pytest.mark.parametrize("language", ["es", "ru", "en"])
def test_catalog_is_compiled(language):
    po = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")

    assert mo.exists(), "run `make messages`"
    assert mo.stat().st_mtime >= po.stat().st_mtime, "the .mo is older than its .po"


@pytest.mark.parametrize("count, expected", [(1, "1 шаблон архивирован."),
                                             (3, "3 шаблона архивировано."),
                                             (5, "5 шаблонов архивировано."),
                                             (21, "21 шаблон архивирован.")])
def test_russian_plurals_use_all_three_forms(count, expected):

    with translation.override("ru"):
        text = ngettext("%(count)d template archived.", "%(count)d templates archived.", count)

    assert text % {"count": count} == expected
