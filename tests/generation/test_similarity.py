"""The distinctness measure of A/B variants: word-bigram Jaccard on normalised text.

The examples set the threshold (NEAR_DUPLICATE = 0.4): in each language, a rewording
(about one word in six swapped for a synonym) and the same sentences reordered score well
above it; a text written from another angle about the same product scores far below it.
"""

import pytest

from apps.generation.checks import CheckRules, content_check
from apps.generation.similarity import (
    NEAR_DUPLICATE,
    SiblingContent,
    content_similarity,
    most_similar,
    normalised_words,
    text_similarity,
)

ORIGINAL = {
    "en": "The Oak desk lamp gives a warm, even light for long evenings of reading. Its solid "
          "oak base keeps it steady on any desk, and the linen shade softens the glare. "
          "Switch it on and your workspace feels calm at once.",
    "es": "La lámpara de escritorio Oak ofrece una luz cálida y uniforme para las largas "
          "tardes de lectura. Su base de roble macizo la mantiene firme sobre cualquier mesa, "
          "y la pantalla de lino suaviza el brillo. Enciéndela y tu espacio de trabajo se "
          "llenará de calma.",
    "ru": "Настольная лампа Oak даёт тёплый и ровный свет для долгих вечеров с книгой. "
          "Основание из массива дуба надёжно стоит на любом столе, а льняной абажур смягчает "
          "блики. Включите её, и рабочее место сразу станет уютным.",
}
REWORDED = {
    "en": "The Oak desk lamp gives a soft, even light for long nights of reading. Its solid "
          "oak base keeps it stable on any table, and the linen shade softens the glare. "
          "Turn it on and your workspace feels calm at once.",
    "es": "La lámpara de escritorio Oak da una luz cálida y uniforme para las largas noches "
          "de lectura. Su base de roble macizo la mantiene estable sobre cualquier "
          "escritorio, y la pantalla de lino suaviza el reflejo. Enciéndela y tu rincón de "
          "trabajo se llenará de calma.",
    "ru": "Настольная лампа Oak даёт мягкий и ровный свет для долгих вечеров за чтением. "
          "Основание из массива дуба устойчиво стоит на любом столе, а льняной абажур "
          "смягчает блики. Включите её, и рабочий уголок сразу станет уютным.",
}
REORDERED = {
    "en": "Your workspace feels calm at once when you switch it on. The Oak desk lamp gives "
          "a warm, even light for long evenings of reading, and the linen shade softens the "
          "glare. Its solid oak base keeps it steady on any desk.",
    "es": "Enciéndela y tu espacio de trabajo se llenará de calma. Su base de roble macizo "
          "la mantiene firme sobre cualquier mesa. La lámpara de escritorio Oak ofrece una "
          "luz cálida y uniforme para las largas tardes de lectura, y la pantalla de lino "
          "suaviza el brillo.",
    "ru": "Включите её, и рабочее место сразу станет уютным. Основание из массива дуба "
          "надёжно стоит на любом столе. Настольная лампа Oak даёт тёплый и ровный свет для "
          "долгих вечеров с книгой, а льняной абажур смягчает блики.",
}
ANOTHER_ANGLE = {
    "en": "Tired of squinting at your screen after dark? Meet the Oak desk lamp: a "
          "hand-finished oak base, a linen shade and a bulb that lasts ten years. Order today "
          "and light up your evenings.",
    "es": "¿Cansado de forzar la vista por la noche? Descubre la lámpara Oak: base de roble "
          "acabada a mano, pantalla de lino y una bombilla que dura diez años. Pídela hoy y "
          "dale luz a tus tardes.",
    "ru": "Устали щуриться в темноте? Знакомьтесь: лампа Oak с основанием из дуба ручной "
          "отделки, льняным абажуром и лампочкой, которая прослужит десять лет. Закажите "
          "сегодня и сделайте вечера светлее.",
}


@pytest.mark.parametrize(("language", "expected"), [("en", 0.60), ("es", 0.58), ("ru", 0.55)])
def test_a_rewording_is_a_near_duplicate(language, expected):
    score = text_similarity(ORIGINAL[language], REWORDED[language])

    assert round(score, 2) == expected
    assert score >= NEAR_DUPLICATE


