"""The quality gate through the pipeline: the score is stored on the item and shown by
the API, the CSV export and the admin; gibberish and debris never end `succeeded`; under
the workspace's threshold an item goes to review even when no single check failed."""

import csv
import io
import json

import pytest

from apps.jobs.models import JobItem
from apps.jobs.services import item_generate
from tests.conftest import product, script, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

GIBBERISH_ES = {
    "title": "Espaíro con ocho casas de la fútima de llamada",
    "short_description": "Una lámpara de roble para tu escritorio con luz cálida y suave.",
    "description": "Dibuja escábre en un mundo más desacahuera, con la luz de roble que alumbra "
                   "las casas y las mesas de la fútima. La lámpara tiene una base de madera y "
                   "una luz cálida que puedes usar para leer por la noche en casa.",
    "bullets": ["Base de roble macizo", "Luz cálida regulable", "Cable textil de dos metros"],
    "meta_description": "Lámpara de escritorio de roble con luz cálida de Nordic Home para leer.",
}


def test_a_clean_answer_succeeds_with_its_score_stored_and_shown(workspace, brand, sim, api):
    job = submit(workspace, items=[product(1)], locales=["es"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.SUCCEEDED
    assert 60 <= item.quality <= 100
    assert item.checks["quality"] == item.quality
    shown = api.get(f"/api/v1/jobs/{job.pk}/items/").json()["results"][0]
    assert shown["quality"] == item.quality
    exported = api.get(f"/api/v1/jobs/{job.pk}/items/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content)
                                           .decode("utf-8-sig"))))
    assert rows[0]["quality"] == str(item.quality)


def test_gibberish_is_fed_back_and_never_succeeds(workspace, brand, sim):
    script(sim, *[{"content": json.dumps(GIBBERISH_ES, ensure_ascii=False)}] * 3)
    job = submit(workspace, items=[product(1)], locales=["es"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.NEEDS_REVIEW
    assert {f["check"] for f in item.checks["failures"]} == {"gibberish"}
    assert item.quality < 50
    retry = sim_requests(sim)[1]["body"]["messages"][1]["content"]
    assert "'desacahuera'" in retry
    assert "write only real words" in retry


def test_under_the_workspace_threshold_an_item_goes_to_review(workspace, brand, sim):
    workspace.quality_threshold = 100
    workspace.save()
    rare = {
        "title": "Lámpara de roble Oak desk lamp 1",
        "short_description": "Una lámpara de roble macizo con una luz cálida y tranquila.",
        "description": "La lámpara tiene una base de roble macizo y una luz cálida que puedes "
                       "regular. Es ideal para leer por la noche o trabajar en casa sin cansar "
                       "la vista, y su madera gana un bonito color flimbor con los años.",
        "bullets": ["Base de roble macizo", "Luz cálida y regulable", "Madera que gana color"],
        "meta_description": "Lámpara de escritorio de roble macizo con luz cálida, de Nordic "
                            "Home.",
    }
    script(sim, *[{"content": json.dumps(rare, ensure_ascii=False)}] * 3)
    job = submit(workspace, items=[product(1)], locales=["es"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.NEEDS_REVIEW
    assert [f["check"] for f in item.checks["failures"]] == ["quality"]
    assert "below the required 100" in item.checks["failures"][0]["detail"]
    assert 60 <= item.quality < 100
