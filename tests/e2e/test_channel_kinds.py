"""Every built-in kind through the REST API and a Celery worker against the simulator, in
Spanish, Russian and English: written within its limits, a limit broken and written again,
and a Google responsive search ad exported for Google Ads Editor and read back."""

import csv
import io

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.generation.counting import count_characters, grapheme_count
from apps.generation.kinds import kind_get
from apps.jobs.models import GenerationAttempt, JobItem
from tests.conftest import BRAND_FIELDS, all_items, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TAGS = ["es-ES", "ru-RU", "en-US"]
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
LANDING = "https://www.nordic-home.example/lamps"
KINDS = [("product_description", ""), ("marketing_copy", ""), ("google_rsa", ""),
         ("meta_ad", ""), ("email", ""), ("social_post", "x"), ("social_post", "instagram"),
         ("social_post", "linkedin"), ("social_post", "facebook"), ("category_page", "")]


@pytest.fixture
def client(live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    assert client.post("/api/v1/brands/", json=BRAND_FIELDS).status_code == 201
    yield client
    httpx.post(simulator.url + "/_sim/reset")


def brief(n: int, **overrides) -> dict:
    return product(n, **{"campaign": "Autumn light", "offer": "Free delivery this week",
                         "audience": "People who work from home", "landing_url": LANDING,
                         **overrides})


def submit(client, kind: str, channel: str = "", items=None, locales=("es", "ru", "en")) -> str:
    body = {"kind": kind, "brand": "nordic-home", "locales": list(locales),
            "items": items or [brief(1)]}
    if channel:
        body["channel"] = channel
    response = client.post("/api/v1/jobs/", json=body)
    assert response.status_code == 202, response.text
    return response.json()["id"]


def within_limits(kind, content: dict) -> list[str]:
    """Every limit of the kind the content breaks, as "field: count > limit"."""
    broken = []
    for spec in kind.fields:
        entries = content[spec.name] if spec.is_list else [content[spec.name]]
        if spec.is_list and not spec.min_entries <= len(entries) <= spec.max_entries:
            broken.append(f"{spec.name}: {len(entries)} entries")
        for entry in entries:
            if count_characters(entry, spec.counting) > spec.max_chars:
                broken.append(f"{spec.name}: {entry!r}")
    return broken


def test_every_built_in_kind_is_written_in_three_languages_within_its_limits(client):
    jobs = {(slug, channel): submit(client, slug, channel) for slug, channel in KINDS}

    for (slug, channel), job_id in jobs.items():
        job = poll_until_finished(client, job_id)
        items = all_items(client, job_id)
        kind = kind_get(slug, channel)

        assert (job["status"], job["kind"], job["channel"]) == ("succeeded", slug, channel), \
            [i["checks"] for i in items]
        assert sorted(item["locale"] for item in items) == sorted(TAGS)
        for item in items:
            assert list(item["content"]) == kind.field_names
            assert within_limits(kind, item["content"]) == []
            text = " ".join(value if isinstance(value, str) else " ".join(value)
                            for value in item["content"].values())
            assert bool(CYRILLIC & set(text.lower())) == (item["locale"] == "ru-RU"), item


@pytest.mark.parametrize("kind, channel, locale, overrun, first_error", [
    ("google_rsa", "", "en", {"field": "headlines", "entry": 2, "length": 31},
     "field 'headlines.2' is 31 characters; the maximum is 30"),
    ("google_rsa", "", "ru", {"field": "headlines", "entries": 16},
     "field 'headlines' must have 3 to 15 entries; it has 16"),
    ("social_post", "x", "es", {"field": "text", "length": 281},
     "field 'text' is 281 characters as X counts them (a link is 23, an emoji 2); "
     "the maximum is 280"),
])
def test_an_answer_over_a_limit_is_written_again_and_then_succeeds(
        client, simulator, kind, channel, locale, overrun, first_error):
    httpx.post(simulator.url + "/_sim/script",
               json={"model": "*", "responses": [{"overrun": overrun}]})

    job_id = submit(client, kind, channel, locales=(locale,))
    job = poll_until_finished(client, job_id)

    item = JobItem.objects.get(job_id=job_id)
    attempts = list(GenerationAttempt.objects.filter(item=item).order_by("pk"))
    assert job["status"] == "succeeded"
    assert [a.outcome for a in attempts][1:] == ["ok"]
    assert first_error in attempts[0].error
    requests = httpx.get(simulator.url + "/_sim/requests").json()["requests"]
    assert first_error in requests[1]["body"]["messages"][1]["content"]
    assert within_limits(kind_get(kind, channel), item.content) == []


def test_the_google_ads_export_reads_back_with_every_cell_within_google_limits(client):
    job_id = submit(client, "google_rsa", items=[brief(1), brief(2), brief(3, landing_url="")])
    assert poll_until_finished(client, job_id)["status"] == "succeeded"

    by_format = client.get(f"/api/v1/jobs/{job_id}/items/?format=google-ads-csv")
    by_accept = client.get(f"/api/v1/jobs/{job_id}/items/",
                           headers={"Accept": "text/csv; profile=google-ads-editor"})

    assert by_format.status_code == 200
    assert by_format.content == by_accept.content
    rows = list(csv.DictReader(io.StringIO(by_format.content.decode("utf-8-sig"))))
    assert len(rows) == 9  # 3 items × 3 locales
    assert sorted(row["Ad group"] for row in rows) == sorted(
        f"SKU-00{n} {tag}" for n in (1, 2, 3) for tag in TAGS)
    for row in rows:
        headlines = [row[f"Headline {n}"] for n in range(1, 16)]
        descriptions = [row[f"Description {n}"] for n in range(1, 5)]
        assert 3 <= sum(map(bool, headlines)) <= 15
        assert 2 <= sum(map(bool, descriptions)) <= 4
        assert all(grapheme_count(cell) <= 30 for cell in headlines)
        assert all(grapheme_count(cell) <= 90 for cell in descriptions)
        assert all(0 < grapheme_count(row[path]) <= 15 for path in ("Path 1", "Path 2"))
        assert row["Final URL"] == ("" if row["Ad group"].startswith("SKU-003") else LANDING)
        assert (row["Campaign"], row["Ad type"]) == ("Autumn light", "Responsive search ad")
    email_job = submit(client, "email", locales=("en",))
    poll_until_finished(client, email_job)
    refused = client.get(f"/api/v1/jobs/{email_job}/items/?format=google-ads-csv")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "export_not_for_kind"
