"""A/B variants through the item pipeline, in-process against the simulator: the prompt
says which variant to write, a near-copy of a sibling fails its check and is regenerated,
the cache keeps variants apart, and the review desk works per variant."""

import time

import httpx
import pytest

from apps.generation.similarity import NEAR_DUPLICATE, content_similarity
from apps.jobs.domain import Actor, JobSubmission
from apps.jobs.models import GenerationAttempt, JobItem
from apps.jobs.serializers import ItemInputSerializer
from apps.jobs.services import (
    batches_poll,
    item_generate,
    item_reject,
    job_dispatch,
    job_submit,
)
from apps.jobs.services.review import item_edit
from tests.conftest import product, script, sim_requests

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

REVIEWER = Actor("user:rita")


def submit_variants(workspace, *, variants, items=None, locales=("es",),
                    kind="marketing_copy", priority="standard"):
    serializer = ItemInputSerializer(data=items or [product(1)], many=True)
    serializer.is_valid(raise_exception=True)
    to_item = ItemInputSerializer().to_item
    return job_submit(workspace=workspace, submission=JobSubmission(
        kind=kind, brand="nordic-home", locales=list(locales), model="auto",
        items=[to_item(data) for data in serializer.validated_data], variants=variants,
        priority=priority))


def variant(job, number: int) -> JobItem:
    return job.items.get(variant=number)


def outcomes(item: JobItem) -> list[str]:
    return list(GenerationAttempt.objects.filter(item=item).values_list("outcome", flat=True))


def test_variants_are_written_distinct_with_the_variant_in_the_user_message_only(
        workspace, brand, sim):
    job = submit_variants(workspace, variants=3)
    for number in (1, 2, 3):
        item_generate(item_id=variant(job, number).pk)

    requests = sim_requests(sim)
    items = [variant(job, number) for number in (1, 2, 3)]
    systems = {r["body"]["messages"][0]["content"] for r in requests}
    users = [r["body"]["messages"][1]["content"] for r in requests]
    assert len(requests) == 3  # one call per variant
    assert len(systems) == 1  # byte-identical: prefix caching holds across variants
    assert "variant" not in systems.pop().lower()
    assert "This is variant 1 of 3 of an A/B test." in users[0]
    assert "This is variant 2 of 3 of an A/B test: write a version distinct" in users[1]
    # The siblings already written are named by their opening, for the model to avoid.
    assert f"Other variants already open with: “{items[0].content['headline']}”." in users[1]
    assert (f"Other variants already open with: “{items[0].content['headline']}”; "
            f"“{items[1].content['headline']}”.") in users[2]
    assert [i.status for i in items] == ["succeeded"] * 3
    assert [outcomes(i) for i in items] == [["ok"]] * 3
    for first, second in ((0, 1), (0, 2), (1, 2)):
        assert content_similarity(items[first].content, items[second].content) < NEAR_DUPLICATE


def test_a_single_variant_prompt_says_nothing_of_variants(workspace, brand, sim):
    job = submit_variants(workspace, variants=1)

    item_generate(item_id=job.items.get().pk)

    assert "variant" not in sim_requests(sim)[0]["body"]["messages"][1]["content"].lower()


def test_a_near_copy_of_a_sibling_fails_its_check_and_is_regenerated(workspace, brand, sim):
    job = submit_variants(workspace, variants=2)
    item_generate(item_id=variant(job, 1).pk)
    script(sim, {"as_variant": 1})  # the model ignores the variant and repeats variant 1

    item_generate(item_id=variant(job, 2).pk)

    first, second = variant(job, 1), variant(job, 2)
    retry_prompt = sim_requests(sim)[2]["body"]["messages"][1]["content"]
    failed = GenerationAttempt.objects.filter(item=second).first()
    assert outcomes(second) == ["check_failed", "ok"]
    assert [f["check"] for f in failed.checks["failures"]] == ["distinct"]
    assert failed.error.startswith("Your previous answer failed 1 check: (1) too similar to "
                                   "variant 1: the two share 100% of their word pairs;")
    assert "too similar to variant 1" in retry_prompt
    assert second.status == "succeeded"
    assert content_similarity(first.content, second.content) < NEAR_DUPLICATE
    job.refresh_from_db()
    # Billed per call: three calls, three attempts, the job's cost their sum.
    assert GenerationAttempt.objects.filter(item__job=job).count() == 3
    assert job.actual_cost_usd == sum(a.cost_usd for a in
                                      GenerationAttempt.objects.filter(item__job=job))


