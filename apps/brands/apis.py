from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.brands.selectors import brand_get_for_workspace, brand_list_for_workspace
from apps.brands.serializers import BrandSerializer
from apps.brands.services import brand_create, brand_update
from apps.core.api import PAGE_PARAMETERS, ApiView, StandardPagination
from apps.core.errors import NotFound
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


class BrandDetailApi(ApiView):
    def _brand(self, request, slug):
        if "\x00" in slug:
            raise NotFound()  # no slug holds one, and PostgreSQL refuses it in a query (a 500)
        brand = brand_get_for_workspace(workspace=request.user.workspace, slug=slug)
        if brand is None:
            raise NotFound()
        return brand

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
