"""The `localize` kind over the API: existing content as items (JSON or CSV) or a finished
job as the source, validated field by field, passed through where the source is already
written for the target locale, and priced from the source's length."""

import io

import pytest

from apps.brands.services import brand_create
from apps.jobs.models import Job, JobItem
from tests.conftest import BRAND_FIELDS, product, submit

SOURCE = {
    "title": "Oak desk lamp with a dimmer, 45 cm",
    "short_description": "A warm oak desk lamp for evening work, now 49.90 EUR.",
    "description": "This desk lamp has a solid oak base and a linen shade. It is 45 cm tall "
                   "and dims in 3 steps, so it suits both a desk and a bedside table. Its warm "
                   "light is kind to the eyes during long evenings of reading.",
    "bullets": ["Solid oak base", "Dims in 3 steps", "45 cm tall"],
    "meta_description": "Oak desk lamp, 45 cm, with a dimmer in 3 steps: a warm light for "
                        "work and reading.",
}


def localize_body(**overrides):
    body = {"kind": "localize", "brand": "nordic-home", "locales": ["es-ES", "ru-RU"],
            "items": [{"sku": "LAMP-1", "name": "Oak desk lamp", "source": SOURCE,
                       "source_locale": "en-US"}]}
    body.update(overrides)
    return body


def source_item(**overrides):
    return {"sku": "LAMP-1", "source": SOURCE, "source_locale": "en-US", **overrides}


def test_content_given_as_items_becomes_one_item_per_target_locale(api, brand):
    response = api.post("/api/v1/jobs/", localize_body(), format="json")

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.source_kind, job.source_job) == ("localize", "product_description",
                                                           None)
    items = list(job.items.order_by("locale"))
    assert [(i.sku, i.locale, i.model, i.status) for i in items] == [
        ("LAMP-1", "es-ES", "hermes-3-405b", "pending"),
        ("LAMP-1", "ru-RU", "hermes-3-405b", "pending")]
    assert items[0].input == {"sku": "LAMP-1", "name": "Oak desk lamp", "brief": "",
                              "attributes": {}, "price": None, "currency": None,
                              "keywords": [], "image_urls": [], "source": SOURCE,
                              "source_locale": "en-US"}
    detail = api.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (detail["kind"], detail["source_kind"]) == ("localize", "product_description")


def test_the_source_kind_gives_the_fields_of_the_content(api, brand):
    source = {"headline": "Light for long evenings",
              "body": "Our oak desk lamp dims in 3 steps and costs 49.90 EUR this week.",
              "call_to_action": "Order now"}

    response = api.post("/api/v1/jobs/", localize_body(
        source_kind="marketing_copy", items=[source_item(source=source)]), format="json")

    assert response.status_code == 202, response.json()
    assert Job.objects.get().kind_spec.field_names == ["headline", "body", "call_to_action"]


BAD_REQUESTS = [
    (localize_body(items=[source_item(source={k: v for k, v in SOURCE.items()
                                              if k != "description"})]),
     "items.0.source.description", "The source needs this field."),
    (localize_body(items=[source_item(source={**SOURCE, "headline": "Hi", "subtitle": "x"})]),
     "items.0.source.headline",
     "“product_description” has no field “headline”; its fields are title, "
     "short_description, description, bullets, meta_description."),
    (localize_body(items=[source_item(source={**SOURCE, "bullets": "Solid oak base"})]),
     "items.0.source.bullets", "Give this field as a list of texts."),
    (localize_body(items=[source_item(source_locale="de-DE")]), "items.0.source_locale",
     "Unsupported locale “de-DE”. Use one of es-ES, es-MX, ru-RU, en-US, en-GB, or the "
     "shorthands es = es-ES, ru = ru-RU, en = en-US."),
    (localize_body(items=[source_item(source_text="x")]), "items.0.source_text",
     "Unknown field."),
    (localize_body(items=[{"sku": "LAMP-1", "source": SOURCE}]), "items.0.source_locale",
     "This field is required."),
    (localize_body(source_kind="poem"), "source_kind", None),
    (localize_body(source_kind="social_post"), "source_kind", None),
    (localize_body(items=None), "items",
     "Give the content to localize as items, or a finished job as source_job."),
    (localize_body(source_job="0b0f7c57-8a7c-4e9f-9d55-5c8d2e59f7a1"), "items",
     "Give either items (the content to localize) or source_job (a finished job), not both."),
    (localize_body(channel="x"), "channel", None),
    (localize_body(variants=2), "variants", "A localization has one variant per source."),
    ({"kind": "product_description", "brand": "nordic-home", "locales": ["es"],
      "items": [product(1)], "source_kind": "marketing_copy"}, "source_kind",
     "Only localize takes source_kind; leave it out for product_description."),
]


