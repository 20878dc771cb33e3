from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.accounts.apis import WebhookSecretRotateApi
from apps.ops.views import api_not_found, healthz, metrics, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    # The admin's language selector posts here; the choice is kept in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/v1/webhook-secret/", WebhookSecretRotateApi.as_view(), name="webhook-secret"),
    path("api/v1/", include("apps.brands.urls")),
    path("api/v1/", include("apps.jobs.urls")),
    # Anything else under /api/ (and /api/ itself) answers in the API's JSON error shape,
    # not HTML.
    re_path(r"^api/", api_not_found),
]

# An unexpected error under /api/ answers the API's JSON shape too.
handler400 = "apps.ops.views.bad_request"
handler500 = "apps.ops.views.server_error"
