"""A workspace's own kind over the API, in-process against the simulator: listed after the
built-in kinds, usable by its slug (and only by its own workspace), pinned per job, its
limits enforced by the checks and the review desk, its fields in the exports."""

import csv
import io
import json

import pytest

from apps.brands.custom_kinds import custom_kind_version_create
from apps.brands.services import brand_create
from apps.generation.counting import grapheme_count
from apps.jobs.models import GenerationAttempt, Job, JobItem
from apps.jobs.services import item_generate
from tests.conftest import BRAND_FIELDS, product, script, sim_requests

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

PUSH = "push_notification"


def submit(api, items: list[dict], locales=("es",), kind=PUSH, **fields):
    return api.post("/api/v1/jobs/", {"kind": kind, "brand": "nordic-home",
                                      "locales": list(locales), "items": items, **fields},
                    format="json")


def generated(api, items: list[dict], locales=("es",)) -> str:
    response = submit(api, items, locales)
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    for item in JobItem.objects.filter(job_id=job_id).order_by("pk"):
        item_generate(item_id=item.pk)
    return job_id


def test_the_kinds_list_gives_the_workspaces_own_kinds_after_the_built_in_ones(
        api, other_api, push_kind):
    kinds = api.get("/api/v1/kinds/").json()["results"]
    others = other_api.get("/api/v1/kinds/").json()["results"]

    assert [k["slug"] for k in kinds] == ["product_description", "marketing_copy", "google_rsa",
                                          "meta_ad", "email", "social_post", "category_page",
                                          PUSH]
    push = kinds[-1]
    assert (push["label"], push["builtin"], push["channels"], push["rules"],
            push["expected_output_tokens"]) == ("Push notification", False, [], [], 122)
    assert push["fields"] == [
        {"name": "title", "label": "Title", "type": "string", "min_characters": 5,
         "max_characters": 40, "counting": "graphemes", "min_entries": None,
         "max_entries": None, "min_words": 1, "max_hashtags": None, "required": True},
        {"name": "message", "label": "Message", "type": "string", "min_characters": 20,
         "max_characters": 120, "counting": "graphemes", "min_entries": None,
         "max_entries": None, "min_words": 1, "max_hashtags": None, "required": True},
        {"name": "perks", "label": "Perks", "type": "list", "min_characters": 10,
         "max_characters": 60, "counting": "graphemes", "min_entries": 2, "max_entries": 4,
         "min_words": 1, "max_hashtags": None, "required": True},
        {"name": "note", "label": "Note", "type": "string", "min_characters": 1,
         "max_characters": 200, "counting": "graphemes", "min_entries": None,
         "max_entries": None, "min_words": 1, "max_hashtags": None, "required": False}]
    # Another workspace sees the built-in kinds only.
    assert [k["slug"] for k in others] == [k["slug"] for k in kinds[:-1]]


def test_a_job_of_the_workspaces_kind_is_written_within_its_limits_and_pins_its_version(
        api, brand, push_kind, sim):
    job_id = generated(api, [product(1), product(2)], locales=("es", "ru"))

    job = Job.objects.get(pk=job_id)
    detail = api.get(f"/api/v1/jobs/{job_id}/").json()
    items = list(JobItem.objects.filter(job=job))
    assert job.kind_version == push_kind.versions.get(number=1)
    assert (detail["kind"], detail["kind_label"], detail["status"]) == (
        PUSH, "Push notification", "succeeded")
    for item in items:
        assert sorted(item.content) == ["message", "note", "perks", "title"]
        assert 5 <= grapheme_count(item.content["title"]) <= 40
        assert 20 <= grapheme_count(item.content["message"]) <= 120
        assert 2 <= len(item.content["perks"]) <= 4
    requests = sim_requests(sim)
    systems = {r["body"]["messages"][0]["content"] for r in requests}
    assert len(requests) == 4
    assert len(systems) == 1  # byte-identical for every item and locale: prompt caching
    system = systems.pop()
    assert "Write a push notification for the shop's app" in system
    assert "- title: at most 40 characters\n" in system
    assert "- perks: 2 to 4 entries, each at most 60 characters\n" in system
    assert system.endswith(
        'matching this JSON Schema:\n{"additionalProperties": false, "properties": '
        '{"message": {"type": "string"}, "note": {"type": "string"}, "perks": {"items": '
        '{"type": "string"}, "type": "array"}, "title": {"type": "string"}}, "required": '
        '["title", "message", "perks", "note"], "type": "object"}')


def test_an_answer_over_a_custom_limit_is_written_again_with_the_count_fed_back(
        api, brand, push_kind, sim):
    script(sim, {"overrun": {"field": "title", "length": 41}})

    job_id = generated(api, [product(1)], locales=("en",))

    item = JobItem.objects.get(job_id=job_id)
    first, second = GenerationAttempt.objects.filter(item=item).order_by("pk")
    assert "field 'title' is 41 characters; the maximum is 40" in first.error
    assert second.outcome == GenerationAttempt.Outcome.OK
    assert item.status == JobItem.Status.SUCCEEDED
    assert grapheme_count(item.content["title"]) <= 40
    rewrite = sim_requests(sim)[1]["body"]["messages"][1]["content"]
    assert "field 'title' is 41 characters; the maximum is 40" in rewrite


