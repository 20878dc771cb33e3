"""The quality gate's checks one by one: minimums, debris, words that exist, short
fields' language, figures faithful to the data, repetition, the score and the threshold,
and the dictionaries' loading."""

import threading

import pytest

from apps.generation.checks import CheckFailure, CheckRules, SourceData, content_check
from apps.generation.quality import dictionaries
from apps.generation.quality.defaults import field_bounds
from apps.generation.quality.score import quality_score

DESCRIPTION_ES = ("La lámpara tiene una base de roble macizo y una luz cálida que puedes "
                  "regular. Es ideal para leer por la noche o trabajar en casa sin cansar la "
                  "vista, y su madera gana color con los años.")
LAMP = SourceData(texts=("Oak desk lamp", "LAMP-OAK-45", "height", "45 cm", "material",
                         "solid oak", "89,00\u00a0€"),
                  brief="A dimmable desk lamp with an oak base and a warm light for reading.")


def checks_of(content: dict, **rules) -> list[tuple[str, str | None]]:
    report = content_check(content, CheckRules(**rules))
    return [(failure.check, failure.field) for failure in report.failures]


# --- minimums -------------------------------------------------------------------------


def test_every_kind_field_gets_a_minimum_and_a_brand_bound_overrides_it():
    bounds, words = field_bounds("product_description", {"bullets": {"min": 6, "max": 80}})

    assert bounds["description"] == (200, 3000)
    assert words["description"] == 30
    assert bounds["bullets"] == (6, 80)
    assert words["bullets"] == 1  # the brand asked for shorter bullets: fewer words too


def test_a_brace_is_never_a_description():
    bounds, words = field_bounds("product_description", None)
    rules = dict(language="en", length_bounds=bounds, min_words=words)

    assert ("length", "description") in checks_of({"description": "{"}, **rules)


def test_a_bullet_needs_words():
    assert checks_of({"bullets": ["Solid oak base", "Oak"]}, language="en",
                     min_words={"bullets": 3}) == [("length", "bullets.1")]


# --- debris ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "A warm light.</br> Made of oak.",
    "A <b>warm</b> light.",
    "A warm light &amp; an oak base.",
    "A warm light.\\nAn oak base.",
    "\"description\": \"A warm light\"",
    "A warm light with a metavarice_mug base.",
    "A warm light }",
    "A warm light,   an oak base.",
    "A warm light , an oak base.",
    "A warm light,, an oak base.",
    "A warm light (and an oak base.",
    "material: oak\nheight: 45 cm",
    "string",
    "A warm light for %s.",
])
def test_structural_debris_fails(text):
    assert checks_of({"title": text}, language="en") == [("debris", "title")]


@pytest.mark.parametrize("language, text", [
    ("es", "¿Buscas una lámpara cálida? ¡Aquí está!"),
    ("ru", "Лампа «Северный дом» — тёплый свет (и дуб)."),
    ("en", "A lamp that is easy to care for"),
    ("ru", "Для ноутбуков до 15,6 дюйм., а ещё для книг."),
])
def test_ordinary_punctuation_is_not_debris(language, text):
    assert checks_of({"title": text}, language=language) == []


def test_a_sentence_field_cut_mid_sentence_fails_and_a_title_may_go_without_a_full_stop():
    rules = dict(language="es", sentence_fields=frozenset({"description"}))

    assert checks_of({"description": DESCRIPTION_ES[:-1] + ", y"}, **rules) == [
        ("debris", "description")]
    assert checks_of({"description": DESCRIPTION_ES, "title": "Lámpara de roble"},
                     **rules) == []
    assert checks_of({"title": "Lámpara de roble para"}, **rules) == [("debris", "title")]


# --- words that exist -----------------------------------------------------------------


@pytest.mark.parametrize("language, text", [
    ("es", "Espaíro con ocho casas de la fútima de llamada"),
    ("es", "Dibuja escábre en un mundo más desacahuera,"[:-1] + "."),
    ("ru", "Оценка Роевской динамы в окружации. Много персоков."),
    ("ru", "Мягкий плед для объядла и комфорции."),
    ("en", "A flimbering lamp with a brastly glow."),
])
def test_invented_words_fail(language, text):
    assert ("gibberish", "title") in checks_of({"title": text}, language=language)


@pytest.mark.parametrize("language, text", [
    ("es", "Descúbrela, pídelo y llévatelo: cómprala hoy."),
    ("ru", "Тёплый плед по-настоящему согреет, а кое-что ещё порадует."),
    ("en", "A cozy, colorful center for your favorite den."),
    ("ru", "Рюкзак Oak для ноутбука, 780 г, USB и LED."),
])
def test_real_words_in_any_form_pass(language, text):
    assert checks_of({"title": text}, language=language) == []


