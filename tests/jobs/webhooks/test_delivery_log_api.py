"""The delivery log API: one entry per attempt, newest first, to the job's owner only."""

from apps.jobs.models import WebhookDelivery
from apps.jobs.webhooks import webhook_deliver


def test_the_delivery_log_lists_each_attempt_newest_first_to_its_owner(
        api, other_api, receiver, delivery):
    receiver.answer("/hook", (500, {}))
    webhook_deliver(delivery_id=delivery.pk)
    second = WebhookDelivery.objects.get(attempt=2)

    response = api.get(f"/api/v1/jobs/{delivery.job_id}/webhooks/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(row["attempt"], row["status"], row["response_status"], row["error"])
            for row in body["results"]] == [(2, "pending", None, ""),
                                            (1, "failed", 500, "HTTP 500")]
    assert list(body["results"][0]) == [
        "event_id", "attempt", "event", "url", "status", "status_label", "response_status",
        "error", "duration_ms", "created_at", "next_attempt_at"]
    assert body["results"][1]["event_id"] == str(delivery.event_id)
    assert body["results"][1]["url"] == receiver.url()
    assert body["results"][0]["next_attempt_at"] is not None
    assert second.payload not in response.content.decode()  # the log does not repeat the body

    assert other_api.get(f"/api/v1/jobs/{delivery.job_id}/webhooks/").status_code == 404


def test_the_delivery_log_of_an_unknown_job_is_404(api):
    response = api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/webhooks/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
