"""Locales through the pipeline: regional tags, native instructions, Babel-formatted
figures in the prompt, and the price check on what comes back."""

import json

import pytest

from apps.brands.services import brand_update
from apps.jobs.models import JobItem
from apps.jobs.services import item_generate
from tests.conftest import product, script, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")
NBSP = "\u00a0"

SAMOVAR = product(1, name="Самовар «Тула»", price="1299", currency="RUB",
                  attributes={"capacity_ml": 3500, "pieces": 3, "material": "латунь"})


def test_russian_request_carries_russian_instructions_and_formatted_figures(workspace, brand, sim):
    job = submit(workspace, items=[SAMOVAR], locales=["ru"])

    item_generate(item_id=job.items.get().pk)

    user = sim_requests(sim)[0]["body"]["messages"][1]["content"]
    data = json.loads(user.split("<product_data>\n")[1].split("\n</product_data>")[0])
    assert "Target locale: ru-RU" in user
    assert "Write every field in Russian. Write natively in Russian, not as a translation." in user
    assert "« »" in user and "—" in user
    assert data["price"] == f"1{NBSP}299,00{NBSP}₽"
    assert data["attributes"] == {"capacity": f"3{NBSP}500 мл", "pieces": "3 штуки",
                                  "material": "латунь"}
    assert "1299" not in user  # the raw figure never reaches the model
    item = job.items.get()
    assert item.status == JobItem.Status.SUCCEEDED
    assert f"1{NBSP}299,00{NBSP}₽" in item.content["description"]


@pytest.mark.parametrize("tag, price", [("es-ES", f"1.299,00{NBSP}€"), ("es-MX", "$1,299.00"),
                                        ("en-GB", "€1,299.00"), ("en-US", "€1,299.00")])
def test_each_regional_locale_gets_its_own_figures(workspace, brand, sim, tag, price):
    currency = "MXN" if tag == "es-MX" else "EUR"
    job = submit(workspace, items=[product(1, price="1299", currency=currency)], locales=[tag])

    item_generate(item_id=job.items.get().pk)

    user = sim_requests(sim)[0]["body"]["messages"][1]["content"]
    assert f"Target locale: {tag}" in user
    assert json.dumps(price, ensure_ascii=False) in user


def test_an_answer_with_a_wrong_price_fails_the_check_and_is_rewritten(workspace, brand, sim):
    invented = {
        "title": "Самовар «Тула» из латуни",
        "short_description": "Классический самовар на 3,5 литра для большой семьи.",
        "description": "Самовар «Тула» из латуни — для неспешного чаепития всей семьёй. "
                       "Латунный корпус долго держит тепло, а классическая форма украсит "
                       "любую кухню, дачную веранду или гостиную. Сейчас всего "
                       f"999,00{NBSP}₽ вместо 1{NBSP}299,00{NBSP}₽.",
        "bullets": ["Латунь ручной работы", "Объём 3,5 литра", "Три предмета в комплекте"],
        "meta_description": "Латунный самовар «Тула» на 3,5 литра для большой семьи и гостей.",
    }
    script(sim, {"content": json.dumps(invented, ensure_ascii=False)})
    job = submit(workspace, items=[SAMOVAR], locales=["ru"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    first = item.generation_attempts.order_by("pk").first()
    assert first.outcome == "check_failed"
    assert [f["check"] for f in first.checks["failures"]] == ["price"]
    assert f"999,00{NBSP}₽" in first.checks["failures"][0]["detail"]
    retry = sim_requests(sim)[1]["body"]["messages"][1]["content"]
    assert "which the product data does not give" in retry
    item.refresh_from_db()
    assert item.status == JobItem.Status.SUCCEEDED


def test_a_price_for_a_product_without_one_is_invented(workspace, brand, sim):
    no_price = product(1, price=None, currency=None)
    answer = {"headline": "Oak desk lamp 1", "body": "A calm oak lamp for evening reading, "
              "now only $19.99 for a short time.", "call_to_action": "Order today"}
    script(sim, *[{"content": json.dumps(answer)}] * 3)
    job = submit(workspace, items=[no_price], locales=["en-GB"], kind="marketing_copy")
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.NEEDS_REVIEW
    assert {f["check"] for f in item.checks["failures"]} == {"price"}


def test_language_override_applies_to_every_market_and_a_tag_override_wins(workspace, brand, sim):
    brand_update(brand=brand, locales={"es": {"notes": "Para toda España y México."},
                                       "es-MX": {"notes": "Solo México.", "address": "formal"}})
    job = submit(workspace, items=[product(1)], locales=["es-ES", "es-MX"])

    for item in job.items.order_by("locale"):
        item_generate(item_id=item.pk)

    es_es, es_mx = (r["body"]["messages"][1]["content"] for r in sim_requests(sim))
    assert "Notes for this market: Para toda España y México." in es_es
    assert "Notes for this market: Solo México." in es_mx
    assert 'Address the reader as "usted".' in es_mx
