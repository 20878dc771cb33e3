from django.urls import path

from apps.jobs.apis import (
    EstimateApi,
    JobCancelApi,
    JobDetailApi,
    JobItemApproveApi,
    JobItemDetailApi,
    JobItemListApi,
    JobItemRejectApi,
    JobItemRevisionListApi,
    JobListCreateApi,
    JobResumeApi,
    JobRetryApi,
    ModelListApi,
    UsageApi,
)
from apps.jobs.kind_apis import KindListApi
from apps.jobs.webhook_apis import JobWebhookDeliveryListApi

urlpatterns = [
    path("jobs/", JobListCreateApi.as_view(), name="job-list"),
    path("jobs/<str:job_id>/", JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<str:job_id>/items/", JobItemListApi.as_view(), name="job-items"),
    path("jobs/<str:job_id>/items/<str:item_id>/", JobItemDetailApi.as_view(), name="job-item"),
    path("jobs/<str:job_id>/items/<str:item_id>/approve/", JobItemApproveApi.as_view(),
         name="job-item-approve"),
    path("jobs/<str:job_id>/items/<str:item_id>/reject/", JobItemRejectApi.as_view(),
         name="job-item-reject"),
    path("jobs/<str:job_id>/items/<str:item_id>/revisions/", JobItemRevisionListApi.as_view(),
         name="job-item-revisions"),
    path("jobs/<str:job_id>/resume/", JobResumeApi.as_view(), name="job-resume"),
    path("jobs/<str:job_id>/cancel/", JobCancelApi.as_view(), name="job-cancel"),
    path("jobs/<str:job_id>/retry/", JobRetryApi.as_view(), name="job-retry"),
    path("jobs/<str:job_id>/webhooks/", JobWebhookDeliveryListApi.as_view(), name="job-webhooks"),
    path("estimate/", EstimateApi.as_view(), name="estimate"),
    path("models/", ModelListApi.as_view(), name="model-list"),
    path("kinds/", KindListApi.as_view(), name="kind-list"),
    path("usage/", UsageApi.as_view(), name="usage"),
]