def test_a_variant_that_stays_a_near_copy_waits_for_review(workspace, brand, sim):
    workspace.max_regenerations = 1
    workspace.save()
    job = submit_variants(workspace, variants=2)
    item_generate(item_id=variant(job, 1).pk)
    script(sim, {"as_variant": 1}, {"as_variant": 1})

    item_generate(item_id=variant(job, 2).pk)

    second = variant(job, 2)
    assert outcomes(second) == ["check_failed", "check_failed"]
    assert second.status == "needs_review"
    assert [f["check"] for f in second.checks["failures"]] == ["distinct"]
    assert second.content == variant(job, 1).content
    assert "too similar to variant 1" in second.error


def test_the_cache_serves_each_variant_its_own_content(workspace, brand, sim):
    first_job = submit_variants(workspace, variants=2)
    for number in (1, 2):
        item_generate(item_id=variant(first_job, number).pk)
    single = submit_variants(workspace, variants=1)

    again = submit_variants(workspace, variants=2)

    # A single version is another prompt than "variant 1 of 2": not served either way.
    assert single.items.get().from_cache is False
    assert [(i.variant, i.from_cache, i.status) for i in again.items.all()] == [
        (1, True, "succeeded"), (2, True, "succeeded")]
    assert variant(again, 1).content == variant(first_job, 1).content
    assert variant(again, 2).content == variant(first_job, 2).content
    assert variant(again, 1).content != variant(again, 2).content
    assert len(sim_requests(sim)) == 2


def test_a_rejected_variant_is_rewritten_alone_and_checked_against_its_siblings(
        workspace, brand, sim):
    job = submit_variants(workspace, variants=2)
    for number in (1, 2):
        item_generate(item_id=variant(job, number).pk)
    first_before = variant(job, 1).content
    item_reject(item=variant(job, 2), note="Más corto, por favor.", reviewer=REVIEWER)
    script(sim, {"as_variant": 1})

    item_generate(item_id=variant(job, 2).pk)

    first, second = variant(job, 1), variant(job, 2)
    prompts = [r["body"]["messages"][1]["content"] for r in sim_requests(sim)[2:]]
    assert outcomes(second) == ["ok", "check_failed", "ok"]
    assert all("Más corto, por favor." in prompt for prompt in prompts)
    assert "too similar to variant 1" in prompts[1]
    assert (second.status, second.review) == ("succeeded", "pending")
    assert content_similarity(first.content, second.content) < NEAR_DUPLICATE
    assert first.content == first_before and first.review == "approved"


def test_an_edit_that_copies_a_sibling_is_stored_and_flagged(workspace, brand, sim):
    job = submit_variants(workspace, variants=2)
    for number in (1, 2):
        item_generate(item_id=variant(job, number).pk)

    report = item_edit(item=variant(job, 2), content=variant(job, 1).content, author=REVIEWER)

    second = variant(job, 2)
    assert [f.check for f in report.failures] == ["distinct"]
    assert second.content == variant(job, 1).content and second.review == "pending"
    assert second.checks["passed"] is False


def test_economy_variants_go_through_the_batch_api_and_are_checked_against_each_other(
        workspace, brand, sim):
    httpx.post(sim.url + "/_sim/config", json={"batch_delay_s": 0.2})
    image = ["https://img.example/lamp.jpg"]
    script(sim, {"for_variant": 2, "as_variant": 1})  # variant 2's batch line repeats variant 1
    job = submit_variants(workspace, variants=2, items=[product(1, image_urls=image)],
                          priority="economy")

    job_dispatch(job_id=job.pk)
    time.sleep(0.3)
    batches_poll()

    lines = [r["body"]["messages"][1] for r in sim_requests(sim)
             if r["path"] == "/v1/chat/completions (batch)"]
    texts = sorted(part["text"] for line in lines for part in line["content"]
                   if part["type"] == "text")
    assert [("variant 1 of 2" in text, "variant 2 of 2" in text) for text in texts] == [
        (True, False), (False, True)]
    first, second = variant(job, 1), variant(job, 2)
    assert (first.status, outcomes(first)) == ("succeeded", ["ok"])
    # The near-copy failed its check in the fold and went back to the online queue.
    assert (second.status, outcomes(second)) == ("pending", ["check_failed"])
    assert [f["check"] for f in GenerationAttempt.objects.get(item=second).checks["failures"]
            ] == ["distinct"]
