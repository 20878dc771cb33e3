from rest_framework import serializers

from apps.brands.models import BrandTemplate



def term_list() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=200), required=False,
                                 max_length=200)



class BrandSerializer(serializers.ModelSerializer):
    version = serializers.SerializerMethodField()
    do_list = term_list()
    dont_list = term_list()
    banned_terms = term_list()
    required_terms = term_list()

    class Meta:
        model = BrandTemplate
        fields = ["slug", "name", "voice", "audience", "do_list", "dont_list", "banned_terms",
                  "required_terms", "version", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]
        # Slug uniqueness is per workspace; the service reports a clash as a 409.
        extra_kwargs = {"slug": {"validators": []}}

    def get_version(self, brand: BrandTemplate) -> int | None:
        latest = brand.versions.order_by("-number").values_list("number", flat=True).first()
        return latest