def test_an_edit_after_submission_changes_new_jobs_only(api, brand, push_kind, sim):
    running = submit(api, [product(1)], locales=("en",)).json()["id"]
    push_kind.kind_fields.filter(name="title").update(max_chars=25)
    custom_kind_version_create(kind=push_kind)
    later = submit(api, [product(1)], locales=("en",)).json()["id"]

    for item in JobItem.objects.filter(job_id=running):
        item_generate(item_id=item.pk)

    system = sim_requests(sim)[0]["body"]["messages"][0]["content"]
    assert "- title: at most 40 characters\n" in system
    assert Job.objects.get(pk=running).kind_spec.field("title").max_chars == 40
    assert Job.objects.get(pk=later).kind_spec.field("title").max_chars == 25
    assert [Job.objects.get(pk=pk).kind_version.number for pk in (running, later)] == [1, 2]


def test_another_workspaces_kind_is_an_unknown_kind(other_api, other_workspace, push_kind):
    brand_create(workspace=other_workspace, **BRAND_FIELDS)

    job = submit(other_api, [product(1)])
    estimate = other_api.post("/api/v1/estimate/", {
        "kind": PUSH, "brand": "nordic-home", "locales": ["es"], "items": [product(1)]},
        format="json")

    message = ("Unknown kind “push_notification”. Use a built-in kind (product_description, "
               "marketing_copy, google_rsa, meta_ad, email, social_post, category_page) or a "
               "custom kind of this workspace (GET /api/v1/kinds/ lists them).")
    for response in (job, estimate):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid"
        assert response.json()["error"]["fields"] == {"kind": [message]}
    assert not Job.objects.exists()


def test_an_unknown_kind_is_a_400_in_the_callers_language(api, brand):
    response = api.post("/api/v1/jobs/", {"kind": "banner", "brand": "nordic-home",
                                          "locales": ["es"], "items": [product(1)]},
                        format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["kind"][0].startswith(
        "Неизвестный тип «banner». Используйте встроенный тип")


def test_a_custom_kind_takes_no_channel(api, brand, push_kind):
    response = submit(api, [product(1)], channel="x")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"channel": [
        "Only social_post takes a channel; leave it out for push_notification."]}
    assert not Job.objects.exists()


def test_the_estimate_expects_the_custom_kinds_own_output(api, brand, push_kind):
    response = api.post("/api/v1/estimate/", {
        "kind": PUSH, "brand": "nordic-home", "locales": ["en"], "model": "hermes-3-405b",
        "items": [product(1), product(2)]}, format="json")

    assert response.status_code == 200
    assert response.json()["routed"]["hermes-3-405b"]["output_tokens"] == 244


def test_the_csv_export_carries_the_custom_fields(api, brand, push_kind):
    job_id = generated(api, [product(1)])

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content)
                                           .decode("utf-8-sig"))))
    item = JobItem.objects.get(job_id=job_id)
    assert list(rows[0])[4:9] == ["model", "title", "message", "perks", "note"]
    assert rows[0]["title"] == item.content["title"]
    assert rows[0]["perks"] == "|".join(item.content["perks"])


def test_the_review_desk_holds_an_edit_to_the_custom_limit(api, brand, push_kind):
    job_id = generated(api, [product(1)])
    item = JobItem.objects.get(job_id=job_id)

    response = api.patch(f"/api/v1/jobs/{job_id}/items/{item.pk}/",
                         {"content": {"title": "t" * 41}}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "content.title": ["At most 40 characters; this has 41."]}
    item.refresh_from_db()
    assert grapheme_count(item.content["title"]) <= 40


def test_an_optional_field_may_be_answered_empty(api, brand, push_kind, sim):
    script(sim, {"content": json.dumps({
        "title": "Say hello to Oak desk lamp 1",
        "message": "Careful quality control means that you can rely on it for many years.",
        "perks": ["Light and comfortable for everyday use", "Easy to clean and easy to care for"],
        "note": ""})})

    job_id = generated(api, [product(1)], locales=("en",))

    item = JobItem.objects.get(job_id=job_id)
    calls = GenerationAttempt.objects.filter(item=item).count()
    assert (item.status, item.content["note"], calls) == (JobItem.Status.SUCCEEDED, "", 1), \
        item.checks


def test_the_cache_serves_the_same_kind_but_never_an_edited_one(api, brand, push_kind):
    generated(api, [product(1)])
    again = submit(api, [product(1)]).json()
    push_kind.kind_fields.filter(name="message").update(max_chars=100)
    custom_kind_version_create(kind=push_kind)
    edited = submit(api, [product(1)]).json()

    assert (again["status"], Job.objects.get(pk=again["id"]).items_cached) == ("succeeded", 1)
    assert (edited["status"], Job.objects.get(pk=edited["id"]).items_cached) == ("queued", 0)
