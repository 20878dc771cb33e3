"""One job end to end against a real OpenAI-compatible server: llama.cpp running
SmolLM2-135M on this machine, as the Hermes route. Real inference, real usage."""

import re

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.generation.catalog import catalog_get
from apps.generation.prompts import ItemInput, prompt_build
from apps.jobs.models import GenerationAttempt, JobItem
from devtools import devstack
from tests.conftest import BRAND_FIELDS, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.llama, pytest.mark.django_db(transaction=True)]


def reader_objections(content: dict) -> list[str]:
    """A stricter reading than the product's gate, written here by hand and sharing no
    code with it: what a brand team would refuse to publish in English copy."""
    objections = []
    for field, value in content.items():
        for text in value if isinstance(value, list) else [value]:
            if re.search(r"[{}\[\]<>_\\|#@$^*=~`]", text):
                objections.append(f"{field}: code or markup characters in {text!r}")
            words = re.findall(r"[A-Za-z']+", text)
            if len(words) < 2:
                objections.append(f"{field}: not a phrase: {text!r}")
            if any(len(w) > 3 and not re.search(r"[aeiouy]", w, re.I) for w in words):
                objections.append(f"{field}: unpronounceable words in {text!r}")
            if re.search(r"(.)\1{3,}|\s{3,}|[.,;:!?]{3,}", text):
                objections.append(f"{field}: runs of one character in {text!r}")
    if not re.search(r"[.!?]$", content.get("description", "").strip()):
        objections.append("description: cut mid-sentence")
    return objections


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    server = devstack.start_local_llm(port=devstack.free_port(),
                                      log_dir=tmp_path_factory.mktemp("llama"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack_overrides(llama_server):
    return {**devstack.local_llm_env(llama_server.url), "LLM_READ_TIMEOUT_S": "240"}


def test_job_runs_on_the_real_llama_cpp_server(live_stack, llama_server, workspace, settings):
    # A 135M model seldom passes the brand checks; one attempt keeps the usage comparable.
    workspace.max_regenerations = 0
    workspace.save()
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)
    item_data = product(1, name="Stoneware mug", brief="Hand-glazed stoneware mug, 350 ml.")

    job_id = client.post("/api/v1/jobs/", json={
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": [item_data]}).json()["id"]
    job = poll_until_finished(client, job_id, timeout=300)
    item = client.get(f"/api/v1/jobs/{job_id}/items/").json()["results"][0]

    # Real inference either passes the brand checks or is kept for review with its report;
    # either way the schema held (llama.cpp's grammar) and the answer was billed.
    assert (job["status"], item["status"]) in {("succeeded", "succeeded"),
                                                ("partially_succeeded", "needs_review")}, item
    assert item["status"] == "succeeded" or item["checks"]["failures"]
    # The quality gate scored it; what it let through also passes a stricter reader.
    assert 0 <= item["quality"] <= 100
    if item["status"] == "succeeded":
        assert item["quality"] >= workspace.quality_threshold
        assert reader_objections(item["content"]) == [], item["content"]
    assert item["model"] == "hermes-3-405b"
    assert set(item["content"]) == {"title", "short_description", "description", "bullets",
                                    "meta_description"}
    assert all(item["content"][field] for field in item["content"])
    attempt = GenerationAttempt.objects.get(item__job_id=job_id)
    assert attempt.provider_model == devstack.LOCAL_MODEL_ALIAS
    # The stored usage is the server's own count: the same prompt, sent again,
    # is tokenized to the same number of prompt tokens.
    stored = JobItem.objects.select_related("job__brand_version").get(job_id=job_id)
    messages = prompt_build(brand=stored.job.brand_version.snapshot, kind="product_description",
                            locale="en", item=ItemInput(**stored.input)).messages
    again = httpx.post(f"{llama_server.url}/chat/completions", timeout=240, json={
        "model": devstack.LOCAL_MODEL_ALIAS, "messages": messages, "max_tokens": 1}).json()
    assert item["input_tokens"] == again["usage"]["prompt_tokens"]
    assert 0 < item["output_tokens"] <= settings.GENERATION_MAX_OUTPUT_TOKENS
    cost = catalog_get()["hermes-3-405b"].cost_usd(item["input_tokens"], item["output_tokens"])
    assert item["cost_usd"] == f"{cost:.8f}"


def test_a_localize_item_runs_on_the_real_llama_cpp_server(live_stack, llama_server, workspace,
                                                           settings):
    workspace.max_regenerations = 0
    workspace.save()
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)
    source = {
        "title": "Stoneware mug, 350 ml",
        "short_description": "A hand-glazed stoneware mug that holds 350 ml of coffee or tea.",
        "description": "This mug is thrown by hand and glazed in a warm sand colour. It holds "
                       "350 ml, keeps your drink warm for longer and is safe in the dishwasher "
                       "and the microwave. Its wide handle sits well in the hand.",
        "bullets": ["Holds 350 ml", "Hand-glazed stoneware", "Dishwasher safe"],
        "meta_description": "Hand-glazed stoneware mug, 350 ml, dishwasher and microwave "
                            "safe: a warm colour for every morning."}

    response = client.post("/api/v1/jobs/", json={
        "kind": "localize", "brand": "nordic-home", "locales": ["es-ES"],
        "items": [{"sku": "MUG-1", "name": "Stoneware mug", "source": source,
                   "source_locale": "en-US"}]})
    assert response.status_code == 202, response.text
    job = poll_until_finished(client, response.json()["id"], timeout=300)
    item = client.get(f"/api/v1/jobs/{job['id']}/items/").json()["results"][0]

    # Real inference of a localization: it passes the checks or is kept for review with
    # its report; the source's fields came back (the schema held) and the call was billed.
    assert (job["status"], item["status"]) in {("succeeded", "succeeded"),
                                                ("partially_succeeded", "needs_review")}, item
    assert item["status"] == "succeeded" or item["checks"]["failures"]
    assert item["model"] == "hermes-3-405b"
    assert set(item["content"]) == set(source)
    attempt = GenerationAttempt.objects.get(item__job_id=job["id"])
    assert attempt.provider_model == devstack.LOCAL_MODEL_ALIAS
    stored = JobItem.objects.select_related("job__brand_version").get(job_id=job["id"])
    messages = prompt_build(brand=stored.job.brand_version.snapshot, kind=stored.job.kind_spec,
                            locale="es-ES", item=ItemInput(**stored.input)).messages
    assert "<source_content>" in messages[1]["content"]
    again = httpx.post(f"{llama_server.url}/chat/completions", timeout=240, json={
        "model": devstack.LOCAL_MODEL_ALIAS, "messages": messages, "max_tokens": 1}).json()
    assert item["input_tokens"] == again["usage"]["prompt_tokens"]
    cost = catalog_get()["hermes-3-405b"].cost_usd(item["input_tokens"], item["output_tokens"])
    assert item["cost_usd"] == f"{cost:.8f}"
