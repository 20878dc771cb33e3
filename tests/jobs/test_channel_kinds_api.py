"""The channel kinds over the API, in-process against the simulator: the channel of a
social post, campaign briefs, the kinds list, a limit broken and written again, and the
exports (the plain CSV with every field, Google Ads Editor's CSV)."""

import csv
import io

import pytest

from apps.generation.counting import grapheme_count
from apps.jobs.models import GenerationAttempt, Job, JobItem
from apps.jobs.services import item_generate
from tests.conftest import product, script, sim_requests

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

LANDING = "https://www.nordic-home.example/lamps"


def brief(n: int, **overrides) -> dict:
    return product(n, **{"campaign": "Autumn light", "audience": "People who work from home",
                         "offer": "Free delivery this week", "landing_url": LANDING,
                         **overrides})


def submit(api, kind: str, items: list[dict], locales=("es",), **fields):
    return api.post("/api/v1/jobs/", {"kind": kind, "brand": "nordic-home",
                                      "locales": list(locales), "items": items, **fields},
                    format="json")


def generated(api, kind: str, items: list[dict], locales=("es",), **fields) -> str:
    response = submit(api, kind, items, locales, **fields)
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    for item in JobItem.objects.filter(job_id=job_id):
        item_generate(item_id=item.pk)
    return job_id


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# --- channel -------------------------------------------------------------------------


@pytest.mark.parametrize("kind, channel, message", [
    ("social_post", "", "Choose the channel of this kind: one of x, instagram, linkedin, "
                        "facebook."),
    ("social_post", "tiktok", "Unknown channel “tiktok”; this kind takes x, instagram, "
                              "linkedin, facebook."),
    ("google_rsa", "x", "Only social_post takes a channel; leave it out for google_rsa."),
])
def test_the_channel_is_required_for_a_social_post_and_refused_for_other_kinds(
        api, brand, kind, channel, message):
    response = submit(api, kind, [product(1)], channel=channel)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["channel"] == [message]
    assert not Job.objects.exists()


