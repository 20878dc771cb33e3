"""Hostile and careless bodies cost a 400 in the API's error shape, never a 500 or a
stalled worker, and nothing is written (issue 16, observations 1, 2, 7)."""

import time

import pytest

from apps.brands.models import BrandTemplate
from apps.jobs.models import Job

JOB_HEAD = '{"kind": "product_description", "brand": "nordic-home", "locales": ["en"], '


def item_body(attributes_json: str) -> str:
    """A job body with one item whose `attributes` is the raw JSON text given."""
    return (JOB_HEAD + '"items": [{"sku": "S-1", "name": "Lamp", "attributes": '
            + attributes_json + "}]}")


def post_raw(api, path: str, body: str):
    started = time.monotonic()
    response = api.generic("POST", path, body.encode("utf-8", "surrogatepass"),
                           content_type="application/json")
    return response, time.monotonic() - started


# --- Observation 1: a count attribute of "1e1000000" stalled a web worker --------------


@pytest.mark.timeout(120)
@pytest.mark.parametrize("value", ["1e1000000", "1e100000", "-1e999999", "1E+4300"])
def test_a_huge_exponent_in_a_count_attribute_is_answered_at_once(api, brand, value):
    response, elapsed = post_raw(api, "/api/v1/estimate/", item_body(f'{{"pieces": "{value}"}}'))

    assert response.status_code == 200
    assert elapsed < 2.0


# --- Observation 2: values that used to give an HTML 500 -----------------------------

HOSTILE_ATTRIBUTES = [
    pytest.param('{"material": "oak\\u0000"}', "items.0.attributes.material", "null_character",
                 id="NUL in a value"),
    pytest.param('{"mate\\u0000rial": "oak"}', "items.0.attributes", "null_character",
                 id="NUL in a key"),
    pytest.param('{"material": "\\udc00"}', "items.0.attributes.material",
                 "surrogate_character", id="lone surrogate"),
    pytest.param('{"height_cm": 1e309}', "items.0.attributes.height_cm", "number_not_finite",
                 id="1e309"),
    pytest.param('{"height_cm": -1e309}', "items.0.attributes.height_cm", "number_not_finite",
                 id="-1e309"),
    pytest.param('{"a": {"b": {"c": {"d": {"e": 1}}}}}', "items.0.attributes.a.b.c.d",
                 "too_deep", id="attributes nested 5 deep"),
]


@pytest.mark.parametrize("attributes, field, code", HOSTILE_ATTRIBUTES)
@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/estimate/"])
def test_hostile_attribute_values_are_a_400_naming_the_field(api, brand, path, attributes,
                                                              field, code):
    response, _ = post_raw(api, path, item_body(attributes))

    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert Job.objects.count() == 0


@pytest.mark.parametrize("value", ['"1e1000"', '"NaN"', '"Infinity"', '"-1e-1000"'])
def test_numeric_text_out_of_bounds_in_a_unit_attribute_stays_text(api, brand, value):
    response, _ = post_raw(api, "/api/v1/jobs/", item_body(f'{{"weight_kg": {value}}}'))

    assert response.status_code == 202
    assert Job.objects.get().items.get().input["attributes"] == {"weight_kg": value.strip('"')}


@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/estimate/", "/api/v1/brands/"])
def test_a_body_nested_ten_thousand_deep_is_a_400(api, brand, path):
    response, _ = post_raw(api, path, "[" * 10_000 + "]" * 10_000)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "body_too_deep"
    assert (Job.objects.count(), BrandTemplate.objects.count()) == (0, 1)


def test_a_body_at_the_depth_limit_is_parsed(api, brand, settings):
    nested = "[" * (settings.API_MAX_JSON_DEPTH - 1) + "]" * (settings.API_MAX_JSON_DEPTH - 1)

    response, _ = post_raw(api, "/api/v1/jobs/", JOB_HEAD + '"items": [], "x": ' + nested + "}")

    assert response.status_code == 400
    # Parsed, then validated: "x" carries the depth and is an unknown field.
    assert sorted(response.json()["error"]["fields"]) == ["items", "x"]


