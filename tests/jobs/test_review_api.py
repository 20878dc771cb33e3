"""The review desk through the REST API, in-process against the simulator: review states
beside the generation status, edits checked again and kept as revisions, approvals,
rejections written again with the reviewer's note, and the filters and the export.
The same on real processes (a worker, racing reviewers): tests/e2e/test_review_desk.py."""

import csv
import io
import json
from decimal import Decimal

import pytest

from apps.accounts.models import ApiKey
from apps.jobs.models import GenerationAttempt, ItemRevision, Job, JobItem, WebhookDelivery
from apps.jobs.services import item_generate, job_retry
from tests.conftest import product, script, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

# Passes every check but the brand's banned term "cheap" (tests/conftest.py BRAND_FIELDS).
CHEAP = {"title": "A cheap oak lamp", "short_description": "A lamp made of oak wood.",
         "description": "This lamp has a solid oak base and a warm, dimmable light for "
                        "reading in the evening at your desk.",
         "bullets": ["Solid oak base", "Dimmable light", "Warm colour"],
         "meta_description": "Oak desk lamp with a dimmable light."}
NOTE = "Mention that the shade is linen and drop the word cheap."


def generated(workspace, sim, *, items=1, failing=False) -> Job:
    """A finished job of `items` English products; with `failing`, every answer for the
    first one uses the banned term, so it ends needs_review."""
    job = submit(workspace, items=[product(n) for n in range(1, items + 1)], locales=["en"])
    for position, item in enumerate(job.items.order_by("position")):
        if failing and position == 0:
            script(sim, *[{"content": json.dumps(CHEAP)}] * (1 + workspace.max_regenerations))
        item_generate(item_id=item.pk)
    job.refresh_from_db()
    return job


def url(item: JobItem, action: str = "") -> str:
    return f"/api/v1/jobs/{item.job_id}/items/{item.pk}/" + (f"{action}/" if action else "")


def key_label(workspace) -> str:
    return f"api_key:{ApiKey.objects.get(workspace=workspace).prefix}"


# --- Review states ------------------------------------------------------------------


def test_passing_content_is_approved_by_the_system_and_failing_content_waits(
        api, workspace, brand, sim):
    job = generated(workspace, sim, items=2, failing=True)

    failing, passing = api.get(f"/api/v1/jobs/{job.pk}/items/").json()["results"]

    assert (failing["status"], failing["review"], failing["reviewed_by"]) == (
        "needs_review", "pending", "")
    assert (passing["status"], passing["review"], passing["reviewed_by"]) == (
        "succeeded", "approved", "system")
    assert passing["reviewed_at"] is not None
    assert (passing["edited"], passing["revision"]) == (False, 0)


def test_without_auto_approval_passing_content_waits_too(api, workspace, brand, sim):
    workspace.auto_approve = False
    workspace.save()
    job = generated(workspace, sim)

    item = api.get(f"/api/v1/jobs/{job.pk}/items/").json()["results"][0]

    assert (item["status"], item["review"], item["reviewed_at"]) == ("succeeded", "pending", None)


def test_an_item_still_generating_has_no_review_state(api, workspace, brand):
    job = submit(workspace, items=[product(1)], locales=["en"])

    item = api.get(f"/api/v1/jobs/{job.pk}/items/").json()["results"][0]

    assert (item["status"], item["review"]) == ("pending", None)


# --- Edits ----------------------------------------------------------------------------


def test_an_edit_is_checked_kept_as_a_revision_and_waits_for_review(api, workspace, brand, sim):
    job = generated(workspace, sim)
    item = job.items.get()
    original = dict(item.content)
    title = "Oak desk lamp 1 with a linen shade"

    response = api.patch(url(item), {"content": {"title": title}}, format="json")

    body = response.json()
    assert response.status_code == 200, body
    assert body["content"] == {**original, "title": title}
    assert (body["edited"], body["revision"], body["review"]) == (True, 1, "pending")
    assert body["checks"]["passed"] is True
    assert body["status"] == "succeeded"  # how generation ended; the review is beside it
    revision = ItemRevision.objects.get(item=item)
    assert (revision.number, revision.author) == (1, key_label(workspace))
    assert revision.previous_content == original
    assert revision.new_content == body["content"]
    assert JobItem.objects.get(pk=item.pk).content == revision.new_content


