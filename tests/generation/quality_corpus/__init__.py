"""The quality gate's labelled corpus: answers to the products in `products`, in es, ru
and en, for both kinds, each labelled good or bad by a reader, and the measure of the
gate on them (used by tests/generation/test_quality_corpus.py and `make bench-quality`).

Good answers are written by hand (`es.py`, `ru.py`, `en.py`: GOOD). Bad ones are the local
model's real answers quoted in issue 11 and hand-written faults (BAD), plus each good
answer broken in the ways the issue lists (`MUTATIONS`): gibberish, debris, the wrong
language, invented figures, text cut off, degeneration, bullets that echo the data. A
figure in an answer is written ⟨attribute⟩ and filled in from the product's data block as
the prompt gives it, so the copy quotes Babel's formatting byte for byte.
"""

import re
from dataclasses import dataclass

from apps.generation.checks import CheckReport, content_check
from apps.jobs.services.assessment import check_rules_for
from apps.localization.locales import locale_get
from tests.generation.quality_corpus import en, es, ru
from tests.generation.quality_corpus.products import BRAND, PRODUCTS

LOCALES = {"es": "es-ES", "ru": "ru-RU", "en": "en-US"}
LANGUAGE_MODULES = {"es": es, "ru": ru, "en": en}
FIGURE_RE = re.compile(r"⟨(\w+)⟩")


@dataclass(frozen=True)
class Case:
    language: str
    kind: str
    product: str
    label: str  # "good" or "bad"
    why: str  # for a bad answer, what is wrong with it
    content: dict


def _figures(product: str, language: str) -> dict[str, str]:
    block = PRODUCTS[product].data_block(locale_get(LOCALES[language]))
    figures = {key: str(value) for key, value in (block.get("attributes") or {}).items()}
    figures["price"] = block.get("price", "")
    return figures


def _fill(value, figures: dict[str, str]):
    if isinstance(value, list):
        return [_fill(entry, figures) for entry in value]
    return FIGURE_RE.sub(lambda match: figures[match.group(1)], value)


def _filled(product: str, language: str, content: dict) -> dict:
    figures = _figures(product, language)
    return {name: _fill(value, figures) for name, value in content.items()}


# --- breaking a good answer -----------------------------------------------------------

def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


def _cut(text: str) -> str:
    # Stop at the last comma, as a model that ran out of tokens does.
    return text[:text.rfind(",")] if "," in text else text[:len(text) // 2]


def _mutations(module, product: str, language: str):
    """name -> function(content, index) -> broken content, per kind."""
    figures = _figures(product, language)
    sku = PRODUCTS[product].sku.lower()
    brief = PRODUCTS[product].brief
    pick = lambda pool, index: pool[index % len(pool)]  # noqa: E731

    pd = {
        "gibberish": lambda c, i: {**c, "short_description": pick(module.GIBBERISH, i)},
        "gibberish inside the description": lambda c, i: {
            **c, "description": pick(module.GIBBERISH, i) + " " + pick(module.GIBBERISH, i + 1)
            + " " + c["description"]},
        "title in another language": lambda c, i: {**c, "title": pick(module.FOREIGN_TITLES, i)},
        "an HTML tag": lambda c, i: {**c, "meta_description": c["meta_description"].replace(
            " ", " </br> ", 1)},
        "a JSON fragment": lambda c, i: {**c, "bullets": [
            *c["bullets"][:2], '"bullets": ["' + c["bullets"][2]]},
        "an invented figure": lambda c, i: {
            **c, "description": c["description"] + " " + module.INVENTED_FIGURE},
        "cut mid-sentence": lambda c, i: {**c, "description": _cut(c["description"])},
        "a field repeated": lambda c, i: {**c, "meta_description": c["short_description"]},
        "bullets echo the data": lambda c, i: {**c, "bullets": [
            figures["price"], sku, next(iter(PRODUCTS[product].attributes.values())).__str__()]},
        "description in another language": lambda c, i: {
            **c, "description": module.FOREIGN_SENTENCE + " " + module.FOREIGN_SENTENCE},
        "a sentence in a loop": lambda c, i: {
            **c, "description": " ".join([_first_sentence(c["description"])] * 3)
            + " " + c["description"]},
        "a snake_case key": lambda c, i: {
            **c, "short_description": "short_description: " + c["short_description"]},
    }
    mc = {
        "gibberish": lambda c, i: {**c, "body": pick(module.GIBBERISH, i) + " "
                                   + pick(module.GIBBERISH, i + 1)},
        "headline in another language": lambda c, i: {
            **c, "headline": pick(module.FOREIGN_TITLES, i)},
        "an HTML tag": lambda c, i: {**c, "body": c["body"].replace(". ", ".<br><br>", 1)},
        "an invented figure": lambda c, i: {**c, "body": c["body"] + " " + module.INVENTED_FIGURE},
        "cut mid-sentence": lambda c, i: {**c, "body": _cut(c["body"])},
        "a JSON fragment": lambda c, i: {**c, "call_to_action": '{"call_to_action": "'
                                         + c["call_to_action"]},
        "body in another language": lambda c, i: {
            **c, "body": module.FOREIGN_SENTENCE + " " + module.FOREIGN_SENTENCE},
        "a sentence in a loop": lambda c, i: {
            **c, "body": " ".join([_first_sentence(c["body"])] * 3)},
        "the brief pasted back" if brief else "the headline as the body": lambda c, i: {
            **c, "body": brief or c["headline"]},
        "template syntax": lambda c, i: {**c, "headline": "{{headline}} " + c["headline"]},
    }
    return pd, mc


PER_GOOD = {"product_description": 3, "marketing_copy": 2}


def corpus() -> list[Case]:
    cases = []
    for language, module in LANGUAGE_MODULES.items():
        for product, kind, content in module.GOOD:
            cases.append(Case(language, kind, product, "good", "",
                              _filled(product, language, content)))
        for index, (product, kind, content) in enumerate(module.GOOD):
            pd, mc = _mutations(module, product, language)
            pool = list((pd if kind == "product_description" else mc).items())
            filled = _filled(product, language, content)
            for offset in range(PER_GOOD[kind]):
                name, mutate = pool[(index * PER_GOOD[kind] + offset) % len(pool)]
                cases.append(Case(language, kind, product, "bad", name, mutate(filled, index)))
        for product, kind, why, content in module.BAD:
            cases.append(Case(language, kind, product, "bad", why,
                              _filled(product, language, content)))
    return cases


def case_check(case: Case) -> CheckReport:
    rules = check_rules_for(brand=BRAND, kind=case.kind, locale=LOCALES[case.language],
                            item=PRODUCTS[case.product])
    return content_check(case.content, rules)


@dataclass(frozen=True)
class Figures:
    language: str
    good: int
    good_passed: int
    bad: int
    bad_caught: int

    @property
    def passed_share(self) -> float:
        return self.good_passed / self.good

    @property
    def caught_share(self) -> float:
        return self.bad_caught / self.bad


def corpus_measure(cases: list[Case]) -> tuple[dict[str, Figures], list[tuple[Case, CheckReport]]]:
    """Per language, good passed and bad caught; and every case the gate got wrong."""
    counts = {language: [0, 0, 0, 0] for language in LANGUAGE_MODULES}
    wrong = []
    for case in cases:
        report = case_check(case)
        row = counts[case.language]
        if case.label == "good":
            row[0] += 1
            row[1] += report.passed
        else:
            row[2] += 1
            row[3] += not report.passed
        if report.passed != (case.label == "good"):
            wrong.append((case, report))
    return {language: Figures(language, *row) for language, row in counts.items()}, wrong
