"""Checks of localized content: figures faithful to the source in the target's format,
and a length in proportion to the source's."""

import pytest

from apps.generation.localize_checks import (
    figure_fidelity_failures,
    length_ratio_bounds,
    length_ratio_failures,
    locale_number_value,
)
from apps.localization.locales import locale_get

EN_US, ES_ES, ES_MX, RU = (locale_get(tag) for tag in ("en-US", "es-ES", "es-MX", "ru-RU"))
SOURCE = {"title": "Nordic Home throw XR-200",
          "description": "A 130 x 170 cm wool throw for $1,299.00, now 15% off. "
                         "Pack of 2, weighs 1.5 kg."}


def fidelity(target: dict, locale=ES_ES, source=SOURCE, source_locale=EN_US):
    return [(f.field, f.detail) for f in figure_fidelity_failures(
        source, target, source_locale=source_locale, target_locale=locale)]


@pytest.mark.parametrize("token, locale, value", [
    ("1.299,00", ES_ES, "1299.00"), ("1299", ES_ES, "1299"), ("1,5", ES_ES, "1.5"),
    ("1,299.00", ES_MX, "1299.00"), ("1\u00a0299,00", RU, "1299.00"),
    ("1 299,00", RU, "1299.00"), ("1 299", ES_ES, "1299"),
])
def test_a_number_is_read_as_its_market_writes_it(token, locale, value):
    assert str(locale_number_value(token, locale)) == value


@pytest.mark.parametrize("token, locale", [
    ("1,299.00", ES_ES), ("1.5", ES_ES), ("1.5", RU), ("1,5", EN_US), ("12,34", ES_MX)])
def test_a_number_in_another_markets_format_has_no_value(token, locale):
    assert locale_number_value(token, locale) is None


def test_a_faithful_spanish_target_passes():
    assert fidelity({"title": "Manta Nordic Home XR-200",
                     "description": "Manta de lana de 130 x 170 cm por 1.299,00 US$, ahora con "
                                    "un 15 % de descuento. Pack de 2; pesa 1,5 kg."}) == []


def test_the_same_figures_pass_in_russian_and_mexican_formats():
    assert fidelity({"title": "Плед Nordic Home XR-200",
                     "description": "Плед 130 x 170 см за 1 299,00 $, скидка 15 %. "
                                    "2 штуки, вес 1,5 кг."}, locale=RU) == []
    assert fidelity({"title": "Cobija Nordic Home XR-200",
                     "description": "Cobija de 130 x 170 cm por US$1,299.00, con 15 % de "
                                    "descuento. Paquete de 2; pesa 1.5 kg."}, locale=ES_MX) == []


def test_a_changed_price_is_an_added_figure_and_a_missing_one():
    failures = fidelity({"title": "Manta Nordic Home XR-200",
                         "description": "Manta de 130 x 170 cm por 1.199,00 US$, un 15 % menos. "
                                        "Pack de 2; pesa 1,5 kg."})

    assert failures == [
        ("description", "field 'description' gives '1.199,00', which the source does not "
                        "give; keep only the source's figures"),
        (None, "the content leaves out the source's figures '1,299.00'; give them as es-ES "
               "writes them ('1.299')")]


def test_an_added_size_fails():
    failures = fidelity({"title": "Manta Nordic Home XR-200 de 180 cm",
                         "description": "Manta de 130 x 170 cm por 1.299,00 US$, un 15 % menos. "
                                        "Pack de 2; pesa 1,5 kg."})

    assert failures == [("title", "field 'title' gives '180', which the source does not give; "
                                  "keep only the source's figures")]


def test_a_figure_left_in_the_sources_format_fails_as_foreign():
    failures = fidelity({"title": "Manta Nordic Home XR-200",
                         "description": "Manta de 130 x 170 cm por 1,299.00 US$, un 15 % menos. "
                                        "Pack de 2; pesa 1.5 kg."})

    assert [field for field, _ in failures] == ["description", None]
    assert failures[0][1] == ("field 'description' writes '1,299.00', '1.5' in another "
                              "market's number format; write numbers as es-ES does")