def test_a_banned_term_typed_by_the_editor_is_stored_and_flagged(api, workspace, brand, sim):
    job = generated(workspace, sim)
    item = job.items.get()

    response = api.patch(url(item), {"content": {"title": "A cheap oak desk lamp"}},
                         format="json")

    body = response.json()
    assert response.status_code == 200, body
    assert body["content"]["title"] == "A cheap oak desk lamp"
    assert body["checks"]["passed"] is False
    assert [(f["check"], f["field"]) for f in body["checks"]["failures"]] == [
        ("banned_term", "title")]
    assert body["quality"] < 60
    assert (body["review"], body["edited"], body["revision"]) == ("pending", True, 1)
    assert ItemRevision.objects.filter(item=item).count() == 1


def test_an_edit_runs_the_pipelines_checks_with_the_same_rules(api, workspace, brand, sim):
    """An invented price fails an edit as it fails the model: the rules include the item's
    own data, not only the brand's terms."""
    job = generated(workspace, sim)
    item = job.items.get()

    response = api.patch(url(item), {"content": {
        "short_description": "A dimmable oak desk lamp, now only €19.99."}}, format="json")

    failures = response.json()["checks"]["failures"]
    assert response.status_code == 200
    assert ("price", "short_description") in [(f["check"], f["field"]) for f in failures]


def test_invalid_content_is_refused_field_by_field_and_nothing_is_stored(
        api, workspace, brand, sim):
    job = generated(workspace, sim)
    item = job.items.get()
    before = dict(item.content)

    response = api.patch(url(item), {"content": {
        "subtitle": "Not a field of this kind", "title": "x" * 151,
        "bullets": ["Only one", " "], "description": 42}}, format="json")

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"content.subtitle", "content.title", "content.bullets",
                                    "content.description"}
    assert error["fields"]["content.title"] == ["At most 150 characters; this has 151."]
    assert error["fields"]["content.bullets"] == ["Give 3 to 6 entries; this has 1."]
    item.refresh_from_db()
    assert item.content == before
    assert (item.revision, item.edited) == (0, False)
    assert not ItemRevision.objects.exists()


@pytest.mark.parametrize("language, message", [
    ("es", "Como máximo 150 caracteres; este tiene 151."),
    ("ru", "Не более 150 символов; здесь 151."),
])
def test_edit_errors_are_in_the_callers_language(api, workspace, brand, sim, language, message):
    item = generated(workspace, sim).items.get()

    response = api.patch(url(item), {"content": {"title": "x" * 151}}, format="json",
                         HTTP_ACCEPT_LANGUAGE=language)

    assert response.json()["error"]["fields"]["content.title"] == [message]


