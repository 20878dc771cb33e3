"""The kinds API: every content kind a job may ask for, with its fields and limits.

Read from the registry (apps.generation.kinds), so the list is the one the schemas,
prompts and checks use; labels come in the caller's language. The workspace's own kinds
(apps.brands.custom_kinds) follow the built-in ones, each as its latest version defines
it, in the same shape.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from apps.brands.custom_kinds import custom_kind_specs_for_workspace
from apps.core.api import ApiView
from apps.core.schema import ERRORS
from apps.generation.kinds import BUILTIN_KINDS


class FieldOutputSerializer(serializers.Serializer):
    """A FieldSpec: one field of a kind's output."""

    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.SerializerMethodField()
    min_characters = serializers.IntegerField(source="min_chars")
    max_characters = serializers.IntegerField(
        source="max_chars", help_text="For a list, per entry. Counted as the platform counts: "
                                      "user-perceived characters, or X's weighting.")
    counting = serializers.ChoiceField(
        choices=["graphemes", "x"], help_text="graphemes: user-perceived characters; x: X's "
                                              "weighted count (an emoji 2, a link 23).")
    min_entries = serializers.SerializerMethodField()
    max_entries = serializers.SerializerMethodField()
    min_words = serializers.IntegerField()
    max_hashtags = serializers.IntegerField(allow_null=True)
    required = serializers.BooleanField()

    def get_type(self, spec) -> str:
        return "list" if spec.is_list else "string"

    def get_min_entries(self, spec) -> int | None:
        return spec.min_entries if spec.is_list else None

    def get_max_entries(self, spec) -> int | None:
        return spec.max_entries if spec.is_list else None


class ChannelOutputSerializer(serializers.Serializer):
    """A ChannelSpec: a network the kind writes for, and the field limit it sets."""

    slug = serializers.CharField()
    label = serializers.CharField()
    field = serializers.CharField()
    max_characters = serializers.IntegerField(source="max_chars")
    counting = serializers.CharField()
    max_hashtags = serializers.IntegerField(allow_null=True)


class KindOutputSerializer(serializers.Serializer):
    """A KindSpec: a content kind of the registry."""

    slug = serializers.CharField()
    label = serializers.CharField()
    builtin = serializers.SerializerMethodField(
        help_text="false for a kind the workspace defined in the admin.")
    fields = FieldOutputSerializer(many=True)
    channels = ChannelOutputSerializer(
        many=True, help_text="Empty, or the channels of which a job must choose one "
                             "(`channel`); a channel sets the limit of one field.")
    expected_output_tokens = serializers.IntegerField()
    rules = serializers.SerializerMethodField()

    def get_builtin(self, spec) -> bool:
        return spec.slug in BUILTIN_KINDS

    def get_rules(self, spec) -> list[str]:
        """The kind-wide rules, as sentences in English (like the checks' reports)."""
        rules = [f"the entries of '{name}' are pairwise distinct, not rewordings of one "
                 "another" for name in spec.distinct_fields]
        if spec.keyword_field:
            rules.append(f"when the item has keywords, at least {spec.keyword_min_entries} "
                         f"entries of '{spec.keyword_field}' contain one")
        return rules


class KindListSerializer(serializers.Serializer):
    results = KindOutputSerializer(many=True)


class KindListApi(ApiView):
    """The content kinds: fields, limits, channels, rules; the built-in ones, then the
    workspace's own."""

    @extend_schema(operation_id="kinds_list",
                   responses={200: KindListSerializer, 401: ERRORS[401]})
    def get(self, request):
        custom = custom_kind_specs_for_workspace(workspace=request.user.workspace)
        return Response(KindListSerializer(
            {"results": [*BUILTIN_KINDS.values(), *custom]}).data)
