from django.urls import path

from apps.jobs.apis import (
    EstimateApi,
    JobDetailApi,
    JobItemListApi,
    JobListCreateApi,
    JobResumeApi,
)

urlpatterns = [
    path("jobs/", JobListCreateApi.as_view(), name="job-list"),
    path("jobs/<str:job_id>/", JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<str:job_id>/items/", JobItemListApi.as_view(), name="job-items"),
    path("jobs/<str:job_id>/resume/", JobResumeApi.as_view(), name="job-resume"),
    path("estimate/", EstimateApi.as_view(), name="estimate"),
]
