"""Every part of a brand has a documented maximum (apps.brands.limits), checked before
anything is stored or versioned (issue 16, observation 8)."""

import pytest

from apps.brands import limits
from apps.brands.models import BrandTemplate, BrandTemplateVersion

EXAMPLE = {"locale": "en", "product": {"name": "Lamp"}, "output": {"title": "Oak lamp"}}


def brand_body(**fields) -> dict:
    return {"slug": "big", "name": "Big", "voice": "Calm.", **fields}


@pytest.mark.parametrize("field, allowed, refused", [
    pytest.param("voice", "v" * limits.VOICE_MAX_CHARS, "v" * 10_000_000, id="voice 10 MB"),
    pytest.param("audience", "a" * limits.AUDIENCE_MAX_CHARS, "a" * (limits.AUDIENCE_MAX_CHARS + 1),
                 id="audience"),
    pytest.param("examples", [EXAMPLE] * limits.EXAMPLES_MAX, [EXAMPLE] * 2000,
                 id="2,000 examples"),
    pytest.param("examples", [{**EXAMPLE, "product": {"name": "n" * 9000}}],
                 [{**EXAMPLE, "product": {"name": "n" * 10_000}}], id="example product size"),
    pytest.param("do_list", ["x"] * limits.TERMS_MAX, ["x"] * 100_000, id="100,000 do's"),
    pytest.param("locales", {"es": {}}, {f"es-{n}": {} for n in range(1000)},
                 id="1,000 locale overrides"),
])
def test_a_brand_field_past_its_maximum_is_a_400_and_nothing_is_stored(api, field, allowed,
                                                                        refused):
    refused_response = api.post("/api/v1/brands/", brand_body(**{field: refused}), format="json")

    assert refused_response.status_code == 400
    assert list(refused_response.json()["error"]["fields"])[0].split(".")[0] == field
    assert BrandTemplate.objects.count() == 0
    assert api.post("/api/v1/brands/", brand_body(**{field: allowed}),
                    format="json").status_code == 201


def test_a_patch_past_the_maximum_makes_no_new_version(api):
    api.post("/api/v1/brands/", brand_body(), format="json")

    response = api.patch("/api/v1/brands/big/", {"voice": "v" * 10_000_000}, format="json")

    assert response.status_code == 400
    assert BrandTemplateVersion.objects.count() == 1