@pytest.mark.parametrize("body, field, message", BAD_REQUESTS)
def test_bad_localize_input_is_a_400_naming_the_field_and_writes_nothing(
        api, brand, body, field, message):
    body = {key: value for key, value in body.items() if value is not None}

    response = api.post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400, response.json()
    fields = response.json()["error"]["fields"]
    assert field in fields, fields
    if message is not None:
        assert fields[field] == [message]
    assert not Job.objects.exists()


def test_unknown_source_fields_are_each_named(api, brand):
    body = localize_body(items=[source_item(source={**SOURCE, "headline": "Hi", "cta": "Go"})])

    fields = api.post("/api/v1/jobs/", body, format="json").json()["error"]["fields"]

    assert sorted(fields) == ["items.0.source.cta", "items.0.source.headline"]


def test_a_source_in_spanish_is_answered_in_russian(api, brand):
    response = api.post("/api/v1/jobs/", localize_body(
        items=[source_item(source_locale="es")]), format="json")

    assert response.status_code == 202, response.json()
    assert JobItem.objects.get(locale="ru-RU").input["source_locale"] == "es-ES"


def test_a_source_already_written_for_a_target_is_stored_as_is_without_a_charge(api, brand):
    response = api.post("/api/v1/jobs/", localize_body(
        locales=["en-US", "en-GB", "es-ES"]), format="json")

    assert response.status_code == 202, response.json()
    job = Job.objects.get()
    passed = JobItem.objects.get(locale="en-US")
    assert (passed.status, passed.content, passed.estimated_cost_usd) == (
        "succeeded", SOURCE, 0)
    assert passed.checks["note"] == ("passed through: the source is already written for this "
                                     "locale")
    # en-GB is another market of the same language: it is localized, and billed.
    assert JobItem.objects.get(locale="en-GB").status == "pending"
    assert (job.items_total, job.items_succeeded, job.items_cached) == (3, 1, 0)
    assert job.estimated_cost_usd == sum(
        i.estimated_cost_usd for i in JobItem.objects.exclude(locale="en-US"))


# --- A finished job as the source ----------------------------------------------------


def finished(job: Job, statuses: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Give the job's items a final status, a review and content, as its run would."""
    for (sku, locale), (status, review) in statuses.items():
        JobItem.objects.filter(job=job, sku=sku, locale=locale).update(
            status=status, review=review,
            content={**SOURCE, "title": f"{sku} in {locale}"})


def test_a_finished_job_gives_its_succeeded_unrejected_items_as_sources(api, workspace, brand):
    source_job = submit(workspace, items=[product(n) for n in (1, 2, 3, 4)],
                        locales=("en-US", "es-ES"))
    finished(source_job, {
        ("SKU-001", "en-US"): ("succeeded", "approved"),
        ("SKU-001", "es-ES"): ("succeeded", "approved"),
        ("SKU-002", "en-US"): ("succeeded", "rejected"),
        ("SKU-002", "es-ES"): ("succeeded", "pending"),
        ("SKU-003", "en-US"): ("needs_review", "pending"),
        ("SKU-003", "es-ES"): ("failed", ""),
        ("SKU-004", "en-US"): ("failed", ""),
        ("SKU-004", "es-ES"): ("failed", ""),
    })

    response = api.post("/api/v1/jobs/", {
        "kind": "localize", "brand": "nordic-home", "source_job": str(source_job.pk),
        "locales": ["ru-RU"]}, format="json")

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.source_job_id, job.source_kind) == (source_job.pk, "product_description")
    items = list(job.items.order_by("position"))
    assert [(i.sku, i.input["name"], i.input["source_locale"], i.input["source"]["title"])
            for i in items] == [
        ("SKU-001", "Oak desk lamp 1", "en-US", "SKU-001 in en-US"),
        ("SKU-002", "Oak desk lamp 2", "es-ES", "SKU-002 in es-ES")]


