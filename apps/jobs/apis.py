from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.core.api import PAGE_PARAMETERS, ApiView, StandardPagination
from apps.core.csvtext import csv_invalid_input
from apps.core.errors import InvalidInput, NotFound
from apps.core.money import money
from apps.core.negotiation import CsvExportMixin, CsvStreamRenderer, GoogleAdsCsvRenderer
from apps.core.parsers import BoundedJSONParser
from apps.core.schema import ERRORS, error, paginated
from apps.core.validation import NoFieldsSerializer
from apps.generation.catalog import catalog_get
from apps.generation.kinds import GOOGLE_RSA, LOCALIZE, UnknownKind, kind_get
from apps.jobs.csv_io import CsvInvalid, google_ads_csv_rows, items_csv_rows, items_from_csv
from apps.jobs.domain import Actor
from apps.jobs.filters import JobItemFilter
from apps.jobs.models import JobItem
from apps.jobs.selectors import (
    USAGE_MAX_DAYS,
    item_get_for_job,
    item_list_for_job,
    job_get_for_workspace,
    job_list_for_workspace,
    usage_for_workspace,
)
from apps.jobs.serializers import (
    EstimateSerializer,
    ItemApproveSerializer,
    ItemEditSerializer,
    ItemRejectSerializer,
    ItemRevisionSerializer,
    JobCreateFormSerializer,
    JobCreateSerializer,
    JobItemSerializer,
    JobSerializer,
    JobSubmittedSerializer,
    ModelCatalogSerializer,
    UsageQuerySerializer,
    UsageSerializer,
)
from apps.jobs.services import (
    idempotency_key_clean,
    item_approve,
    item_edit,
    item_reject,
    item_revisions,
    job_cancel,
    job_estimate,
    job_resume,
    job_retry,
    job_submit_idempotent,
    submission_hash,
)

# What the Google Ads export reads of an item.
GOOGLE_ADS_ITEM_FIELDS = ("sku", "locale", "variant", "status", "review", "content", "input")
CSV_ITEM_FIELDS = ("sku", "locale", "variant", "status", "model", "model_used", "content",
                   "checks", "input_tokens", "output_tokens", "cost_usd", "error")


def _job_or_404(request, job_id):
    job = job_get_for_workspace(workspace=request.user.workspace, job_id=job_id)
    if job is None:
        raise NotFound()
    return job


def _item_or_404(request, job_id, item_id):
    """The item, if it belongs to a job of the caller's workspace: another workspace's is
    a 404 like a missing one."""
    item = item_get_for_job(job=_job_or_404(request, job_id), item_id=item_id)
    if item is None:
        raise NotFound()
    return item


def _actor(request) -> Actor:
    return Actor.for_api_key(request.user.api_key)


BUDGET_ERROR = error("The estimate passes the workspace's monthly budget; `budget` has the "
                     "figures.", "budget_exceeded",
                     "This would pass the workspace's monthly budget.")


JOB_REQUEST = {"application/json": JobCreateSerializer,
               "multipart/form-data": JobCreateFormSerializer}


def job_request_data(request) -> dict:
    """The job body: JSON as it is, or a multipart form whose `file` is a CSV of items."""
    if not request.content_type.startswith("multipart/form-data"):
        return request.data
    upload = request.FILES.get("file")
    if upload is None:
        message = _("Attach the items as a CSV file in the field “file”.")
        raise InvalidInput(message, fields={"file": [message]})
    try:
        items = items_from_csv(upload.read(), max_rows=settings.JOB_MAX_ITEMS,
                               max_bytes=settings.API_MAX_BODY_BYTES,
                               source_lists=_source_lists(request.data))
    except CsvInvalid as exc:
        raise csv_invalid_input(exc) from exc
    # Every form field but the file goes to the serializer, so a misspelt one is named
    # in the 400 rather than dropped.
    data = {name: request.data[name] for name in request.data if name != "file"}
    data["locales"] = [tag.strip() for tag in request.data.get("locales", "").split(",")
                       if tag.strip()]
    data["items"] = items
    return data


