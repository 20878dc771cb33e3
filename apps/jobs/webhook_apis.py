"""The webhook delivery log API: one entry per attempt, to the job's workspace only.

The log says what was sent where and how each attempt went, never the body: the receiver
already has it, and it would repeat the job's content in a second place.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from apps.core.api import PAGE_PARAMETERS, ApiView, StandardPagination
from apps.core.errors import NotFound
from apps.core.schema import ERRORS, paginated
from apps.jobs.models import WebhookDelivery
from apps.jobs.selectors import job_get_for_workspace
from apps.jobs.webhooks import webhook_delivery_list_for_job


class JobWebhookDeliveryListApi(ApiView):
    """The webhook log of a job: one entry per delivery attempt, newest first."""
    query_params = {"get": PAGE_PARAMETERS}

    class OutputSerializer(serializers.ModelSerializer):
        status_label = serializers.CharField(source="get_status_display")

        class Meta:
            model = WebhookDelivery
            fields = ["event_id", "attempt", "event", "url", "status", "status_label",
                      "response_status", "error", "duration_ms", "created_at",
                      "next_attempt_at"]

    @extend_schema(operation_id="jobs_webhooks_list", responses={
        200: paginated("PaginatedWebhookDeliveries", OutputSerializer(many=True)),
        401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, job_id):
        job = job_get_for_workspace(workspace=request.user.workspace, job_id=job_id)
        if job is None:
            raise NotFound()
        paginator = StandardPagination()
        page = paginator.paginate_queryset(webhook_delivery_list_for_job(job=job), request,
                                           view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
