import pytest

from apps.localization.locales import locale_resolve, locale_tags


@pytest.mark.parametrize("given, tag", [
    ("es", "es-ES"), ("ru", "ru-RU"), ("en", "en-US"), ("es-MX", "es-MX"), ("es_mx", "es-MX"),
    ("EN-gb", "en-GB"), (" ru-RU ", "ru-RU"),
])
def test_tags_and_shorthands_resolve_to_a_supported_locale(given, tag):
    assert locale_resolve(given).tag == tag


@pytest.mark.parametrize("given", ["de", "es-AR", "ru-UA", "", "es-ES-x", None, 7])
def test_unsupported_tags_resolve_to_nothing(given):
    assert locale_resolve(given) is None


def test_supported_locales():
    assert locale_tags() == ["es-ES", "es-MX", "ru-RU", "en-US", "en-GB"]
