"""The structured output of each content kind, and its validation.

Every answer is validated here whatever the endpoint promised: a json_schema
route can still return broken JSON, and a json_object route returns any object.
"""

import json
import re
from dataclasses import dataclass

from apps.generation.kinds import KindSpec, kind_resolve


class OutputInvalid(Exception):
    """The answer is not the JSON object the kind requires; `reason` says why."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class OutputSchema:
    spec: KindSpec

    @property
    def kind(self) -> str:
        return self.spec.slug

    def json_schema(self, *, with_bounds: bool) -> dict:
        """The JSON Schema of the kind's output.

        OpenAI's strict mode rejects count keywords, so they are sent only where
        they help: llama.cpp turns them into a grammar. Lengths stay out even
        then: llama.cpp expands maxLength into one nested rule per character and
        fails to parse the grammar (the output limit bounds length instead; the
        system message states each field's limit and the checks count it).
        """
        properties = {}
        for spec in self.spec.fields:
            string = {"type": "string"}
            if with_bounds and spec.required:
                string |= {"minLength": 1}
            if spec.is_list:
                array = {"type": "array", "items": string}
                if with_bounds:
                    array |= {"minItems": spec.min_entries, "maxItems": spec.max_entries}
                properties[spec.name] = array
            else:
                properties[spec.name] = string
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
        for spec in self.spec.fields:
            name = spec.name
            if name not in data:
                raise OutputInvalid(f"missing field '{name}'")
            value = data[name]
            if spec.is_list:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise OutputInvalid(f"field '{name}' must be a list of strings")
                value = [entry.strip() for entry in value if entry.strip()]
                if not spec.min_entries <= len(value) <= spec.max_entries:
                    # The count goes back to the model with the rewrite.
                    raise OutputInvalid(
                        f"field '{name}' must have {spec.min_entries} to {spec.max_entries} "
                        f"entries; it has {len(value)}")
            else:
                if not isinstance(value, str):
                    raise OutputInvalid(f"field '{name}' must be a string")
                value = value.strip()
                if not value and spec.required:
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


def output_schema(kind: "str | KindSpec") -> OutputSchema:
    """The schema of a kind given by slug, key ("social_post:x") or spec."""
    return OutputSchema(spec=kind_resolve(kind))
