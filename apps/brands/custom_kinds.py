"""Custom kinds: a workspace's own content kinds, checked, frozen into versions and read.

A custom kind is checked before it is stored, by the admin and by any API alike
(`custom_kind_problems`): a kind that no model could satisfy — a limit below one
character, a minimum over its maximum, more entries than a list may have, no fields, two
fields with one name, a name that is not a JSON key a model writes reliably, minimums that
add up to more than one answer can hold — is refused with the field named
("fields.2.max_chars"), in the caller's language.

A stored kind becomes a `KindSpec` (apps.generation.kinds) like the built-in ones, so
schemas, prompts, checks, the review desk and the exports read it unchanged. Every save
freezes that spec as JSON in an immutable CustomKindVersion; a job pins the version it
was submitted with, as it pins its brand version.

It lives beside the brands because it is the same thing for the same people: a
workspace's own, admin-edited, versioned definition that shapes what the jobs write,
above accounts and generation and below jobs in the import layers.
"""

import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.brands import limits
from apps.brands.models import CustomKind, CustomKindField, CustomKindVersion
from apps.generation.kinds import BUILTIN_KINDS, FIELD_MAX_CHARS, LOCALIZE, FieldSpec, KindSpec

# A kind's slug reaches the API ("kind": "push_notification") and the structured-output
# name providers take (letters, digits, _ and -); a field's name is a JSON key.
KIND_SLUG_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KIND_SLUG_MAX_CHARS = 64


@dataclass(frozen=True)
class FieldDraft:
    """A field as a person typed it (the admin's row, an API's object), before checks."""

    name: str
    label: str
    is_list: bool
    max_chars: int | None
    min_chars: int = 1
    min_entries: int = 1
    max_entries: int = 1
    required: bool = True

    @classmethod
    def from_row(cls, row: CustomKindField) -> "FieldDraft":
        return cls(name=row.name, label=row.label, is_list=row.type == CustomKindField.Type.LIST,
                   max_chars=row.max_chars, min_chars=row.min_chars,
                   min_entries=row.min_entries, max_entries=row.max_entries,
                   required=row.required)


@dataclass(frozen=True)
class KindDraft:
    slug: str
    name: str
    instructions: str
    fields: tuple[FieldDraft, ...]


# --- Checks -------------------------------------------------------------------------


def kind_head_problems(*, slug: str, name: str, instructions: str) -> dict[str, list[str]]:
    """What is wrong with a kind's slug, name and instructions ({} when nothing)."""
    problems: dict[str, list[str]] = {}
    if not KIND_SLUG_RE.match(slug or "") or len(slug) > KIND_SLUG_MAX_CHARS:
        problems["slug"] = [_("Use lowercase letters, digits, - and _, starting with a letter, "
                              "at most %(limit)s characters.") % {"limit": KIND_SLUG_MAX_CHARS}]
    elif slug in BUILTIN_KINDS or slug == LOCALIZE:
        problems["slug"] = [_("“%(slug)s” is a built-in kind; choose another slug.")
                            % {"slug": slug}]
    if not (name or "").strip():
        problems["name"] = [_("Give the kind a name.")]
    elif len(name) > limits.NAME_MAX_CHARS:
        problems["name"] = [_("At most %(limit)s characters.") % {"limit": limits.NAME_MAX_CHARS}]
    if not (instructions or "").strip():
        problems["instructions"] = [_("Say what to write: the instructions are the model's "
                                      "brief.")]
    elif len(instructions) > limits.CUSTOM_KIND_INSTRUCTIONS_MAX_CHARS:
        problems["instructions"] = [
            _("At most %(limit)s characters; this is %(count)s.")
            % {"limit": limits.CUSTOM_KIND_INSTRUCTIONS_MAX_CHARS, "count": len(instructions)}]
    return problems


