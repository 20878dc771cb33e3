"""The brand glossary through the pipeline: the prompt carries the item's entries, and
an answer that translates a do-not-translate term is fed back and never succeeds."""

import json

import pytest

from apps.brands.services import brand_update
from apps.jobs.models import JobItem
from apps.jobs.services import item_generate
from tests.conftest import product, script, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

GLOSSARY = [
    {"term": "Nordic Home", "source_language": "en", "translations": {},
     "do_not_translate": True, "case_sensitive": True, "notes": ""},
    {"term": "throw", "source_language": "en",
     "translations": {"es-ES": "manta", "es-MX": "cobija"}, "do_not_translate": False,
     "case_sensitive": False, "notes": ""},
]
THROW = product(1, name="Nordic Home throw", brief="A soft wool throw for the sofa.",
                attributes={"material": "wool", "width_cm": 130}, keywords=[])


@pytest.fixture
def glossary_brand(brand):
    return brand_update(brand=brand, glossary=GLOSSARY)


def test_a_faithful_answer_succeeds_and_the_prompt_carried_the_items_entries(
        workspace, glossary_brand, sim):
    job = submit(workspace, items=[THROW], locales=["es-MX"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.SUCCEEDED, item.checks
    prompt = sim_requests(sim)[0]["body"]["messages"][1]["content"]
    assert ('- "Nordic Home": keep exactly as written, never translate it.\n'
            '- "throw": write "cobija" (inflected as the sentence needs).') in prompt


def test_a_translated_brand_name_is_fed_back_and_never_succeeds(workspace, glossary_brand, sim):
    first = submit(workspace, items=[THROW], locales=["es-MX"]).items.get()
    item_generate(item_id=first.pk)
    first.refresh_from_db()
    translated = json.loads(json.dumps(first.content, ensure_ascii=False)
                            .replace("Nordic Home throw", "Cobija Hogar Nórdico"))
    script(sim, *[{"content": json.dumps(translated, ensure_ascii=False)}] * 3)
    # Another SKU, so the first item's content is not reused from the cache.
    item = submit(workspace, items=[{**THROW, "sku": "SKU-002"}], locales=["es-MX"]).items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.NEEDS_REVIEW
    assert {f["check"] for f in item.checks["failures"]} == {"glossary"}
    retry = sim_requests(sim)[-2]["body"]["messages"][1]["content"]
    assert ("the brand glossary keeps 'Nordic Home' exactly as written, never translated"
            in retry)
