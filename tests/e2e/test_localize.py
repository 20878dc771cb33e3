"""Localizing copy a team already has, through the REST API and a Celery worker against
the simulator: a finished en-US job adapted into es-ES, es-MX and ru-RU with the brand
glossary's renderings of each market enforced, a faulty localization (a glossary term
dropped, a price changed, a size added) caught and written again, and a source already
written for its target passed through without a call."""

from decimal import Decimal

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.jobs.models import GenerationAttempt, Job, JobItem
from tests.conftest import BRAND_FIELDS, all_items, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# "oak" is "roble" in Spain and "encino" in Mexico: each market gets its own word.
GLOSSARY = [
    {"term": "oak", "source_language": "en",
     "translations": {"es-ES": "roble", "es-MX": "encino", "ru-RU": "дуб"}},
    {"term": "Nordic Home", "source_language": "en", "do_not_translate": True,
     "case_sensitive": True},
]
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


@pytest.fixture
def client(live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    assert client.post("/api/v1/brands/", json={**BRAND_FIELDS, "glossary": GLOSSARY}
                       ).status_code == 201
    yield client
    httpx.post(simulator.url + "/_sim/reset")


def sim_calls(simulator) -> int:
    return httpx.get(simulator.url + "/_sim/stats").json()["total"]


def finished_source_job(client) -> str:
    response = client.post("/api/v1/jobs/", json={
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": [product(1), product(2)]})
    assert response.status_code == 202, response.text
    assert poll_until_finished(client, response.json()["id"])["status"] == "succeeded"
    return response.json()["id"]


def text_of(content: dict) -> str:
    return " ".join(" ".join(v) if isinstance(v, list) else v for v in content.values())


def test_a_finished_en_us_job_is_localized_into_three_markets_with_their_own_terms(
        client, simulator):
    source_id = finished_source_job(client)
    calls_before = sim_calls(simulator)

    response = client.post("/api/v1/jobs/", json={
        "kind": "localize", "brand": "nordic-home", "source_job": source_id,
        "locales": ["es-ES", "es-MX", "ru-RU"]})

    assert response.status_code == 202, response.text
    job = poll_until_finished(client, response.json()["id"])
    items = all_items(client, job["id"])
    assert job["status"] == "succeeded"
    assert (job["kind"], job["source_kind"], job["source_job"]) == (
        "localize", "product_description", source_id)
    assert sorted((i["sku"], i["locale"]) for i in items) == [
        ("SKU-001", "es-ES"), ("SKU-001", "es-MX"), ("SKU-001", "ru-RU"),
        ("SKU-002", "es-ES"), ("SKU-002", "es-MX"), ("SKU-002", "ru-RU")]
    # One call per item, each billed; the source's price in each market's number format.
    assert sim_calls(simulator) - calls_before == 6
    for item in items:
        text = text_of(item["content"])
        assert item["status"] == "succeeded" and item["attempts"] == 1, item
        assert set(item["content"]) == {"title", "short_description", "description",
                                        "bullets", "meta_description"}
        assert item["model"] == "hermes-3-405b"
        assert Decimal(item["cost_usd"]) > 0
        assert {"es-ES": "roble", "es-MX": "encino", "ru-RU": "дуб"}[item["locale"]] in text
        assert {"es-ES": "49,90", "es-MX": "49.90", "ru-RU": "49,90"}[item["locale"]] in text
        assert bool(CYRILLIC & set(text.lower())) == (item["locale"] == "ru-RU")
    es_es = [i for i in items if i["locale"] == "es-ES"]
    assert all("encino" not in text_of(i["content"]) for i in es_es)
    assert Decimal(job["cost"]["actual_usd"]) == sum(Decimal(i["cost_usd"]) for i in items)


@pytest.mark.parametrize("fault, locale, first_error", [
    ("drop_glossary", "es-MX",
     "the brand glossary renders 'oak' as 'encino' in es-MX, and the content does not use "
     "'encino'"),
    ("change_price", "es-ES", "gives '50,90', which the source does not give"),
    ("add_size", "ru-RU", "gives '200', which the source does not give"),
])
def test_a_faulty_localization_fails_its_check_and_is_written_again(
        client, simulator, fault, locale, first_error):
    source = {"title": "Oak desk lamp with a dimmer, 45 cm",
              "short_description": "A warm oak desk lamp for evening work, now 49.90 EUR.",
              "description": "This desk lamp has a solid oak base and a linen shade. It is "
                             "45 cm tall and dims in 3 steps, so it suits both a desk and a "
                             "bedside table. Its warm light is kind to the eyes during long "
                             "evenings of reading. The price is 49.90 EUR.",
              "bullets": ["Solid oak base", "Dims in 3 steps", "45 cm tall"],
              "meta_description": "Oak desk lamp, 45 cm, with a dimmer in 3 steps: a warm "
                                  "light for work and reading."}
    httpx.post(simulator.url + "/_sim/script",
               json={"model": "*", "responses": [{"localize_fault": fault}]})

    response = client.post("/api/v1/jobs/", json={
        "kind": "localize", "brand": "nordic-home", "locales": [locale],
        "items": [{"sku": "LAMP-1", "name": "Oak desk lamp", "source": source,
                   "source_locale": "en-US"}]})

    assert response.status_code == 202, response.text
    job = poll_until_finished(client, response.json()["id"])
    item = JobItem.objects.get(job_id=job["id"])
    attempts = list(GenerationAttempt.objects.filter(item=item).order_by("pk"))
    assert job["status"] == "succeeded"
    assert [a.outcome for a in attempts] == ["check_failed", "ok"]
    assert first_error in attempts[0].error
    requests = httpx.get(simulator.url + "/_sim/requests").json()["requests"]
    assert first_error in requests[-1]["body"]["messages"][1]["content"]
    assert item.cost_usd == sum(a.cost_usd for a in attempts)


def test_a_source_already_written_for_the_target_locale_is_passed_through_unbilled(
        client, simulator):
    source = {"title": "Lámpara de escritorio de roble, 45 cm",
              "short_description": "Una lámpara cálida de roble para trabajar por la tarde, "
                                   "por 49,90 €.",
              "description": "Esta lámpara tiene una base de roble macizo y una pantalla de "
                             "lino. Mide 45 cm y se regula en 3 niveles, así que sirve para "
                             "el escritorio y para la mesilla. Su luz cálida cuida la vista "
                             "durante las largas tardes de lectura.",
              "bullets": ["Base de roble macizo", "Se regula en 3 niveles", "Mide 45 cm"],
              "meta_description": "Lámpara de escritorio de roble de 45 cm con regulador de "
                                  "3 niveles: luz cálida para trabajar y leer."}

    response = client.post("/api/v1/jobs/", json={
        "kind": "localize", "brand": "nordic-home", "locales": ["es-ES", "ru-RU"],
        "items": [{"sku": "LAMP-1", "source": source, "source_locale": "es-ES"}]})

    assert response.status_code == 202, response.text
    job = poll_until_finished(client, response.json()["id"])
    by_locale = {i["locale"]: i for i in all_items(client, job["id"])}
    assert job["status"] == "succeeded"
    passed = by_locale["es-ES"]
    assert passed["status"] == "succeeded"
    assert passed["content"] == source
    assert passed["checks"]["note"] == ("passed through: the source is already written for "
                                        "this locale")
    assert (passed["attempts"], passed["cost_usd"], passed["input_tokens"]) == (
        0, "0.00000000", 0)
    assert not GenerationAttempt.objects.filter(item_id=passed["id"]).exists()
    # Only the Russian one was written, and only it is billed.
    assert sim_calls(simulator) == 1
    assert by_locale["ru-RU"]["attempts"] == 1
    assert CYRILLIC & set(text_of(by_locale["ru-RU"]["content"]).lower())
    assert Job.objects.get(pk=job["id"]).actual_cost_usd == Decimal(
        by_locale["ru-RU"]["cost_usd"])