def test_a_dropped_model_number_and_percentage_fail():
    failures = fidelity({"title": "Manta Nordic Home",
                         "description": "Manta de 130 x 170 cm por 1.299,00 US$. Pack de 2; "
                                        "pesa 1,5 kg."})

    assert failures == [(None, "the content leaves out the source's figures '200', '15'; "
                               "give them as es-ES writes them ('200', '15')")]


# --- Length ratio ---------------------------------------------------------------------


def test_the_bounds_follow_the_language_pair():
    assert length_ratio_bounds("en", "es") == (0.42, 3.75)
    assert length_ratio_bounds("es", "en") == (0.27, 2.4)
    assert length_ratio_bounds("en", "ru") == (0.38, 3.45)
    assert length_ratio_bounds("es", "es") == (0.33, 3.0)


LONG_SOURCE = {"title": "Throw", "description": "d" * 100, "bullets": ["b" * 30, "b" * 30]}


def test_a_target_in_proportion_passes_and_short_fields_are_not_judged():
    target = {"title": "Manta de lana merino para el sofá", "description": "d" * 125,
              "bullets": ["b" * 40, "b" * 35]}

    assert length_ratio_failures(LONG_SOURCE, target, source_language="en",
                                 target_language="es") == []


def test_a_cut_or_padded_field_fails_with_its_ratio_and_bounds():
    target = {"title": "Manta", "description": "d" * 400, "bullets": ["b" * 10, "b" * 10]}

    failures = length_ratio_failures(LONG_SOURCE, target, source_language="en",
                                     target_language="es")

    assert [(f.check, f.field, f.detail) for f in failures] == [
        ("length_ratio", "description",
         "field 'description' is 4.00 times as long as its source (400 characters for 100); "
         "from en to es it should be 0.42 to 3.75 times as long: adapt the whole source, "
         "no more"),
        ("length_ratio", "bullets",
         "field 'bullets' is 0.33 times as long as its source (20 characters for 60); "
         "from en to es it should be 0.42 to 3.75 times as long: adapt the whole source, "
         "no more")]


# --- The check of a localized item, inside the output checks ---------------------------


def localized_failures(target: dict, source: dict, glossary=None) -> list[tuple]:
    from apps.generation.checks import CheckRules, content_check
    from apps.generation.localize_checks import LocalizationCheck

    rules = CheckRules(language="es", localization=LocalizationCheck(
        source=source, source_locale=EN_US, target_locale=ES_ES, glossary=glossary))
    return [(f.check, f.field) for f in content_check(target, rules).failures
            if f.check in ("figure", "length_ratio", "glossary")]


LIST_SOURCE = {"title": "Wool throw, 130 x 170 cm",
               "bullets": ["Soft merino wool from New Zealand farms",
                           "Large enough for two at 130 x 170 cm",
                           "Machine washable at 30 degrees on a wool cycle"]}


def test_a_list_field_is_judged_as_the_list_it_is():
    target = {"title": "Manta de lana, 130 x 170 cm",
              "bullets": ["Lana merino suave de granjas de Nueva Zelanda",
                          "Tan grande que cabéis dos: 130 x 170 cm",
                          "Lavable a máquina a 30 grados con programa de lana"]}

    assert localized_failures(target, LIST_SOURCE) == []


def test_a_figure_added_in_a_list_entry_and_a_list_cut_short_are_both_caught():
    target = {"title": "Manta de lana, 130 x 170 cm",
              "bullets": ["Lana", "Para dos, 130 x 170 cm y 2 kg", "Lavable a 30"]}

    assert localized_failures(target, LIST_SOURCE) == [
        ("figure", "bullets.1"), ("length_ratio", "bullets")]
