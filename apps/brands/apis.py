from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.brands.glossary_csv import glossary_from_csv, glossary_to_csv
from apps.brands.selectors import (
    brand_get_for_workspace,
    brand_glossary,
    brand_latest_version,
    brand_list_for_workspace,
)
from apps.brands.serializers import BrandSerializer, GlossarySerializer
from apps.brands.services import brand_create, brand_update
from apps.core.api import PAGE_PARAMETERS, ApiView, StandardPagination
from apps.core.csvtext import CsvInvalid, csv_invalid_input
from apps.core.errors import NotFound
from apps.core.negotiation import CsvExportMixin
from apps.core.parsers import BoundedJSONParser, CsvBytesParser
from apps.core.schema import ERRORS, error, paginated


class BrandListCreateApi(ApiView):
    query_params = {"get": PAGE_PARAMETERS}

    @extend_schema(operation_id="brands_list", responses={
        200: paginated("PaginatedBrands", BrandSerializer(many=True)), 401: ERRORS[401]})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            brand_list_for_workspace(workspace=request.user.workspace), request, view=self)
        return paginator.get_paginated_response(BrandSerializer(page, many=True).data)

    @extend_schema(operation_id="brands_create", request=BrandSerializer, responses={
        201: BrandSerializer, 400: ERRORS[400], 401: ERRORS[401],
        409: error("A brand with this slug exists.", "brand_slug_taken",
                   "A brand with this slug already exists.")})
    def post(self, request):
        serializer = BrandSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        brand = brand_create(workspace=request.user.workspace, **serializer.validated_data)
        return Response(BrandSerializer(brand).data, status=status.HTTP_201_CREATED)


def _brand_or_404(request, slug):
    if "\x00" in slug:
        raise NotFound()  # no slug holds one, and PostgreSQL refuses it in a query (a 500)
    brand = brand_get_for_workspace(workspace=request.user.workspace, slug=slug)
    if brand is None:
        raise NotFound()
    return brand


class BrandDetailApi(ApiView):
    def _brand(self, request, slug):
        return _brand_or_404(request, slug)

    @extend_schema(operation_id="brands_retrieve",
                   responses={200: BrandSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, slug):
        return Response(BrandSerializer(self._brand(request, slug)).data)

    @extend_schema(operation_id="brands_partial_update", request=BrandSerializer, responses={
        200: BrandSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]})
    def patch(self, request, slug):
        brand = self._brand(request, slug)
        serializer = BrandSerializer(brand, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        brand = brand_update(brand=brand, **serializer.validated_data)
        return Response(BrandSerializer(brand).data)


class BrandGlossaryApi(CsvExportMixin, ApiView):
    """The brand's glossary alone, as JSON or as CSV (see apps.brands.glossary_csv)."""

    parser_classes = [BoundedJSONParser, CsvBytesParser]

    def _answer(self, request, brand):
        entries = brand_glossary(brand=brand)
        if request.accepted_renderer.format == "csv":
            response = HttpResponse(glossary_to_csv(entries),
                                    content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="{brand.slug}-glossary.csv"')
            return response
        version = brand_latest_version(brand=brand)
        return Response({"glossary": entries, "version": version.number if version else None})

    @extend_schema(operation_id="brands_glossary_retrieve", parameters=[
        OpenApiParameter("format", str, enum=["json", "csv"],
                         description="csv (or `Accept: text/csv`): one row per rendering, "
                                     "columns term, source_language, language, translation, "
                                     "note, do_not_translate, case_sensitive")],
        responses={(200, "application/json"): GlossarySerializer,
                   (200, "text/csv"): OpenApiTypes.STR,
                   (401, "application/json"): ERRORS[401],
                   (404, "application/json"): ERRORS[404]})
    def get(self, request, slug):
        return self._answer(request, _brand_or_404(request, slug))

    @extend_schema(operation_id="brands_glossary_replace",
                   request={"application/json": GlossarySerializer,
                            "text/csv": OpenApiTypes.STR},
                   responses={200: GlossarySerializer, 400: ERRORS[400], 401: ERRORS[401],
                              404: ERRORS[404]})
    def put(self, request, slug):
        """Replace the whole glossary (a new brand version); nothing is written when any
        entry or row is wrong."""
        brand = _brand_or_404(request, slug)
        if isinstance(request.data, bytes):
            try:
                data = {"glossary": glossary_from_csv(request.data)}
            except CsvInvalid as exc:
                raise csv_invalid_input(exc) from exc
        else:
            data = request.data
        serializer = GlossarySerializer(data=data)
        serializer.is_valid(raise_exception=True)
        brand = brand_update(brand=brand, glossary=serializer.validated_data["glossary"])
        return self._answer(request, brand)