def test_brackets_inside_strings_do_not_count_as_depth(api, brand):
    response, _ = post_raw(api, "/api/v1/estimate/",
                           item_body('{"shape": "' + "[{" * 5000 + '\\"]"}'))

    assert response.status_code == 400  # too long a value, not too deep
    assert list(response.json()["error"]["fields"]) == ["items.0.attributes"]


@pytest.mark.parametrize("product, field, code", [
    pytest.param('{"name": "Lamp\\u0000"}', "examples.0.product.name", "null_character",
                 id="NUL"),
    pytest.param('{"name": "\\ud800"}', "examples.0.product.name", "surrogate_character",
                 id="lone surrogate"),
    pytest.param('{"price": 1e309}', "examples.0.product.price", "number_not_finite",
                 id="1e309"),
])
def test_hostile_brand_example_products_are_a_400(api, product, field, code):
    body = ('{"slug": "x", "name": "X", "voice": "Calm.", "examples": [{"locale": "en", '
            '"product": ' + product + ', "output": {"title": "Lamp"}}]}')

    response, _ = post_raw(api, "/api/v1/brands/", body)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert BrandTemplate.objects.count() == 0


@pytest.mark.parametrize("slug", ["%00", "%00abc", "%ED%A0%80"])
def test_a_brand_slug_with_a_nul_or_invalid_utf8_is_a_404(api, brand, slug):
    response = api.get(f"/api/v1/brands/{slug}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Observation 7: limits are checked before the work they prevent -------------------


@pytest.mark.parametrize("body", [
    pytest.param(lambda: {"items": [{"sku": "S", "name": "N"}] * 100_000}, id="100,000 items"),
    pytest.param(lambda: {"items": [{"sku": "S", "name": "N",
                                     "image_urls": ["https://img.example/a.png"] * 100_000}]},
                 id="100,000 image urls"),
    pytest.param(lambda: {"items": [{"sku": "S", "name": "N", "keywords": ["k"] * 100_000}]},
                 id="100,000 keywords"),
])
def test_a_list_past_its_limit_is_refused_before_its_elements_are_validated(api, brand, body):
    data = {"kind": "product_description", "brand": "nordic-home", "locales": ["en"], **body()}
    started = time.monotonic()

    response = api.post("/api/v1/estimate/", data, format="json")

    assert response.status_code == 400
    assert time.monotonic() - started < 1.0


def many_items(count: int) -> list[dict]:
    return [{"sku": f"S-{n}", "name": f"Oak desk lamp {n}", "brief": "A dimmable oak lamp.",
             "attributes": {"material": "oak", "height_cm": 45}, "price": "49.90",
             "currency": "EUR", "keywords": ["desk lamp", "oak"]} for n in range(count)]


@pytest.mark.timeout(120)
def test_the_largest_allowed_estimate_is_answered_well_inside_the_web_timeout(api, brand,
                                                                             settings):
    body = {"kind": "product_description", "brand": "nordic-home", "locales": ["en"],
            "items": many_items(settings.JOB_MAX_ITEM_LOCALES)}
    started = time.monotonic()

    response = api.post("/api/v1/estimate/", body, format="json")

    assert response.status_code == 200
    assert response.json()["items_total"] == settings.JOB_MAX_ITEM_LOCALES
    assert time.monotonic() - started < 15.0  # gunicorn kills a worker at 30 s


def test_items_times_locales_past_the_limit_is_refused_at_once(api, brand):
    body = {"kind": "product_description", "brand": "nordic-home",
            "locales": ["es-ES", "es-MX", "ru-RU", "en-US", "en-GB"], "items": many_items(10_000)}
    started = time.monotonic()

    response = api.post("/api/v1/estimate/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["items"]
    assert time.monotonic() - started < 2.0


def test_the_400_is_in_the_callers_language(api, brand):
    response = api.generic("POST", "/api/v1/jobs/", item_body('{"material": "oak\\u0000"}'),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.json()["error"]["fields"] == {
        "items.0.attributes.material": ["Текст не может содержать символ NUL (U+0000)."]}
