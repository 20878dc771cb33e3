from django.urls import path

from apps.brands.apis import BrandDetailApi, BrandListCreateApi

urlpatterns = [
    path("brands/", BrandListCreateApi.as_view(), name="brand-list"),
    path("brands/<str:slug>/", BrandDetailApi.as_view(), name="brand-detail"),
]
