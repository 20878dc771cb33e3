"""The simulator answers a localize prompt (apps.generation.prompts) as a compliant model
would: the source's fields in the target language, the source's figures in the target
market's number format, the glossary's renderings; and, when a script asks, a faulty
localization for the checks to catch."""

import json

import openai
import pytest

from apps.generation.kinds import kind_get
from apps.generation.prompts import ItemInput, prompt_build
from devtools.simulator import SimulatorServer, start_simulator

BRAND = {"name": "Nordic Home", "voice": "Warm and calm.", "glossary": [
    {"term": "oak", "source_language": "en", "do_not_translate": False, "case_sensitive": False,
     "notes": "", "translations": {"es-ES": "roble", "es-MX": "encino", "ru-RU": "дуб"}}]}
SOURCE = {"title": "Oak desk lamp, 45 cm",
          "short_description": "A warm oak desk lamp for evening work, now 1,049.90 USD.",
          "description": "This desk lamp has a solid oak base and a linen shade. It is 45 cm "
                         "tall and dims in 3 steps.",
          "bullets": ["Solid oak base", "Dims in 3 steps", "45 cm tall"],
          "meta_description": "Oak desk lamp, 45 cm, with a dimmer in 3 steps."}


@pytest.fixture(scope="module")
def simulator() -> SimulatorServer:
    running = start_simulator()
    yield running
    running.stop()


@pytest.fixture
def llm(simulator):
    simulator.reset()
    with openai.OpenAI(base_url=simulator.base_url, api_key="test", max_retries=0,
                       timeout=5) as sdk:
        yield sdk


def localize(llm, locale: str) -> dict:
    prompt = prompt_build(brand=BRAND, kind=kind_get("localize"), locale=locale,
                          item=ItemInput(sku="LAMP-1", name="Oak desk lamp", source=SOURCE,
                                         source_locale="en-US"))
    answer = llm.chat.completions.create(model="hermes-3-405b", messages=prompt.messages)
    return json.loads(answer.choices[0].message.content)


def text(content: dict) -> str:
    return " ".join(" ".join(v) if isinstance(v, list) else v for v in content.values())


@pytest.mark.parametrize("locale, price, word, foreign", [
    ("es-ES", "1049,90", "roble", "encino"),
    ("es-MX", "1049.90", "encino", "roble"),
    ("ru-RU", "1049,90", "дуб", "roble"),
])
def test_a_localize_prompt_is_answered_in_the_target_market(llm, locale, price, word, foreign):
    content = localize(llm, locale)

    assert set(content) == set(SOURCE)
    assert price in text(content) and "45" in text(content)
    assert word in text(content) and foreign not in text(content)
    assert "desk lamp has" not in text(content)


@pytest.mark.parametrize("fault, present, absent", [
    ("drop_glossary", "1049,90", "roble"),
    ("change_price", "1050,90", "1049,90"),
    ("add_size", "200 cm", "nothing"),
])
def test_a_script_asks_for_a_faulty_localization(llm, simulator, fault, present, absent):
    simulator.state.append_script("*", [{"localize_fault": fault}])

    content = localize(llm, "es-ES")

    assert present in text(content)
    assert absent not in text(content)
