"""The admin's index opens with what needs a person: content to review, open jobs and
this month's spend per workspace, in the admin's language."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User

from apps.accounts.services import workspace_spend_add
from apps.jobs.models import Job, JobItem
from tests.conftest import product, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_items_to_review(brand, workspace):
    job = submit(workspace, items=[product(1)], locales=("en", "es", "ru"))
    job.items.filter(locale__in=["en", "es"]).update(status=JobItem.Status.NEEDS_REVIEW,
                                                     review=JobItem.Review.PENDING)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    return job


@pytest.mark.parametrize("language, sentence, link", [
    ("en", "items wait for a person's review.", "Open the review queue"),
    ("es", "elementos esperan la revisión de una persona.", "Abrir la cola de revisión"),
    ("ru", "элемента ждут проверки человеком.", "Открыть очередь проверки"),
])
def test_index_counts_the_items_to_review_and_links_the_queue(admin_client, two_items_to_review,
                                                              language, sentence, link):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<span class="figure">2</span>\n    {sentence}' in html
    assert (f'<a href="/admin/jobs/jobitem/?review__exact=pending" '
            f'id="review-queue-link">{link}</a>') in html


def test_index_lists_open_jobs_with_their_progress(admin_client, two_items_to_review):
    job = two_items_to_review

    html = admin_client.get("/admin/").content.decode()

    assert (f'<a href="/admin/jobs/job/{job.pk}/change/">nordic-home · Product description</a>'
            in html)
    assert "<td>Running</td>" in html
    assert "<td>0 of 3</td>" in html
    assert 'href="/admin/jobs/job/?status__in=queued,running,paused"' in html


@pytest.mark.parametrize("language, spent, budget", [
    ("en", "$1.50", "$200.00"),
    ("es", "1,50\xa0US$", "200,00\xa0US$"),
    ("ru", "1,50\xa0$", "200,00\xa0$"),
])
def test_index_shows_this_months_spend_per_workspace(admin_client, workspace, other_workspace,
                                                     language, spent, budget):
    workspace.monthly_budget_usd = Decimal("200")
    workspace.save()
    workspace_spend_add(workspace_id=workspace.pk, cost_usd=Decimal("1.5"))

    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert (f'<td><a href="/admin/jobs/job/spend/{workspace.pk}/">Acme</a></td>'
            f"<td>{spent}</td><td>{budget}</td>") in html
    assert f'<td><a href="/admin/jobs/job/spend/{other_workspace.pk}/">Globex</a></td>' in html


def test_index_hides_the_panels_from_a_user_who_may_not_see_jobs(client, two_items_to_review):
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_workspace"))
    client.force_login(user)

    html = client.get("/admin/").content.decode()

    assert 'id="panel-review"' not in html
    assert 'id="panel-open-jobs"' not in html
    assert 'id="panel-spend"' not in html
