from django.urls import path

from apps.jobs.apis import JobDetailApi, JobItemListApi, JobListCreateApi

urlpatterns = [
    path("jobs/", JobListCreateApi.as_view(), name="job-list"),
    path("jobs/<str:job_id>/", JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<str:job_id>/items/", JobItemListApi.as_view(), name="job-items"),
]
