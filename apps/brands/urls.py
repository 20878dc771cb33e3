from django.urls import path

from apps.brands.apis import BrandDetailApi, BrandGlossaryApi, BrandListCreateApi

urlpatterns = [
    path("brands/", BrandListCreateApi.as_view(), name="brand-list"),
    path("brands/<str:slug>/", BrandDetailApi.as_view(), name="brand-detail"),
    path("brands/<str:slug>/glossary/", BrandGlossaryApi.as_view(), name="brand-glossary"),
]