def test_another_workspaces_job_is_refused_as_if_it_did_not_exist(
        api, brand, other_workspace):
    brand_create(workspace=other_workspace, **BRAND_FIELDS)
    theirs = submit(other_workspace, items=[product(1)], locales=("en-US",))
    finished(theirs, {("SKU-001", "en-US"): ("succeeded", "approved")})
    missing = "0b0f7c57-8a7c-4e9f-9d55-5c8d2e59f7a1"

    answers = [api.post("/api/v1/jobs/", {
        "kind": "localize", "brand": "nordic-home", "source_job": job_id,
        "locales": ["ru-RU"]}, format="json") for job_id in (str(theirs.pk), missing)]

    for response, job_id in zip(answers, (theirs.pk, missing), strict=True):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "unknown_source_job"
        assert response.json()["error"]["fields"] == {"source_job": [
            f"No job with the id “{job_id}” exists in this workspace."]}
    assert Job.objects.filter(workspace__slug="acme").count() == 0


def test_a_source_job_with_nothing_succeeded_is_refused(api, workspace, brand):
    source_job = submit(workspace, items=[product(1)])

    response = api.post("/api/v1/jobs/", {
        "kind": "localize", "brand": "nordic-home", "source_job": str(source_job.pk),
        "locales": ["ru-RU"]}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "nothing_to_localize"
    assert Job.objects.count() == 1


def test_a_source_kind_other_than_the_source_jobs_is_refused(api, workspace, brand):
    source_job = submit(workspace, items=[product(1)], locales=("en-US",))
    finished(source_job, {("SKU-001", "en-US"): ("succeeded", "approved")})

    response = api.post("/api/v1/jobs/", {
        "kind": "localize", "brand": "nordic-home", "source_job": str(source_job.pk),
        "source_kind": "marketing_copy", "locales": ["ru-RU"]}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"source_kind": [
        f"The job “{source_job.pk}” wrote product_description; leave source_kind out or "
        "give product_description."]}


# --- CSV -----------------------------------------------------------------------------


def upload(api, data: str, **fields):
    form = {"kind": "localize", "brand": "nordic-home", "locales": "es-ES", **fields,
            "file": io.BytesIO(data.encode())}
    form["file"].name = "items.csv"
    return api.post("/api/v1/jobs/", form, format="multipart")


def test_a_csv_of_source_columns_becomes_localize_items(api, brand):
    data = ("sku,source_locale,source.title,source.short_description,source.description,"
            "source.bullets,source.meta_description\r\n"
            f"LAMP-1,en-US,\"{SOURCE['title']}\",\"{SOURCE['short_description']}\","
            f"\"{SOURCE['description']}\",Solid oak base|Dims in 3 steps|45 cm tall,"
            f"\"{SOURCE['meta_description']}\"\r\n")

    response = upload(api, data)

    assert response.status_code == 202, response.json()
    item = JobItem.objects.get()
    assert (item.sku, item.locale, item.input["source_locale"]) == ("LAMP-1", "es-ES", "en-US")
    assert item.input["source"] == SOURCE


def test_a_csv_with_an_unknown_source_field_is_a_400_naming_it(api, brand):
    data = ("sku,source_locale,source.title,source.headline\r\n"
            "LAMP-1,en-US,Oak desk lamp,Light for long evenings\r\n")

    response = upload(api, data, source_kind="meta_ad")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["items.0.source.title"] == [
        "“meta_ad” has no field “title”; its fields are primary_text, headline, description."]
    assert fields["items.0.source.primary_text"] == ["The source needs this field."]
    assert not Job.objects.exists()


def test_a_csv_without_a_source_locale_column_is_refused_by_row_and_column(api, brand):
    response = upload(api, "sku,source.title,price\r\nLAMP-1,Oak desk lamp,12\r\n")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "file.1.price": ["Unknown column “price”. A localization takes sku, name, "
                         "source_locale and a source.<field> column per field of the "
                         "source, such as “source.title”."],
        "file.1.source_locale": ["The required column “source_locale” is missing."]}
    assert not Job.objects.exists()


# --- Estimates -----------------------------------------------------------------------


def test_an_estimate_prices_a_localization_from_its_sources_length(api, brand):
    short = {**SOURCE, "description": SOURCE["description"]}
    longer = {**SOURCE, "description": " ".join([SOURCE["description"]] * 3)}

    estimates = [api.post("/api/v1/estimate/", localize_body(
        locales=["es-ES"], items=[source_item(source=source)]), format="json").json()
        for source in (short, longer)]

    # The source's own tokens as the JSON the answer is: 144, and 246 with the
    # description three times as long; not the kind's 450.
    assert [e["models"]["hermes-3-405b"]["output_tokens"] for e in estimates] == [144, 246]
    assert [e["models"]["gpt-4o-mini"]["output_tokens"] for e in estimates] == [144, 246]
    assert estimates[0]["items_total"] == 1 and estimates[0]["items_cached"] == 0


