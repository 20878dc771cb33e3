"""CSV through the API: a job's items uploaded as a file, results downloaded as a file."""

import csv
import io

import pytest

from apps.jobs.models import Job, JobItem
from apps.jobs.services import item_generate
from tests.conftest import product

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

GOOD = ("\ufeffsku;name;price;currency;keywords;attributes.материал\r\n"
        "SAMO-1;Самовар «Тула»;1299,50;RUB;самовар|чай;латунь\r\n"
        "LAMP-2;Oak lamp;49.90;EUR;lamp;дуб\r\n").encode()
BROKEN = (b"sku,name,price,currency,image_urls\n"
          b"A-1,Lamp,49.90,EUR,https://img.example/a.jpg\n"
          b"A-2,,10,EUR,\n"
          b"A-3,Chair,ten,EUR,\n"
          b"A-4,Table,5,EUR,not-a-url\n")


def upload(api, data: bytes, **fields):
    form = {"kind": "product_description", "brand": "nordic-home", "locales": "ru, en",
            "file": io.BytesIO(data), **fields}
    form["file"].name = "items.csv"
    return api.post("/api/v1/jobs/", form, format="multipart")


def test_a_csv_upload_with_bom_semicolons_and_cyrillic_makes_a_job(api, brand):
    response = upload(api, GOOD)

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.items_total == 4
    assert job.locales == ["ru-RU", "en-US"]
    samovar = job.items.get(sku="SAMO-1", locale="ru-RU")
    assert samovar.input["name"] == "Самовар «Тула»"
    assert samovar.input["price"] == "1299.50"
    assert samovar.input["keywords"] == ["самовар", "чай"]
    assert samovar.input["attributes"] == {"материал": "латунь"}


def test_a_file_with_a_bad_row_is_refused_whole_with_every_error(api, brand):
    response = upload(api, BROKEN)

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "invalid_csv"
    assert {(r["row"], r["column"]) for r in error["rows"]} == {
        (3, "name"), (4, "price"), (5, "image_urls")}
    assert set(error["fields"]) == {"file.3.name", "file.4.price", "file.5.image_urls"}
    assert not Job.objects.exists()
    assert not JobItem.objects.exists()


def test_an_upload_without_a_file_names_the_field(api, brand):
    response = api.post("/api/v1/jobs/", {"kind": "product_description", "brand": "nordic-home",
                                          "locales": "en"}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["file"]


def test_results_download_as_csv_one_row_per_sku_and_locale(api, brand):
    job_id = api.post("/api/v1/jobs/", {
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["en", "ru"],
        "items": [product(1), product(2)]}, format="json").json()["id"]
    done = JobItem.objects.get(job_id=job_id, sku="SKU-001", locale="ru-RU")
    item_generate(item_id=done.pk)

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["sku"], r["locale"]) for r in rows] == [
        ("SKU-001", "en-US"), ("SKU-001", "ru-RU"), ("SKU-002", "en-US"), ("SKU-002", "ru-RU")]
    ru = rows[1]
    done.refresh_from_db()
    assert (ru["status"], ru["headline"], ru["checks_passed"]) == (
        "succeeded", done.content["headline"], "true")
    assert rows[0]["headline"] == "" and rows[0]["status"] == "pending"


def test_csv_download_honours_the_filters(api, brand):
    job_id = api.post("/api/v1/jobs/", {
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["en", "ru"],
        "items": [product(1), product(2)]}, format="json").json()["id"]

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=csv&locale=ru-RU&sku=SKU-002")

    rows = list(csv.DictReader(io.StringIO(
        b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert [(r["sku"], r["locale"]) for r in rows] == [("SKU-002", "ru-RU")]