def test_a_channel_error_is_in_the_callers_language(api, brand):
    response = api.post("/api/v1/jobs/", {"kind": "social_post", "brand": "nordic-home",
                                          "locales": ["es"], "items": [product(1)]},
                        format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.json()["error"]["fields"]["channel"] == [
        "Выберите канал для этого вида: один из x, instagram, linkedin, facebook."]


def test_a_social_post_for_x_is_written_within_x_limit_and_the_job_shows_its_channel(
        api, brand, sim):
    job_id = generated(api, "social_post", [product(1)], locales=("en",), channel="x")

    job = api.get(f"/api/v1/jobs/{job_id}/").json()
    item = JobItem.objects.get(job_id=job_id)
    assert (job["kind"], job["channel"], job["kind_label"]) == (
        "social_post", "x", "Social media post")
    assert item.status == JobItem.Status.SUCCEEDED
    assert list(item.content) == ["text"]
    system = sim_requests(sim)[0]["body"]["messages"][0]["content"]
    assert "- text: at most 280 characters as X counts them (an emoji 2, a link 23)" in system
    assert "It is for X:" in system


# --- briefs --------------------------------------------------------------------------


def test_a_brief_reaches_the_model_in_the_data_block_and_the_tone_apart(api, brand, sim):
    item = brief(1, tone_override="Playful, for young families",
                 products=[{"name": "Oak shade", "sku": "SHADE-1", "price": "19.90",
                            "currency": "EUR"}])
    generated(api, "email", [item], locales=("en",))

    user = sim_requests(sim)[0]["body"]["messages"][1]["content"]
    assert '"campaign": "Autumn light"' in user
    assert '"offer": "Free delivery this week"' in user
    assert f'"landing_url": "{LANDING}"' in user
    assert '"products": [{"name": "Oak shade", "price": "€19.90", "sku": "SHADE-1"}]' in user
    assert "For this item, set the tone this way: Playful, for young families" in user
    assert "tone_override" not in user


@pytest.mark.parametrize("overrides, field", [
    ({"landing_url": "http://127.0.0.1/admin"}, "items.0.landing_url"),
    ({"landing_url": "ftp://files.example/a"}, "items.0.landing_url"),
    ({"products": [{"name": "Shade", "colour": "red"}]}, "items.0.products.0.colour"),
    ({"products": [{"name": "Shade", "price": "10"}]}, "items.0.products.0.currency"),
    ({"products": [{"name": f"P{n}"} for n in range(21)]}, "items.0.products"),
    ({"offer": "x" * 501}, "items.0.offer"),
    ({"campaing": "typo"}, "items.0.campaing"),
])
def test_a_bad_brief_is_a_400_naming_the_field(api, brand, overrides, field):
    response = submit(api, "google_rsa", [brief(1, **overrides)])

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Job.objects.exists()


def test_a_brief_with_images_goes_to_the_model_that_sees_images(api, brand):
    response = submit(api, "meta_ad", [brief(1, image_urls=["https://img.example/a.jpg"])])

    assert response.status_code == 202, response.content
    assert JobItem.objects.get().model == "gpt-4o-mini"


# --- the kinds list ------------------------------------------------------------------


def test_the_kinds_list_gives_every_kind_its_fields_and_limits(api):
    response = api.get("/api/v1/kinds/")

    assert response.status_code == 200
    kinds = {kind["slug"]: kind for kind in response.json()["results"]}
    assert list(kinds) == ["product_description", "marketing_copy", "google_rsa", "meta_ad",
                           "email", "social_post", "category_page"]
    headlines = kinds["google_rsa"]["fields"][0]
    assert headlines == {"name": "headlines", "label": "Headlines", "type": "list",
                         "min_characters": 3, "max_characters": 30, "counting": "graphemes",
                         "min_entries": 3, "max_entries": 15, "min_words": 1,
                         "max_hashtags": None, "required": True}
    assert kinds["google_rsa"]["rules"] == [
        "the entries of 'headlines' are pairwise distinct, not rewordings of one another",
        "when the item has keywords, at least 2 entries of 'headlines' contain one"]
    assert [(c["slug"], c["max_characters"], c["counting"], c["max_hashtags"])
            for c in kinds["social_post"]["channels"]] == [
        ("x", 280, "x", None), ("instagram", 2200, "graphemes", 30),
        ("linkedin", 3000, "graphemes", None), ("facebook", 63206, "graphemes", None)]
    assert {f["name"]: f["max_characters"] for f in kinds["category_page"]["fields"]} == {
        "h1": 70, "intro": 600, "body": 5000, "meta_title": 60, "meta_description": 160}


def test_the_kinds_list_speaks_the_callers_language(api):
    response = api.get("/api/v1/kinds/", HTTP_ACCEPT_LANGUAGE="es")

    google = response.json()["results"][2]
    assert google["label"] == "Anuncio de búsqueda adaptable de Google"
    assert google["fields"][0]["label"] == "Titulares"


# --- a limit broken, and written again -----------------------------------------------


@pytest.mark.parametrize("overrun, attempt_error", [
    ({"field": "headlines", "entry": 2, "length": 31},
     "field 'headlines.2' is 31 characters; the maximum is 30"),
    ({"field": "headlines", "entries": 16},
     "field 'headlines' must have 3 to 15 entries; it has 16"),
])
def test_an_answer_over_a_limit_is_written_again_with_the_count_fed_back(
        api, brand, sim, overrun, attempt_error):
    script(sim, {"overrun": overrun})

    job_id = generated(api, "google_rsa", [brief(1)], locales=("en",))

    item = JobItem.objects.get(job_id=job_id)
    first, second = GenerationAttempt.objects.filter(item=item).order_by("pk")
    assert attempt_error in first.error
    assert second.outcome == GenerationAttempt.Outcome.OK
    assert item.status == JobItem.Status.SUCCEEDED
    rewrite = sim_requests(sim)[1]["body"]["messages"][1]["content"]
    assert attempt_error in rewrite


# --- exports -------------------------------------------------------------------------


def test_the_google_ads_export_is_what_google_ads_editor_imports(api, brand):
    job_id = generated(api, "google_rsa", [brief(1), brief(2, landing_url="")],
                       locales=("es", "ru", "en"))

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=google-ads-csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == \
        f'attachment; filename="job-{job_id}-google-ads.csv"'
    rows = csv_rows(response)
    assert list(rows[0])[:6] == ["Campaign", "Ad group", "Ad type", "Labels", "Headline 1",
                                 "Headline 2"]
    assert list(rows[0])[-7:] == ["Description 1", "Description 2", "Description 3",
                                  "Description 4", "Path 1", "Path 2", "Final URL"]
    assert len(rows) == 6
    assert [(row["Ad group"], row["Final URL"]) for row in rows] == [
        ("SKU-001 en-US", LANDING), ("SKU-001 es-ES", LANDING), ("SKU-001 ru-RU", LANDING),
        ("SKU-002 en-US", ""), ("SKU-002 es-ES", ""), ("SKU-002 ru-RU", "")]
    for row in rows:
        headlines = [row[f"Headline {n}"] for n in range(1, 16) if row[f"Headline {n}"]]
        descriptions = [row[f"Description {n}"] for n in range(1, 5) if row[f"Description {n}"]]
        assert (row["Campaign"], row["Ad type"]) == ("Autumn light", "Responsive search ad")
        assert 3 <= len(headlines) <= 15 and 2 <= len(descriptions) <= 4
        assert all(grapheme_count(text) <= 30 for text in headlines)
        assert all(grapheme_count(text) <= 90 for text in descriptions)
        assert 0 < grapheme_count(row["Path 1"]) <= 15
        assert 0 < grapheme_count(row["Path 2"]) <= 15
    es = JobItem.objects.get(job_id=job_id, sku="SKU-001", locale="es-ES")
    assert rows[1]["Headline 1"] == es.content["headlines"][0]


def test_the_google_ads_export_is_reachable_by_accept_and_plain_csv_stays_plain(api, brand):
    job_id = generated(api, "google_rsa", [brief(1)])

    google = api.get(f"/api/v1/jobs/{job_id}/items/",
                     HTTP_ACCEPT="text/csv; profile=google-ads-editor")
    plain = api.get(f"/api/v1/jobs/{job_id}/items/", HTTP_ACCEPT="text/csv")

    assert "Headline 1" in csv_rows(google)[0]
    row = csv_rows(plain)[0]
    item = JobItem.objects.get(job_id=job_id)
    assert row["headlines"] == "|".join(item.content["headlines"])
    assert (row["path1"], row["path2"]) == (item.content["path1"], item.content["path2"])


def test_the_google_ads_export_of_another_kind_is_a_clear_400(api, brand):
    job_id = generated(api, "email", [brief(1)])

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=google-ads-csv",
                       HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "export_not_for_kind"
    assert response.json()["error"]["fields"]["format"] == [
        "La exportación de Google Ads es para trabajos google_rsa; este trabajo escribe email. "
        "Usa format=csv o JSON."]


@pytest.mark.parametrize("kind, channel, columns", [
    ("email", "", ["subject", "preheader", "body", "call_to_action"]),
    ("category_page", "", ["h1", "intro", "body", "meta_title", "meta_description"]),
    ("meta_ad", "", ["primary_text", "headline", "description"]),
    ("social_post", "instagram", ["text"]),
])
def test_the_plain_csv_carries_every_field_of_the_kind(api, brand, kind, channel, columns):
    fields = {"channel": channel} if channel else {}
    job_id = generated(api, kind, [brief(1)], **fields)

    rows = csv_rows(api.get(f"/api/v1/jobs/{job_id}/items/?format=csv"))

    item = JobItem.objects.get(job_id=job_id)
    assert item.status == JobItem.Status.SUCCEEDED, item.checks
    # after sku, locale, variant, status and model
    assert list(rows[0])[5:5 + len(columns)] == columns
    assert [rows[0][name] for name in columns] == [item.content[name] for name in columns]


# --- estimates -----------------------------------------------------------------------


def test_the_estimate_expects_each_kinds_own_output(api, brand, settings):
    body = {"brand": "nordic-home", "locales": ["en"], "items": [product(1), product(2)],
            "model": "hermes-3-405b"}

    rsa = api.post("/api/v1/estimate/", {**body, "kind": "google_rsa"}, format="json").json()
    page = api.post("/api/v1/estimate/", {**body, "kind": "category_page"}, format="json").json()
    settings.GENERATION_EXPECTED_OUTPUT_TOKENS = {"google_rsa": 400}
    overridden = api.post("/api/v1/estimate/", {**body, "kind": "google_rsa"},
                          format="json").json()

    assert rsa["routed"]["hermes-3-405b"]["output_tokens"] == 660
    assert page["routed"]["hermes-3-405b"]["output_tokens"] == 1400
    assert overridden["routed"]["hermes-3-405b"]["output_tokens"] == 800


def test_a_brief_may_quote_its_promoted_products_prices_and_its_landing_url():
    from decimal import Decimal

    from apps.generation.checks import content_check
    from apps.generation.prompts import ItemInput
    from apps.jobs.services.assessment import check_rules_for

    item = ItemInput(sku="A", name="Oak desk lamp", price="49.90", currency="EUR",
                     landing_url="https://shop.example/autumn-2025",
                     products=[{"name": "Oak shade", "price": "19.90", "currency": "EUR"}])
    rules = check_rules_for(brand={"name": "Nordic Home"}, kind="meta_ad", locale="en",
                            item=item)
    report = content_check({"primary_text": "The lamp at €49.90 and its shade at €19.90. "
                                            "See https://shop.example/autumn-2025"},
                           rules)

    assert rules.prices == (Decimal("49.90"), Decimal("19.90"))
    assert [f for f in report.failures if f.check in ("price", "figure")] == []


def test_a_csv_upload_carries_a_brief_and_its_landing_url_is_checked(api, brand):
    def upload(landing_url: str):
        data = ("sku,name,campaign,offer,landing_url\r\n"
                f"LAMP-1,Oak desk lamp,Autumn light,Free delivery,{landing_url}\r\n").encode()
        form = {"kind": "google_rsa", "brand": "nordic-home", "locales": "en",
                "file": io.BytesIO(data)}
        form["file"].name = "items.csv"
        return api.post("/api/v1/jobs/", form, format="multipart")

    refused = upload("http://10.0.0.7/admin")
    accepted = upload(LANDING)

    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["items.0.landing_url"]
    assert accepted.status_code == 202, accepted.content
    item = JobItem.objects.get()
    assert (item.input["campaign"], item.input["offer"], item.input["landing_url"]) == (
        "Autumn light", "Free delivery", LANDING)