@pytest.mark.parametrize("action, body", [
    ("", {"content": {"title": "Oak desk lamp 1"}, "colour": "red"}),
    ("approve", {"revison": 0}),
    ("reject", {"note": NOTE, "notes": "typo"}),
])
def test_unknown_fields_are_refused_by_name(api, workspace, brand, sim, action, body):
    item = generated(workspace, sim).items.get()
    send = api.patch if not action else api.post

    response = send(url(item, action), body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(body) - {"content", "note"}
    item.refresh_from_db()
    assert (item.review, item.revision, item.status) == ("approved", 0, "succeeded")


def test_an_item_without_content_cannot_be_edited(api, workspace, brand):
    item = submit(workspace, items=[product(1)], locales=["en"]).items.get()

    response = api.patch(url(item), {"content": {"title": "Oak desk lamp 1"}}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "item_not_reviewable"
    assert not ItemRevision.objects.exists()


def test_revisions_are_listed_oldest_first_with_author_and_both_contents(
        api, workspace, brand, sim):
    item = generated(workspace, sim).items.get()
    original = dict(item.content)
    first, second = "Oak desk lamp 1, linen shade", "Oak desk lamp 1 with a linen shade"
    api.patch(url(item), {"content": {"title": first}}, format="json")
    api.patch(url(item), {"content": {"title": second}, "revision": 1}, format="json")

    page = api.get(url(item, "revisions")).json()

    assert page["count"] == 2
    assert [(r["number"], r["author"]) for r in page["results"]] == [
        (1, key_label(workspace)), (2, key_label(workspace))]
    assert page["results"][0]["previous_content"] == original
    assert page["results"][0]["new_content"]["title"] == first
    assert page["results"][1]["previous_content"]["title"] == first
    assert page["results"][1]["new_content"]["title"] == second
    assert api.get(url(item)).json()["content"]["title"] == second


def test_an_edit_based_on_an_old_revision_is_a_409_and_stores_nothing(
        api, workspace, brand, sim):
    item = generated(workspace, sim).items.get()
    api.patch(url(item), {"content": {"title": "Oak desk lamp 1, linen shade"}}, format="json")

    response = api.patch(url(item), {"content": {"title": "Oak desk lamp 1 by Nordic Home"},
                                     "revision": 0}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "item_changed"
    assert list(ItemRevision.objects.values_list("number", flat=True)) == [1]
    assert api.get(url(item)).json()["content"]["title"] == "Oak desk lamp 1, linen shade"


# --- Approve --------------------------------------------------------------------------


def test_a_pending_item_is_approved_once(api, workspace, brand, sim):
    job = generated(workspace, sim, failing=True)
    item = job.items.get()

    first = api.post(url(item, "approve"), {}, format="json")
    second = api.post(url(item, "approve"), {}, format="json")

    assert first.status_code == 200, first.json()
    assert (first.json()["review"], first.json()["reviewed_by"]) == (
        "approved", key_label(workspace))
    assert first.json()["status"] == "needs_review"  # a person approved failing content
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "item_already_reviewed"
    assert Job.objects.get(pk=job.pk).items_needs_review == 1


def test_an_approval_of_a_revision_that_was_edited_since_is_a_409(api, workspace, brand, sim):
    item = generated(workspace, sim, failing=True).items.get()
    api.patch(url(item), {"content": {"title": "Oak desk lamp 1"}}, format="json")

    response = api.post(url(item, "approve"), {"revision": 0}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"revision": ["The item is now at revision 1."]}
    item.refresh_from_db()
    assert item.review == "pending"


def test_a_decision_is_sent_to_the_jobs_webhook(api, workspace, brand, sim, settings,
                                                 django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    job = generated(workspace, sim, failing=True)
    Job.objects.filter(pk=job.pk).update(webhook_url="http://127.0.0.1:9/hook")
    item = job.items.get()

    with django_capture_on_commit_callbacks(execute=True):
        api.post(url(item, "approve"), {}, format="json")

    delivery = WebhookDelivery.objects.get(job=job, event="item.reviewed")
    body = json.loads(delivery.payload)
    assert body["event"] == "item.reviewed"
    assert body["job"]["id"] == str(job.pk)
    assert {key: body["item"][key] for key in ("id", "review", "reviewed_by", "revision")} == {
        "id": item.pk, "review": "approved", "reviewed_by": key_label(workspace), "revision": 0}


def test_without_a_webhook_a_decision_records_no_delivery(api, workspace, brand, sim,
                                                          django_capture_on_commit_callbacks):
    item = generated(workspace, sim, failing=True).items.get()

    with django_capture_on_commit_callbacks(execute=True):
        api.post(url(item, "approve"), {}, format="json")

    assert not WebhookDelivery.objects.exists()


# --- Reject ---------------------------------------------------------------------------


@pytest.mark.parametrize("body, message", [
    ({}, "This field is required."),
    ({"note": "   "}, "This field may not be blank."),
    ({"note": "x" * 1001}, "Ensure this field has no more than 1000 characters."),
])
def test_a_rejection_needs_a_bounded_note_and_otherwise_changes_nothing(
        api, workspace, brand, sim, body, message):
    item = generated(workspace, sim, failing=True).items.get()
    calls = len(sim_requests(sim))

    response = api.post(url(item, "reject"), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"note": [message]}
    item.refresh_from_db()
    assert (item.status, item.review) == ("needs_review", "pending")
    assert len(sim_requests(sim)) == calls


def test_a_rejected_item_is_written_again_once_with_the_note_and_billed(
        api, workspace, brand, sim):
    job = generated(workspace, sim, failing=True)
    item = job.items.get()
    calls = len(sim_requests(sim))
    billed_before = job.actual_cost_usd
    script(sim, {"usage": {"prompt_tokens": 1000, "completion_tokens": 400}})

    response = api.post(url(item, "reject"), {"note": NOTE}, format="json")
    # The item's message goes out once the rejection commits (never in this test's
    # transaction); this is what the worker then runs.
    item_generate(item_id=item.pk)

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["review"]) == ("pending", "rejected")
    requests = sim_requests(sim)[calls:]
    assert len(requests) == 1
    prompt = requests[0]["body"]["messages"][1]["content"]
    assert f"A reviewer rejected it with this note: “{NOTE}”" in prompt
    attempts = list(GenerationAttempt.objects.filter(item=item).order_by("pk"))
    assert [a.outcome for a in attempts] == ["check_failed"] * 3 + ["ok"]
    # Hermes 3 at $1.00 in and $0.30 out per million tokens: 1000 in, 400 out.
    assert attempts[-1].cost_usd == Decimal("0.00112000")
    item.refresh_from_db()
    job.refresh_from_db()
    assert item.cost_usd == sum(a.cost_usd for a in attempts)
    assert job.actual_cost_usd == billed_before + Decimal("0.00112000")
    # Content that passes comes back to the person who rejected it, auto-approval or not.
    assert (item.status, item.review, item.review_note) == ("succeeded", "pending", NOTE)
    assert "cheap" not in json.dumps(item.content).lower()
    assert (job.status, job.items_succeeded, job.items_needs_review) == ("succeeded", 1, 0)


def test_a_rejected_item_is_not_rejected_again_while_it_is_rewritten(
        api, workspace, brand, sim):
    item = generated(workspace, sim, failing=True).items.get()
    api.post(url(item, "reject"), {"note": NOTE}, format="json")

    again = api.post(url(item, "reject"), {"note": NOTE}, format="json")
    approve = api.post(url(item, "approve"), {}, format="json")

    assert (again.status_code, approve.status_code) == (409, 409)
    assert again.json()["error"]["code"] == "item_not_reviewable"
    job = Job.objects.get(pk=item.job_id)
    assert (job.status, job.items_needs_review, job.items_pending) == ("running", 0, 1)


def test_a_rejection_on_a_cancelled_job_is_a_409(api, workspace, brand, sim):
    job = generated(workspace, sim, failing=True)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED)
    item = job.items.get()

    response = api.post(url(item, "reject"), {"note": NOTE}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "job_cancelled"
    item.refresh_from_db()
    assert (item.status, item.review) == ("needs_review", "pending")


def test_a_rejection_with_the_budget_spent_is_a_402_and_changes_nothing(
        api, workspace, brand, sim):
    item = generated(workspace, sim, failing=True).items.get()
    workspace.monthly_budget_usd = Decimal("0.00")
    workspace.save()

    response = api.post(url(item, "reject"), {"note": NOTE}, format="json")

    assert response.status_code == 402
    assert response.json()["error"]["code"] == "budget_exceeded"
    item.refresh_from_db()
    assert (item.status, item.review, item.review_note) == ("needs_review", "pending", "")


def test_content_served_from_the_cache_gets_the_same_review_state(api, workspace, brand, sim):
    generated(workspace, sim)
    workspace.auto_approve = False
    workspace.save()

    again = submit(workspace, items=[product(1)], locales=["en"]).items.get()

    assert (again.from_cache, again.status, again.review) == (True, "succeeded", "pending")


def test_a_rejected_output_is_not_served_from_the_cache_again(api, workspace, brand, sim):
    item = generated(workspace, sim).items.get()
    api.post(url(item, "reject"), {"note": NOTE}, format="json")

    again = submit(workspace, items=[product(1)], locales=["en"])

    assert again.items.get().from_cache is False


def test_a_retry_leaves_content_a_person_edited(api, workspace, brand, sim):
    job = generated(workspace, sim, failing=True)
    item = job.items.get()
    api.patch(url(item), {"content": {"title": "A cheap lamp, says the editor"}},
              format="json")

    assert job_retry(job=job) == 0

    item.refresh_from_db()
    assert (item.status, item.edited) == ("needs_review", True)
    assert item.content["title"] == "A cheap lamp, says the editor"


# --- Tenancy ------------------------------------------------------------------------

ENDPOINTS = [("get", ""), ("patch", ""), ("post", "approve"), ("post", "reject"),
             ("get", "revisions")]


@pytest.mark.parametrize("method, action", ENDPOINTS)
def test_another_workspaces_item_is_a_404_on_every_review_endpoint(
        other_api, workspace, brand, sim, method, action):
    item = generated(workspace, sim, failing=True).items.get()
    bodies = {"patch": {"content": {"title": "Hijacked"}}, "post": {"note": NOTE}}

    response = getattr(other_api, method)(url(item, action), bodies.get(method), format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    item.refresh_from_db()
    assert (item.status, item.review, item.revision) == ("needs_review", "pending", 0)


@pytest.mark.parametrize("method, action", ENDPOINTS)
def test_an_item_under_another_job_of_the_workspace_is_a_404(api, workspace, brand, sim,
                                                             method, action):
    item = generated(workspace, sim, failing=True).items.get()
    other_job = submit(workspace, items=[product(9)], locales=["en"])

    response = getattr(api, method)(f"/api/v1/jobs/{other_job.pk}/items/{item.pk}/"
                                    + (f"{action}/" if action else ""), {}, format="json")

    assert response.status_code == 404


# --- Filters and the export -------------------------------------------------------


def test_list_and_export_filter_by_review_with_the_edited_text(api, workspace, brand, sim):
    workspace.auto_approve = False
    workspace.save()
    job = generated(workspace, sim, items=3)
    edited, approved, waiting = job.items.order_by("position")
    title = "Oak desk lamp 1 with a linen shade"
    api.patch(url(edited), {"content": {"title": title}}, format="json")
    api.post(url(edited, "approve"), {"revision": 1}, format="json")
    api.post(url(approved, "approve"), {}, format="json")

    listed = api.get(f"/api/v1/jobs/{job.pk}/items/?review=approved").json()
    export = api.get(f"/api/v1/jobs/{job.pk}/items/?review=approved&format=csv")
    pending = api.get(f"/api/v1/jobs/{job.pk}/items/?review=pending").json()

    assert [(i["sku"], i["review"]) for i in listed["results"]] == [
        ("SKU-001", "approved"), ("SKU-002", "approved")]
    assert listed["results"][0]["content"]["title"] == title
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content)
                                           .decode("utf-8-sig"))))
    assert [(row["sku"], row["title"]) for row in rows] == [
        ("SKU-001", title), ("SKU-002", approved.content["title"])]
    assert [i["sku"] for i in pending["results"]] == [waiting.sku]


def test_an_unknown_review_filter_is_a_400_naming_it(api, workspace, brand, sim):
    job = generated(workspace, sim)

    response = api.get(f"/api/v1/jobs/{job.pk}/items/?review=maybe")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"review"}
