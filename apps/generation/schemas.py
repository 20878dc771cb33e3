"""The structured output of each content kind, and its validation.

Every answer is validated here whatever the endpoint promised: a json_schema
route can still return broken JSON, and a json_object route returns any object.
"""

import json
import re
from dataclasses import dataclass

CONTENT_FIELDS = {
    "product_description": {
        "title": 150,
        "short_description": 400,
        "description": 3000,
        "bullets": 250,  # per bullet
        "meta_description": 200,
    },
    "marketing_copy": {
        "headline": 150,
        "body": 2000,
        "call_to_action": 100,
    },
}
LIST_FIELDS = {"bullets"}
BULLETS_MIN, BULLETS_MAX = 3, 6


class OutputInvalid(Exception):
    """The answer is not the JSON object the kind requires; `reason` says why."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class OutputSchema:
    kind: str

    def json_schema(self, *, with_bounds: bool) -> dict:
        """The JSON Schema of the kind's output.

        OpenAI's strict mode rejects count keywords, so they are sent only where
        they help: llama.cpp turns them into a grammar. Lengths stay out even
        then: llama.cpp expands maxLength into one nested rule per character and
        fails to parse the grammar (the output limit bounds length instead).
        """
        properties = {}
        for name in CONTENT_FIELDS[self.kind]:
            string = {"type": "string"}
            if with_bounds:
                string |= {"minLength": 1}
            if name in LIST_FIELDS:
                array = {"type": "array", "items": string}
                if with_bounds:
                    array |= {"minItems": BULLETS_MIN, "maxItems": BULLETS_MAX}
                properties[name] = array
            else:
                properties[name] = string
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    def parse(self, text: str) -> dict:
        """Parse and validate an answer; raise OutputInvalid with the reason."""
        data = _load_json_object(text)
        content = {}
        for name in CONTENT_FIELDS[self.kind]:
            if name not in data:
                raise OutputInvalid(f"missing field '{name}'")
            value = data[name]
            if name in LIST_FIELDS:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise OutputInvalid(f"field '{name}' must be a list of strings")
                value = [entry.strip() for entry in value if entry.strip()]
                if not BULLETS_MIN <= len(value) <= BULLETS_MAX:
                    raise OutputInvalid(
                        f"field '{name}' must have {BULLETS_MIN} to {BULLETS_MAX} entries"
                    )
            else:
                if not isinstance(value, str):
                    raise OutputInvalid(f"field '{name}' must be a string")
                value = value.strip()
                if not value:
                    raise OutputInvalid(f"field '{name}' is empty")
            content[name] = value
        return content


_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


def _load_json_object(text: str) -> dict:
    stripped = (text or "").strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1)
    try:
        # strict=False accepts raw newlines and tabs inside strings: models (and
        # llama.cpp's grammar) emit them in long descriptions, and they are content.
        data = json.loads(stripped, strict=False)
    except json.JSONDecodeError as exc:
        raise OutputInvalid(f"not valid JSON ({exc.msg} at position {exc.pos})") from exc
    if not isinstance(data, dict):
        raise OutputInvalid("not a JSON object")
    return data


def output_schema(kind: str) -> OutputSchema:
    return OutputSchema(kind=kind)