def test_an_estimate_leaves_passed_through_items_out(api, brand):
    estimate = api.post("/api/v1/estimate/", localize_body(locales=["en-US"]),
                        format="json").json()

    assert estimate["items_total"] == 1
    assert estimate["estimated_cost_usd"] == "0.00000000"
    assert estimate["models"]["hermes-3-405b"]["items"] == 0


def test_localize_errors_are_translated(api, brand):
    body = localize_body(items=[source_item(source={**SOURCE, "headline": "Hi"})])

    spanish = api.post("/api/v1/jobs/", body, format="json", HTTP_ACCEPT_LANGUAGE="es")
    russian = api.post("/api/v1/jobs/", {k: v for k, v in localize_body().items() if k != "items"},
                       format="json",
                       HTTP_ACCEPT_LANGUAGE="ru")

    assert spanish.json()["error"]["fields"]["items.0.source.headline"] == [
        "«product_description» no tiene el campo «headline»; sus campos son title, "
        "short_description, description, bullets, meta_description."]
    assert russian.json()["error"]["fields"]["items"] == [
        "Укажите тексты для локализации в items или завершённое задание в source_job."]


# --- Review --------------------------------------------------------------------------


def test_a_persons_edit_of_a_localized_item_is_checked_against_its_source(api, brand):
    job_id = api.post("/api/v1/jobs/", localize_body(locales=["es-ES"]), format="json"
                      ).json()["id"]
    item = JobItem.objects.get(job_id=job_id)
    JobItem.objects.filter(pk=item.pk).update(status="succeeded", review="pending", content={
        "title": "Lámpara de escritorio de roble con regulador, 45 cm",
        "short_description": "Una lámpara de roble cálida para trabajar por la tarde, "
                             "ahora a 49,90 EUR.",
        "description": "Esta lámpara tiene una base de roble macizo y una pantalla de lino. "
                       "Mide 45 cm y se regula en 3 niveles, así que sirve para el "
                       "escritorio y para la mesilla. Su luz cálida cuida la vista durante "
                       "las largas tardes de lectura.",
        "bullets": ["Base de roble macizo", "Se regula en 3 niveles", "Mide 45 cm de alto"],
        "meta_description": "Lámpara de escritorio de roble de 45 cm con regulador de 3 "
                            "niveles: luz cálida para trabajar y leer."})

    response = api.patch(f"/api/v1/jobs/{job_id}/items/{item.pk}/", {"content": {
        "short_description": "Una lámpara de roble cálida para trabajar por la tarde, ahora "
                             "a 39,90 EUR."}}, format="json")

    assert response.status_code == 200, response.json()
    failures = [(f["check"], f["field"]) for f in response.json()["checks"]["failures"]]
    assert failures == [("figure", "short_description"), ("figure", None)]


def test_a_source_job_too_large_for_its_locales_is_refused(api, workspace, brand, settings):
    source_job = submit(workspace, items=[product(1), product(2)], locales=("en-US",))
    finished(source_job, {("SKU-001", "en-US"): ("succeeded", "approved"),
                          ("SKU-002", "en-US"): ("succeeded", "approved")})
    settings.JOB_MAX_ITEM_LOCALES = 5

    response = api.post("/api/v1/jobs/", {
        "kind": "localize", "brand": "nordic-home", "source_job": str(source_job.pk),
        "locales": ["es-ES", "es-MX", "ru-RU"]}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"locales": [
        "A job takes at most 5 items × locales; this one has 6."]}
    assert Job.objects.count() == 1


def test_localized_google_ads_export_for_google_ads_editor(api, brand):
    source = {"headlines": ["Oak desk lamp", "Warm light at night", "Order today"],
              "descriptions": ["A solid oak desk lamp that dims in 3 steps.",
                               "Warm light for long evenings of reading."],
              "path1": "lamps", "path2": "oak"}
    job_id = api.post("/api/v1/jobs/", localize_body(
        source_kind="google_rsa", locales=["es-ES"], items=[source_item(source=source)]),
        format="json").json()["id"]
    localized = {"headlines": ["Lámpara de roble", "Luz cálida de noche", "Pídela hoy"],
                 "descriptions": ["Una lámpara de roble macizo que se regula en 3 niveles.",
                                  "Luz cálida para las largas tardes de lectura."],
                 "path1": "lamparas", "path2": "roble"}
    JobItem.objects.filter(job_id=job_id).update(status="succeeded", review="approved",
                                                 content=localized)

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=google-ads-csv")

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("nordic-home,LAMP-1 es-ES,Responsive search ad,")
    assert "Lámpara de roble,Luz cálida de noche,Pídela hoy" in lines[1]