@pytest.mark.parametrize(("language", "expected"), [("en", 0.76), ("es", 0.88), ("ru", 0.84)])
def test_the_same_sentences_reordered_are_a_near_duplicate(language, expected):
    score = text_similarity(ORIGINAL[language], REORDERED[language])

    assert round(score, 2) == expected
    assert score >= NEAR_DUPLICATE


@pytest.mark.parametrize(("language", "expected"), [("en", 0.07), ("es", 0.07), ("ru", 0.02)])
def test_a_text_from_another_angle_is_distinct_although_it_names_the_same_product(
        language, expected):
    score = text_similarity(ORIGINAL[language], ANOTHER_ANGLE[language])

    assert round(score, 2) == expected
    assert score < NEAR_DUPLICATE


def test_case_punctuation_accents_and_yo_do_not_make_texts_different():
    assert normalised_words("¡LÁMPARA de Roble!") == ["lampara", "de", "roble"]
    assert normalised_words("Тёплый СВЕТ, ёлка") == ["теплый", "свет", "елка"]
    assert text_similarity("Тёплый свет — для вечеров!", "теплый СВЕТ для вечеров") == 1.0
    # Cyrillic letters keep their identity: "й" is not "и".
    assert normalised_words("мой") == ["мой"]


def test_edge_cases_of_the_measure():
    assert text_similarity("", "") == 0.0
    assert text_similarity("lamp", "lamp") == 1.0
    assert text_similarity("oak lamp", "lamp oak") == 0.0  # no word pair in common


def test_contents_are_compared_over_every_text_field_and_list_entry():
    first = {"headline": "Warm light for long evenings", "bullets": ["Solid oak base"],
             "body": ORIGINAL["en"]}
    same_words_other_fields = {"headline": ORIGINAL["en"], "bullets": ["Solid oak base"],
                               "body": "Warm light for long evenings"}

    assert content_similarity(first, first) == 1.0
    assert content_similarity(first, {"headline": ANOTHER_ANGLE["en"]}) < NEAR_DUPLICATE
    # Field order shapes the pairs at the joins only.
    assert content_similarity(first, same_words_other_fields) > 0.8


def test_most_similar_names_the_closest_sibling():
    content = {"body": ORIGINAL["es"]}
    siblings = (SiblingContent(1, {"body": ANOTHER_ANGLE["es"]}),
                SiblingContent(3, {"body": REWORDED["es"]}))

    closest = most_similar(content, siblings)

    assert closest.variant == 3
    assert round(closest.score, 2) == 0.58
    assert most_similar(content, ()) is None


def test_a_variant_too_close_to_a_sibling_fails_the_distinct_check_with_its_feedback():
    content = {"headline": "Lámpara Oak", "body": REWORDED["es"], "call_to_action": "Pídela"}
    sibling = {"headline": "Lámpara Oak", "body": ORIGINAL["es"], "call_to_action": "Pídela"}
    rules = CheckRules(language="es", siblings=(SiblingContent(1, sibling),))

    report = content_check(content, rules)
    alone = content_check(content, CheckRules(language="es"))

    distinct = [f for f in report.failures if f.check == "distinct"]
    assert [(f.field, f.detail) for f in distinct] == [(None, (
        "too similar to variant 1: the two share 60% of their word pairs; write a version "
        "with another angle, other arguments and other wording"))]
    assert "too similar to variant 1" in report.feedback()
    assert report.quality <= 49  # a failed check leaves the score under the pass mark
    assert not [f for f in alone.failures if f.check == "distinct"]


def test_a_distinct_variant_passes_the_distinct_check():
    content = {"headline": "¿Cansado de forzar la vista?", "body": ANOTHER_ANGLE["es"],
               "call_to_action": "Pídela hoy"}
    sibling = {"headline": "Lámpara Oak", "body": ORIGINAL["es"], "call_to_action": "Cómprala"}

    report = content_check(content, CheckRules(language="es",
                                                siblings=(SiblingContent(1, sibling),)))

    assert not [f for f in report.failures if f.check == "distinct"]