def field_problems(field: FieldDraft) -> dict[str, list[str]]:
    """What is wrong with one field, by its attribute ("max_chars": [...])."""
    problems: dict[str, list[str]] = {}
    name_limit = limits.CUSTOM_KIND_FIELD_NAME_MAX_CHARS
    if not FIELD_NAME_RE.match(field.name or "") or len(field.name) > name_limit:
        problems["name"] = [_("Use lowercase letters, digits and _, starting with a letter, at "
                              "most %(limit)s characters (it is the key of the output).")
                            % {"limit": name_limit}]
    if not (field.label or "").strip():
        problems["label"] = [_("Give the field a label.")]
    elif len(field.label) > limits.CUSTOM_KIND_FIELD_LABEL_MAX_CHARS:
        problems["label"] = [_("At most %(limit)s characters.")
                             % {"limit": limits.CUSTOM_KIND_FIELD_LABEL_MAX_CHARS}]
    if field.max_chars is None or field.max_chars < 1:
        problems["max_chars"] = [_("A field holds at least 1 character.")]
    elif field.max_chars > FIELD_MAX_CHARS:
        problems["max_chars"] = [_("At most %(limit)s characters.") % {"limit": FIELD_MAX_CHARS}]
    if field.min_chars < 1:
        problems["min_chars"] = [_("The minimum is at least 1 character.")]
    elif field.max_chars is not None and field.min_chars > field.max_chars >= 1:
        problems["min_chars"] = [_("The minimum (%(min)s) is over the maximum (%(max)s).")
                                 % {"min": field.min_chars, "max": field.max_chars}]
    if field.is_list:
        if field.min_entries < 1:
            problems["min_entries"] = [_("A list has at least 1 entry.")]
        elif field.min_entries > field.max_entries:
            problems["min_entries"] = [
                _("The minimum (%(min)s) is over the maximum (%(max)s).")
                % {"min": field.min_entries, "max": field.max_entries}]
        if field.max_entries > limits.CUSTOM_KIND_ENTRIES_MAX:
            problems["max_entries"] = [_("A list has at most %(limit)s entries.")
                                       % {"limit": limits.CUSTOM_KIND_ENTRIES_MAX}]
    return problems


def fields_problems(fields: tuple[FieldDraft, ...] | list[FieldDraft]) -> dict[str, list[str]]:
    """What is wrong with the fields together: none, too many, a name twice, minimums that
    no answer can hold. Keys are "fields" and "fields.<index>.name"."""
    problems: dict[str, list[str]] = {}
    if not fields:
        return {"fields": [_("A kind has at least one field.")]}
    if len(fields) > limits.CUSTOM_KIND_FIELDS_MAX:
        problems["fields"] = [_("A kind has at most %(limit)s fields.")
                              % {"limit": limits.CUSTOM_KIND_FIELDS_MAX}]
    seen: dict[str, int] = {}
    for index, field in enumerate(fields):
        if field.name in seen:
            problems[f"fields.{index}.name"] = [
                _("Field %(number)s already has this name.") % {"number": seen[field.name] + 1}]
        seen.setdefault(field.name, index)
    smallest = sum(field.min_chars * (field.min_entries if field.is_list else 1)
                   for field in fields if field.required or field.is_list)
    room = settings.GENERATION_MAX_OUTPUT_TOKENS * limits.CHARS_PER_OUTPUT_TOKEN
    if smallest > room:
        problems.setdefault("fields", []).append(
            _("The fields' minimums add up to %(count)s characters; one answer holds about "
              "%(limit)s. Lower the minimums.") % {"count": smallest, "limit": room})
    return problems


def custom_kind_problems(draft: KindDraft) -> dict[str, list[str]]:
    """Everything wrong with a kind, each under its field's path ({} when it may be
    stored): "slug", "instructions", "fields", "fields.0.max_chars"..."""
    problems = kind_head_problems(slug=draft.slug, name=draft.name,
                                  instructions=draft.instructions)
    for index, field in enumerate(draft.fields):
        for attribute, messages in field_problems(field).items():
            problems[f"fields.{index}.{attribute}"] = messages
    for path, messages in fields_problems(draft.fields).items():
        problems.setdefault(path, []).extend(messages)
    return problems


# --- The kind as the registry's KindSpec ------------------------------------------


