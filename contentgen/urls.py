from django.contrib import admin
from django.urls import include, path

from contentgen.views import api_not_found, healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("apps.brands.urls")),
    path("api/v1/", include("apps.jobs.urls")),
    # Anything else under /api/ answers in the API's JSON error shape, not HTML.
    path("api/<path:rest>", api_not_found),
]
