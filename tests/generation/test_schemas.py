import json

import pytest

from apps.generation.schemas import OutputInvalid, output_schema

GOOD = {
    "title": "Oak lamp",
    "short_description": "A calm light.",
    "description": "Made of oak.",
    "bullets": ["Dimmable", "Oak base", "Warm light"],
    "meta_description": "Oak desk lamp.",
}


def test_valid_answer_is_parsed_and_trimmed():
    answer = json.dumps({**GOOD, "title": "  Oak lamp "})

    content = output_schema("product_description").parse(answer)

    assert content == GOOD


def test_code_fenced_json_is_accepted():
    text = "```json\n" + json.dumps(GOOD) + "\n```"

    assert output_schema("product_description").parse(text) == GOOD


@pytest.mark.parametrize("text, reason", [
    ("Sure! Here is your description", "not valid JSON"),
    ("[1, 2]", "not a JSON object"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "bullets"}), "missing field 'bullets'"),
    (json.dumps({**GOOD, "title": ""}), "field 'title' is empty"),
    (json.dumps({**GOOD, "title": 3}), "field 'title' must be a string"),
    (json.dumps({**GOOD, "bullets": ["one"]}), "field 'bullets' must have 3 to 6 entries"),
    (json.dumps({**GOOD, "bullets": "one, two"}), "field 'bullets' must be a list of strings"),
])
def test_invalid_answers_are_rejected_with_the_reason(text, reason):
    with pytest.raises(OutputInvalid) as caught:
        output_schema("product_description").parse(text)

    assert reason in caught.value.reason


def test_marketing_copy_fields():
    schema = output_schema("marketing_copy").json_schema(with_bounds=False)

    assert schema["required"] == ["headline", "body", "call_to_action"]
    assert schema["additionalProperties"] is False


def test_bounds_only_when_asked():
    bounded = output_schema("product_description").json_schema(with_bounds=True)
    strict = output_schema("product_description").json_schema(with_bounds=False)

    assert bounded["properties"]["title"] == {"type": "string", "minLength": 1}
    assert bounded["properties"]["bullets"]["maxItems"] == 6
    assert "minLength" not in json.dumps(strict) and "maxItems" not in json.dumps(strict)
    assert "maxLength" not in json.dumps(bounded)  # llama.cpp cannot parse such grammars


def test_raw_newlines_inside_strings_are_content_not_a_syntax_error():
    content = output_schema("product_description").parse(
        '{"title": "Oak lamp", "short_description": "A calm light.", '
        '"description": "Made of oak.\nBuilt to last.", "bullets": ["Dimmable", "Oak base", '
        '"Warm light"], "meta_description": "Oak desk lamp."}')

    assert content["description"] == "Made of oak.\nBuilt to last."