def test_the_customers_own_words_are_not_judged():
    text = "La lámpara Flimbor Brastly es de roble."
    assert checks_of({"title": text}, language="es", known_phrases=("Flimbor Brastly",)) == []


# --- language of short fields -----------------------------------------------------------


def test_an_english_title_for_a_russian_item_fails_unless_it_is_the_given_name():
    content = {"title": "Nordic Home's OAK Desk Lamp", "short_description": "Лампа из дуба."}
    rules = dict(language="ru", known_phrases=("Oak desk lamp", "Nordic Home"))

    assert checks_of(content, **rules) == [("language", "title")]
    assert checks_of({**content, "title": "Oak desk lamp"}, **rules) == []


def test_an_english_possessive_is_english():
    content = {"title": "Nordic Home's wool throw",
               "description": "A soft merino throw that keeps you warm on winter evenings."}

    assert checks_of(content, language="en", known_phrases=("Nordic Home", "Wool throw")) == []


def test_an_english_bullet_for_a_spanish_item_fails():
    found = checks_of({"description": DESCRIPTION_ES,
                       "bullets": ["Base de roble macizo", "Perfect gift for your home"]},
                      language="es")

    assert found == [("language", "bullets.1")]


# --- faithfulness -----------------------------------------------------------------------


def test_an_invented_size_fails_and_the_data_figures_pass():
    content = {"title": "Lámpara de roble de 45 cm", "bullets": ["Mide 24 x 56 pulgadas"]}
    failures = content_check(content, CheckRules(language="es", source=LAMP)).failures

    assert failures == (CheckFailure(
        "figure", "bullets.0",
        "field 'bullets.0' gives the figures '24', '56', which the product data does not "
        "give; quote only the data's figures, exactly as written"),)


def test_a_price_is_judged_by_the_price_check_only():
    content = {"title": "Lámpara de roble por 59,00\u00a0€"}
    rules = CheckRules(language="es", source=LAMP, prices=())

    assert [f.check for f in content_check(content, rules).failures] == ["price"]


def test_bullets_that_only_echo_the_data_fail():
    content = {"bullets": ["89,00\u00a0€", "solid oak", "Base de roble macizo"]}

    assert checks_of(content, language="es", source=LAMP) == [
        ("echo", "bullets.0"), ("echo", "bullets.1")]


# --- repetition -------------------------------------------------------------------------


def test_a_phrase_in_a_loop_a_repeated_field_and_the_brief_pasted_back_fail():
    loop = "La lámpara es muy bonita. " * 3 + DESCRIPTION_ES
    content = {"description": loop, "meta_description": DESCRIPTION_ES,
               "short_description": DESCRIPTION_ES,
               "title": "A dimmable desk lamp with an oak base and a warm light for reading."}

    found = checks_of(content, language="es", source=LAMP)

    assert ("repetition", "description") in found
    assert ("repetition", "short_description") in found  # repeats meta_description
    assert ("repetition", "title") in found  # the brief


# --- the score and the threshold --------------------------------------------------------


def test_clean_content_scores_high_and_a_failed_check_scores_under_50():
    clean = content_check({"description": DESCRIPTION_ES}, CheckRules(language="es"))
    failed = content_check({"description": DESCRIPTION_ES, "title": "Lámpara <b>"},
                           CheckRules(language="es"))

    assert clean.quality >= 90
    assert failed.quality < 50
    assert quality_score((), unknown_words=0, repeated_phrases=0) == 100


def test_below_the_threshold_the_content_fails_even_when_no_check_did():
    text = DESCRIPTION_ES + " Tiene un brillo flimbor."  # one unknown word: under every bar
    lenient = content_check({"description": text}, CheckRules(language="es", min_quality=60))
    strict = content_check({"description": text}, CheckRules(language="es", min_quality=99))

    assert lenient.passed
    assert [f.check for f in strict.failures] == ["quality"]
    assert strict.as_dict()["quality"] == lenient.quality < 99


# --- dictionaries -----------------------------------------------------------------------


def test_each_dictionary_is_built_once_whatever_the_threads(monkeypatch):
    monkeypatch.setattr(dictionaries, "_dictionaries", {})
    built = []
    real_load = dictionaries._load

    def counting_load(language):
        built.append(language)
        return real_load(language)

    monkeypatch.setattr(dictionaries, "_load", counting_load)
    start = threading.Barrier(6)
    found = []

    def first_use():
        start.wait()
        found.append(dictionaries.dictionary("es"))

    threads = [threading.Thread(target=first_use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert built == ["es"]
    assert len({id(d) for d in found}) == 1


def test_missing_dictionaries_fail_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(dictionaries, "_dictionaries", {})
    monkeypatch.setattr(dictionaries, "DICTIONARY_FILES", {"ru": "xx_NONE"})

    with pytest.raises(dictionaries.DictionaryUnavailable, match="make install"):
        dictionaries.dictionary("ru")
