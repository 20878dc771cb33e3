import pytest

from apps.core.netguard import url_is_private


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/a.jpg", "http://127.1/a.jpg", "http://2130706433/a.jpg",
    "http://0x7f000001/a.jpg", "http://0177.0.0.1/a.jpg", "http://[::1]/a.jpg",
    "http://[::ffff:127.0.0.1]/a.jpg", "http://10.0.0.5/a.jpg", "http://192.168.1.10/a.jpg",
    "http://169.254.169.254/latest/meta-data/", "http://localhost:8000/a.jpg",
    "http://printer.local/a.jpg", "http://db.internal/a.jpg", "http://0.0.0.0/a.jpg",
])
def test_urls_that_point_inside_are_private(url):
    assert url_is_private(url) is True


@pytest.mark.parametrize("url", [
    "https://cdn.example.com/lamp.jpg", "http://93.184.216.34/a.jpg",
    "https://images.shop.example/x/y.png?size=800",
])
def test_public_urls_pass(url):
    assert url_is_private(url) is False


def test_private_image_urls_are_refused_at_submit_naming_the_field(api, brand):
    response = api.post("/api/v1/jobs/", {
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": [{"sku": "A", "name": "Lamp", "image_urls": ["http://0x7f000001/a.jpg"]}]},
        format="json")

    assert response.status_code == 400
    assert "Image URLs must be public http or https addresses." in (
        response.json()["error"]["fields"]["items.0.image_urls.0"])