def _source_lists(form) -> frozenset[str] | None:
    """For a `localize` job's form, the list fields of its source kind (a file's
    `source.<field>` cells of those are |-separated); None for another kind. An unknown
    source kind has none here: the job's validation names it."""
    if form.get("kind") != LOCALIZE:
        return None
    try:
        kind = kind_get(LOCALIZE, form.get("source_kind") or "")
    except UnknownKind:
        return frozenset()
    return frozenset(spec.name for spec in kind.fields if spec.is_list)


class JobListCreateApi(ApiView):
    query_params = {"get": PAGE_PARAMETERS}
    throttle_submissions = True
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(operation_id="jobs_list", responses={
        200: paginated("PaginatedJobs", JobSerializer(many=True)), 401: ERRORS[401]})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            job_list_for_workspace(workspace=request.user.workspace), request, view=self)
        return paginator.get_paginated_response(JobSerializer(page, many=True).data)

    @extend_schema(
        operation_id="jobs_create", request=JOB_REQUEST,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                     description="A repeat with the same body returns the "
                                                 "original job (200); another body is a 409.")],
        responses={202: JobSubmittedSerializer, 200: JobSubmittedSerializer, 400: ERRORS[400],
                   401: ERRORS[401], 402: BUDGET_ERROR, 413: ERRORS[413], 429: ERRORS[429],
                   409: error("The Idempotency-Key was used with another body.",
                              "idempotency_key_reused")})
    def post(self, request):
        serializer = JobCreateSerializer(data=job_request_data(request))
        serializer.is_valid(raise_exception=True)
        key = idempotency_key_clean(request.headers.get("Idempotency-Key", ""))
        submitted = job_submit_idempotent(
            workspace=request.user.workspace, submission=serializer.to_submission(),
            idempotency_key=key, request_hash=submission_hash(serializer.validated_data))
        response = Response(JobSubmittedSerializer(submitted.job).data,
                            status=status.HTTP_200_OK if submitted.replayed
                            else status.HTTP_202_ACCEPTED)
        if submitted.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class JobDetailApi(ApiView):
    @extend_schema(operation_id="jobs_retrieve",
                   responses={200: JobSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, job_id):
        return Response(JobSerializer(_job_or_404(request, job_id)).data)


class JobItemListApi(CsvExportMixin, ApiView):
    query_params = {"get": ("status", "review", "locale", "sku", "variant",
                            *PAGE_PARAMETERS)}
    renderer_classes = [JSONRenderer, GoogleAdsCsvRenderer, CsvStreamRenderer]

    @extend_schema(operation_id="jobs_items_list", parameters=[
        OpenApiParameter("status", str, many=True, enum=[c for c, _ in JobItem.Status.choices]),
        OpenApiParameter("review", str, many=True, enum=[c for c, _ in JobItem.Review.choices]),
        OpenApiParameter("locale", str), OpenApiParameter("sku", str),
        OpenApiParameter("variant", int, description="One A/B variant, 1 to 5."),
        OpenApiParameter("format", str, enum=["json", "csv", "google-ads-csv"],
                         description="csv (or `Accept: text/csv`): one row per sku × locale × "
                                     "variant, streamed, every field of the kind (lists "
                                     "|-joined). google-ads-csv (or `Accept: text/csv; "
                                     "profile=google-ads-editor`): a google_rsa job's ads as "
                                     "Google Ads Editor imports them, one per sku × locale × "
                                     "variant; only succeeded or approved items; another kind "
                                     "is a 400.")],
        responses={(200, "application/json"): paginated("PaginatedItems",
                                                        JobItemSerializer(many=True)),
                   (200, "text/csv"): OpenApiTypes.STR,
                   (200, "text/csv; profile=google-ads-editor"): OpenApiTypes.STR,
                   # Errors are JSON whatever was asked for.
                   (400, "application/json"): ERRORS[400],
                   (401, "application/json"): ERRORS[401],
                   (404, "application/json"): ERRORS[404]})
    def get(self, request, job_id):
        job = _job_or_404(request, job_id)
        filters = JobItemFilter(request.GET, queryset=item_list_for_job(job=job))
        if not filters.is_valid():
            raise InvalidInput(fields={field: [str(m) for m in messages]
                                       for field, messages in filters.errors.items()})
        if request.accepted_renderer.format == GoogleAdsCsvRenderer.format:
            return _google_ads_response(job, filters.qs)
        if request.accepted_renderer.format == "csv":
            # Streamed row by row from a server-side cursor: 30,000 items never sit in memory.
            rows = items_csv_rows(job.kind_spec, (
                {**item, "cost_usd": money(item["cost_usd"]),
                 "model": item["model_used"] or item["model"]}
                for item in filters.qs.values(*CSV_ITEM_FIELDS).iterator(chunk_size=1000)))
            response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="job-{job.pk}-items.csv"'
            return response
        paginator = StandardPagination()
        page = paginator.paginate_queryset(filters.qs, request, view=self)
        return paginator.get_paginated_response(
            JobItemSerializer(page, many=True, context={"kind": job.kind_spec}).data)


def _google_ads_response(job, items) -> StreamingHttpResponse:
    # A localization of Google ads is Google ads too.
    writes = job.source_kind if job.kind == LOCALIZE else job.kind
    if writes != GOOGLE_RSA.slug:
        message = _("The Google Ads export is for google_rsa jobs; this job writes %(kind)s. "
                    "Use format=csv or JSON.") % {"kind": job.kind}
        raise InvalidInput(message, code="export_not_for_kind", fields={"format": [message]})
    rows = google_ads_csv_rows(brand=job.brand_version.brand.slug, items=(
        item for item in items.values(*GOOGLE_ADS_ITEM_FIELDS).iterator(chunk_size=1000)))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="job-{job.pk}-google-ads.csv"')
    return response


ITEM_CONFLICT = error("Not possible in the item's state: no content yet, already decided by "
                      "a person, or (with `revision`) edited since.", "item_already_reviewed",
                      "The item was already reviewed: Approved by api_key:cg_3f9a1c2. Edit it "
                      "to review it again.")


class JobItemDetailApi(ApiView):
    """One item; PATCH edits its content (a new revision, the checks run again)."""

    @extend_schema(operation_id="jobs_items_retrieve",
                   responses={200: JobItemSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, job_id, item_id):
        return Response(JobItemSerializer(_item_or_404(request, job_id, item_id)).data)

    @extend_schema(operation_id="jobs_items_partial_update", request=ItemEditSerializer,
                   responses={200: JobItemSerializer, 400: ERRORS[400], 401: ERRORS[401],
                              404: ERRORS[404], 409: ITEM_CONFLICT})
    def patch(self, request, job_id, item_id):
        item = _item_or_404(request, job_id, item_id)
        serializer = ItemEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item_edit(item=item, content=serializer.validated_data["content"], author=_actor(request),
                  revision=serializer.validated_data.get("revision"))
        return Response(JobItemSerializer(item).data)


class JobItemApproveApi(ApiView):
    @extend_schema(operation_id="jobs_items_approve", request=ItemApproveSerializer,
                   responses={200: JobItemSerializer, 400: ERRORS[400], 401: ERRORS[401],
                              404: ERRORS[404], 409: ITEM_CONFLICT})
    def post(self, request, job_id, item_id):
        item = _item_or_404(request, job_id, item_id)
        serializer = ItemApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item_approve(item=item, reviewer=_actor(request),
                     revision=serializer.validated_data.get("revision"))
        return Response(JobItemSerializer(item).data)


class JobItemRejectApi(ApiView):
    """Reject the content: the item is written again, once, with the note fed back."""

    @extend_schema(operation_id="jobs_items_reject", request=ItemRejectSerializer,
                   responses={200: JobItemSerializer, 400: ERRORS[400], 401: ERRORS[401],
                              402: error("The monthly budget is spent.", "budget_exceeded",
                                         "The monthly budget is spent; raise it to have this "
                                         "item written again."),
                              404: ERRORS[404], 409: ITEM_CONFLICT})
    def post(self, request, job_id, item_id):
        item = _item_or_404(request, job_id, item_id)
        serializer = ItemRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item_reject(item=item, note=serializer.validated_data["note"], reviewer=_actor(request),
                    revision=serializer.validated_data.get("revision"))
        return Response(JobItemSerializer(item).data)


class JobItemRevisionListApi(ApiView):
    """Every edit of the item, oldest first, with its author and the content before and
    after."""
    query_params = {"get": PAGE_PARAMETERS}

    @extend_schema(operation_id="jobs_items_revisions_list", responses={
        200: paginated("PaginatedRevisions", ItemRevisionSerializer(many=True)),
        401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, job_id, item_id):
        item = _item_or_404(request, job_id, item_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(item_revisions(item=item), request, view=self)
        return paginator.get_paginated_response(ItemRevisionSerializer(page, many=True).data)


class EstimateApi(ApiView):
    """The cost of a job body per model and per policy, without running anything."""

    throttle_submissions = True
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(operation_id="estimate_create", request=JOB_REQUEST,
                   responses={200: EstimateSerializer, 400: ERRORS[400], 401: ERRORS[401],
                              429: ERRORS[429]})
    def post(self, request):
        serializer = JobCreateSerializer(data=job_request_data(request))
        serializer.is_valid(raise_exception=True)
        estimate = job_estimate(workspace=request.user.workspace,
                                submission=serializer.to_submission())
        return Response(EstimateSerializer(estimate).data)


JOB_ACTION_RESPONSES = {200: JobSerializer, 400: ERRORS[400], 401: ERRORS[401],
                        404: ERRORS[404], 402: BUDGET_ERROR,
                        409: error("Not possible in the job's state.", "conflict")}


class _JobActionApi(ApiView):
    """`POST /jobs/{id}/<action>/`: no body, one service call; answers the job as it is
    after."""

    service = None  # a service taking job=

    def post(self, request, job_id):
        job = _job_or_404(request, job_id)
        NoFieldsSerializer(data=request.data).is_valid(raise_exception=True)
        type(self).service(job=job)
        job.refresh_from_db()
        return Response(JobSerializer(job).data)


@extend_schema_view(post=extend_schema(operation_id="jobs_resume", request=None,
                                       responses=JOB_ACTION_RESPONSES))
class JobResumeApi(_JobActionApi):
    service = staticmethod(job_resume)


@extend_schema_view(post=extend_schema(operation_id="jobs_cancel", request=None,
                                       responses=JOB_ACTION_RESPONSES))
class JobCancelApi(_JobActionApi):
    service = staticmethod(job_cancel)


@extend_schema_view(post=extend_schema(operation_id="jobs_retry", request=None,
                                       responses=JOB_ACTION_RESPONSES))
class JobRetryApi(_JobActionApi):
    service = staticmethod(job_retry)


class ModelListApi(ApiView):
    """The model catalog with today's prices (what the router and the estimates use)."""

    @extend_schema(operation_id="models_list",
                   responses={200: ModelCatalogSerializer, 401: ERRORS[401]})
    def get(self, request):
        return Response(ModelCatalogSerializer({"results": catalog_get().values()}).data)


class UsageApi(ApiView):
    """Tokens and cost per model, per brand and per day, for the caller's workspace."""
    query_params = {"get": ("from", "to")}

    @extend_schema(operation_id="usage_retrieve", parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE,
                         description="The first UTC day; the 1st of this month if absent."),
        OpenApiParameter("to", OpenApiTypes.DATE,
                         description=f"The last UTC day; today if absent. At most "
                                     f"{USAGE_MAX_DAYS} days after `from`.")],
        responses={200: UsageSerializer, 400: ERRORS[400], 401: ERRORS[401]})
    def get(self, request):
        # An empty `?from=` means no date, as it always has.
        query = UsageQuerySerializer(data={name: request.GET[name] for name in ("from", "to")
                                           if request.GET.get(name)})
        query.is_valid(raise_exception=True)
        usage = usage_for_workspace(workspace=request.user.workspace,
                                    start=query.validated_data.get("from"),
                                    end=query.validated_data.get("to"))
        return Response(UsageSerializer(usage).data)
