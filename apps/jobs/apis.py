from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs.selectors import item_list_for_job, job_get_for_workspace, job_list_for_workspace
from apps.jobs.serializers import (
    JobCreateSerializer,
    JobItemSerializer,
    JobSerializer,
    JobSubmittedSerializer,
    estimate_representation,
)
from apps.jobs.services import job_estimate, job_resume, job_submit
from contentgen.api import StandardPagination
from contentgen.errors import NotFound


def _job_or_404(request, job_id):
    job = job_get_for_workspace(workspace=request.user.workspace, job_id=job_id)
    if job is None:
        raise NotFound()
    return job


class JobListCreateApi(APIView):
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            job_list_for_workspace(workspace=request.user.workspace), request, view=self)
        return paginator.get_paginated_response(JobSerializer(page, many=True).data)

    def post(self, request):
        serializer = JobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = job_submit(workspace=request.user.workspace, submission=serializer.to_submission())
        return Response(JobSubmittedSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class JobDetailApi(APIView):
    def get(self, request, job_id):
        return Response(JobSerializer(_job_or_404(request, job_id)).data)


class JobItemListApi(APIView):
    def get(self, request, job_id):
        job = _job_or_404(request, job_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(item_list_for_job(job=job), request, view=self)
        return paginator.get_paginated_response(JobItemSerializer(page, many=True).data)


class EstimateApi(APIView):
    """The cost of a job body per model and per policy, without running anything."""

    def post(self, request):
        serializer = JobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        estimate = job_estimate(workspace=request.user.workspace,
                                submission=serializer.to_submission())
        return Response(estimate_representation(estimate))


class JobResumeApi(APIView):
    def post(self, request, job_id):
        job = _job_or_404(request, job_id)
        job_resume(job=job)
        job.refresh_from_db()
        return Response(JobSerializer(job).data)
