"""The signature (Stripe's scheme) and the per-workspace secret that makes it."""

import hashlib
import hmac
import importlib
import re

from django.apps import apps as django_apps

from apps.accounts.models import Workspace
from apps.jobs.webhooks import webhook_signature, webhook_signature_verify


def test_the_signature_is_stripe_style_and_expires_after_five_minutes():
    secret, body, t = "s3cret", b'{"event":"job.finished"}', 1_700_000_000
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()

    header = webhook_signature(secret, body, t)

    assert header == f"t=1700000000,v1={expected}"
    assert webhook_signature_verify(secret, body, header, now=t + 300) is True
    assert webhook_signature_verify(secret, body, header, now=t - 300) is True
    assert webhook_signature_verify(secret, body, header, now=t + 301) is False  # a replay
    assert webhook_signature_verify(secret, body, header, now=t - 301) is False
    # A receiver may list several v1 signatures (secret rotation): one match is enough.
    assert webhook_signature_verify(secret, body, f"t={t},v1={'0' * 64},v1={expected}",
                                    now=t) is True
    for malformed in ("", f"v1={expected}", f"t={t}", f"t=soon,v1={expected}"):
        assert webhook_signature_verify(secret, body, malformed, now=t) is False


# --- The secret --------------------------------------------------------------


def test_each_workspace_gets_its_own_secret_and_the_migration_fills_existing_ones(
        workspace, other_workspace):
    assert re.fullmatch(r"[0-9a-f]{64}", workspace.webhook_secret)
    assert workspace.webhook_secret != other_workspace.webhook_secret
    Workspace.objects.update(webhook_secret="same-for-all")  # what AddField leaves behind
    migration = importlib.import_module("apps.accounts.migrations.0003_workspace_webhook_secret")

    migration.fill_webhook_secrets(django_apps, None)

    secrets = list(Workspace.objects.values_list("webhook_secret", flat=True))
    assert len(set(secrets)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", secret) for secret in secrets)


def test_a_workspace_can_rotate_its_webhook_secret_and_sees_it_once(api, workspace):
    old = workspace.webhook_secret

    response = api.post("/api/v1/webhook-secret/")

    workspace.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {"webhook_secret": workspace.webhook_secret}
    assert workspace.webhook_secret != old and len(workspace.webhook_secret) == 64
