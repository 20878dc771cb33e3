from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from apps.accounts.services import workspace_webhook_secret_rotate
from apps.core.api import ApiView
from apps.core.schema import ERRORS
from apps.core.validation import NoFieldsSerializer


class WebhookSecretRotateApi(ApiView):
    """Make a new webhook signing secret and show it once (like an API key)."""

    throttle_submissions = True

    @extend_schema(operation_id="webhook_secret_rotate", request=None, responses={
        200: inline_serializer("WebhookSecret", {"webhook_secret": serializers.CharField()}),
        400: ERRORS[400], 401: ERRORS[401], 429: ERRORS[429]})
    def post(self, request):
        NoFieldsSerializer(data=request.data).is_valid(raise_exception=True)
        secret = workspace_webhook_secret_rotate(workspace=request.user.workspace)
        return Response({"webhook_secret": secret})