def _expected_output_tokens(fields: tuple[FieldDraft, ...]) -> int:
    # A field is written to about half its maximum (a long body rarely to its end), never
    # under its minimum; a list to the middle of its count; each key costs a few tokens.
    chars = 0
    for field in fields:
        typical = max(field.min_chars, min(field.max_chars, 1000) // 2)
        entries = (field.min_entries + field.max_entries) / 2 if field.is_list else 1
        chars += typical * entries
    return math.ceil(chars / limits.CHARS_PER_OUTPUT_TOKEN) + 8 * len(fields)


def _instructions(draft: KindDraft) -> str:
    # The labels say what each key is for; the system message adds each field's limits.
    described = "; ".join(
        f"{field.name} ({field.label.strip()}{', a list' if field.is_list else ''}"
        f"{'' if field.required or field.is_list else ', optional: may be empty'})"
        for field in draft.fields)
    return f"{draft.instructions.strip()}\nThe fields to write: {described}."


def custom_kind_spec(draft: KindDraft) -> KindSpec:
    """The kind as the registry's KindSpec (checked drafts only)."""
    return KindSpec(
        slug=draft.slug, label=draft.name.strip(), instructions=_instructions(draft),
        fields=tuple(FieldSpec(
            name=field.name, label=field.label.strip(), max_chars=field.max_chars,
            min_chars=field.min_chars, is_list=field.is_list,
            min_entries=field.min_entries if field.is_list else 1,
            max_entries=field.max_entries if field.is_list else 1,
            required=field.required or field.is_list)
            for field in draft.fields),
        expected_output_tokens=_expected_output_tokens(draft.fields))


def custom_kind_draft(kind: CustomKind) -> KindDraft:
    return KindDraft(slug=kind.slug, name=kind.name, instructions=kind.instructions,
                     fields=tuple(FieldDraft.from_row(row)
                                  for row in kind.kind_fields.order_by("position", "pk")))


# --- Writes -------------------------------------------------------------------------


def custom_kind_version_create(*, kind: CustomKind) -> CustomKindVersion:
    """Freeze the kind as it is now (checked: the admin and the API check before they
    save), unless nothing changed since the last version."""
    with transaction.atomic():
        # Lock the kind's row so two concurrent saves cannot take the same number.
        CustomKind.objects.select_for_update().filter(pk=kind.pk).first()
        spec = custom_kind_spec(custom_kind_draft(kind)).as_dict()
        latest = kind.versions.order_by("-number").first()
        if latest is not None and latest.spec == spec:
            return latest
        number = (kind.versions.aggregate(latest=Max("number"))["latest"] or 0) + 1
        return CustomKindVersion.objects.create(kind=kind, number=number, spec=spec)


@transaction.atomic
def custom_kind_create(*, workspace: Workspace, draft: KindDraft) -> CustomKind:
    """A checked draft stored with its first version (the admin stores its own rows)."""
    kind = CustomKind.objects.create(workspace=workspace, slug=draft.slug, name=draft.name,
                                     instructions=draft.instructions)
    CustomKindField.objects.bulk_create([
        CustomKindField(kind=kind, position=index, name=field.name, label=field.label,
                        type=CustomKindField.Type.LIST if field.is_list
                        else CustomKindField.Type.TEXT,
                        min_chars=field.min_chars, max_chars=field.max_chars,
                        min_entries=field.min_entries, max_entries=field.max_entries,
                        required=field.required)
        for index, field in enumerate(draft.fields)])
    custom_kind_version_create(kind=kind)
    return kind


# --- Reads --------------------------------------------------------------------------


def custom_kind_latest_version(*, workspace: Workspace, slug: str) -> CustomKindVersion | None:
    """The version a new job of the workspace's kind `slug` pins; None for another
    workspace's kind or none at all (the caller's 400 is the one of an unknown kind)."""
    return (CustomKindVersion.objects.filter(kind__workspace=workspace, kind__slug=slug)
            .order_by("-number").first())


def custom_kind_specs_for_workspace(*, workspace: Workspace) -> list[KindSpec]:
    """Each of the workspace's kinds as its latest version defines it, by name."""
    newest = (CustomKindVersion.objects.filter(kind=OuterRef("kind"))
              .order_by("-number").values("number")[:1])
    return [KindSpec.from_dict(spec) for spec in (
        CustomKindVersion.objects.filter(kind__workspace=workspace, number=Subquery(newest))
        .order_by("kind__name", "kind__pk").values_list("spec", flat=True))]
