"""The review desk in the admin: a queue of items filtered by job, brand, locale, kind,
failed check and quality; an item's page with its report, the offending text marked, an
edit checked again before approval, approve, reject with a note, bulk approval and the
approved text as a brand example; every edit kept with its diff."""


import pytest
from django.contrib.auth.models import Permission, User

from apps.brands.models import BrandTemplateVersion
from apps.jobs.models import ItemRevision, Job, JobItem
from tests.conftest import CHEAP, flagged, product, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")

def review_url(item: JobItem) -> str:
    return f"/admin/jobs/jobitem/{item.pk}/review/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- The queue --------------------------------------------------------------------------


def test_the_queue_lists_waiting_items_and_links_their_review_pages(admin_client, workspace,
                                                                    brand, sim):
    item, = flagged(workspace, sim)

    html = admin_client.get("/admin/jobs/jobitem/?review__exact=pending").content.decode()

    assert "<h1>Items to review</h1>" in html
    assert (f'<a href="/admin/jobs/jobitem/{item.pk}/review/'
            f'?_changelist_filters=review__exact%3Dpending">SKU-001</a>') in html
    assert '<td class="field-problem">Banned term</td>' in html
    assert '<td class="field-review">Waiting for review</td>' in html


@pytest.mark.parametrize("query, expected", [
    ("failed_check=banned_term", ["SKU-001", "SKU-002"]),
    ("failed_check=gibberish", []),
    ("quality_band=0-39", ["SKU-001", "SKU-002"]),
    ("quality_band=80-100", ["SKU-003"]),
    ("kind=product_description", ["SKU-001", "SKU-002", "SKU-003"]),
    ("kind=marketing_copy", []),
    ("locale__exact=es", ["SKU-002"]),
])
def test_the_queue_filters(admin_client, workspace, brand, sim, query, expected):
    first, second = flagged(workspace, sim, count=1, locales=("en", "es"))
    JobItem.objects.filter(pk=second.pk).update(sku="SKU-002")
    passing = submit(workspace, items=[product(3)]).items.get()
    JobItem.objects.filter(pk=passing.pk).update(
        status=JobItem.Status.SUCCEEDED, review=JobItem.Review.PENDING, quality=90,
        content=CHEAP, checks={"passed": True, "quality": 90, "failures": []})

    html = admin_client.get(f"/admin/jobs/jobitem/?{query}").content.decode()

    shown = [sku for sku in ("SKU-001", "SKU-002", "SKU-003") if f">{sku}</a>" in html]
    assert shown == expected


def test_the_queue_filters_by_job_and_brand(admin_client, workspace, brand, sim):
    first, = flagged(workspace, sim)
    other, = flagged(workspace, sim)
    JobItem.objects.filter(pk=other.pk).update(sku="SKU-OTHER")

    by_job = admin_client.get(f"/admin/jobs/jobitem/?job__id__exact={first.job_id}")
    by_brand = admin_client.get(f"/admin/jobs/jobitem/?brand={brand.pk}")

    assert ">SKU-001</a>" in by_job.content.decode()
    assert ">SKU-OTHER</a>" not in by_job.content.decode()
    assert ">SKU-OTHER</a>" in by_brand.content.decode()


# --- One item -----------------------------------------------------------------------------


def test_the_review_page_shows_input_report_and_marked_content(admin_client, workspace, brand,
                                                              sim):
    item, = flagged(workspace, sim)

    html = admin_client.get(review_url(item)).content.decode()

    assert "<li><strong>Banned term</strong> · <code>title</code> · <q>cheap</q></li>" in html
    assert ("<dt>title</dt><dd>A <mark data-check='banned_term' title='Banned term'>cheap</mark>"
            " oak desk lamp</dd>") in html
    assert "&quot;name&quot;: &quot;Oak desk lamp 1&quot;" in html
    assert ('<textarea name="title" cols="90" rows="2" id="id_title">\nA cheap oak desk lamp'
            '</textarea>') in html
    assert "3 model calls, billed" in html
    assert "Your previous answer" not in html


def test_an_edit_is_checked_again_and_shown_before_approval(admin_client, workspace, brand, sim):
    item, = flagged(workspace, sim)

    response = admin_client.post(review_url(item), {
        "action": "edit", "revision": 0, "title": "A solid oak desk lamp",
        **{name: value for name, value in CHEAP.items() if name not in ("title", "bullets")},
        "bullets": "\n".join(CHEAP["bullets"])}, follow=True)

    item.refresh_from_db()
    assert (item.revision, item.edited, item.review) == (1, True, "pending")
    assert item.content["title"] == "A solid oak desk lamp"
    assert item.checks["failures"] == []
    assert messages_of(response) == ["Saved as revision 1; every check passed."]
    html = response.content.decode()
    assert response.redirect_chain == [(review_url(item), 302)]
    assert "<mark" not in html
    assert "Revision 1 by user:admin" in html
    # Both sides of the revision, the changed word marked as the brand versions' diff does.
    assert '"title":&nbsp;"A&nbsp;<span class="diff_chg">cheap</span>&nbsp;oak' in html
    assert '"title":&nbsp;"A&nbsp;<span class="diff_chg">solid</span>&nbsp;oak' in html


def test_an_edit_that_still_fails_is_kept_and_flagged(admin_client, workspace, brand, sim):
    item, = flagged(workspace, sim)

    response = admin_client.post(review_url(item), {
        "action": "edit", "revision": 0, "title": "A cheap oak lamp, truly cheap",
        **{name: value for name, value in CHEAP.items() if name not in ("title", "bullets")},
        "bullets": "\n".join(CHEAP["bullets"])}, follow=True)

    assert messages_of(response) == [
        "Saved as revision 1; 1 check failed: see the report below."]
    assert ItemRevision.objects.filter(item=item).count() == 1


def test_an_edit_from_a_stale_page_is_refused(admin_client, workspace, brand, sim):
    item, = flagged(workspace, sim)
    JobItem.objects.filter(pk=item.pk).update(revision=2)

    response = admin_client.post(review_url(item), {
        "action": "edit", "revision": 0, "title": "A solid oak desk lamp",
        **{name: value for name, value in CHEAP.items() if name not in ("title", "bullets")},
        "bullets": "\n".join(CHEAP["bullets"])})

    assert messages_of(response) == [
        "The item was edited since revision 0; it is now at revision 2. Reload it and try again."]
    assert not ItemRevision.objects.filter(item=item).exists()


def test_an_invalid_edit_is_refused_field_by_field_and_nothing_is_kept(admin_client, workspace,
                                                                       brand, sim):
    item, = flagged(workspace, sim)

    response = admin_client.post(review_url(item), {
        "action": "edit", "revision": 0, "title": "   ",
        **{name: value for name, value in CHEAP.items() if name not in ("title", "bullets")},
        "bullets": "Only one"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_title_error"><li>This field may not be empty.</li></ul>' \
        in html
    assert "Give 3 to 6 entries; this has 1." in html
    assert not ItemRevision.objects.filter(item=item).exists()


def test_approve_records_the_person_and_goes_back_to_the_queue(admin_client, workspace, brand,
                                                               sim):
    item, = flagged(workspace, sim)

    response = admin_client.post(review_url(item), {"action": "approve", "revision": 0})

    item.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/admin/jobs/jobitem/?review__exact=pending"
    assert (item.review, item.reviewed_by) == ("approved", "user:admin")
    assert messages_of(response) == ["SKU-001 [en] approved."]


def test_approve_after_someone_else_edited_is_refused(admin_client, workspace, brand, sim):
    item, = flagged(workspace, sim)
    JobItem.objects.filter(pk=item.pk).update(revision=2)

    response = admin_client.post(review_url(item), {"action": "approve", "revision": 0})

    item.refresh_from_db()
    assert item.review == "pending"
    assert messages_of(response) == [
        "The item was edited since revision 0; it is now at revision 2. Reload it and try again."]


def test_reject_needs_a_note_and_then_writes_the_item_again(admin_client, workspace, brand, sim,
                                                            django_capture_on_commit_callbacks):
    item, = flagged(workspace, sim)

    refused = admin_client.post(review_url(item), {"action": "reject", "note": " "})
    item.refresh_from_db()
    assert item.review == "pending"
    assert messages_of(refused) == [
        "Say what is wrong: the note is sent to the model with the rewrite."]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rejected = admin_client.post(review_url(item), {
            "action": "reject", "revision": 0, "note": "Drop the word cheap."})

    item.refresh_from_db()
    assert (item.status, item.review, item.review_note) == (
        "pending", "rejected", "Drop the word cheap.")
    assert rejected["Location"] == "/admin/jobs/jobitem/?review__exact=pending"
    # The item.reviewed event, and the item sent to its queue to be written again.
    assert len(callbacks) == 2


def test_a_viewer_sees_the_page_but_cannot_decide(client, workspace, brand, sim):
    item, = flagged(workspace, sim)
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_jobitem"))
    client.force_login(viewer)

    page = client.get(review_url(item))
    post = client.post(review_url(item), {"action": "approve"})

    assert page.status_code == 200
    assert 'id="approve-form"' not in page.content.decode()
    assert post.status_code == 403
    item.refresh_from_db()
    assert item.review == "pending"


# --- Bulk approval ----------------------------------------------------------------------


@pytest.mark.parametrize("language, approved, refused", [
    ("en", "2 items approved.",
     "1 item was not approved: it has no content or was already decided."),
    ("es", "2 elementos aprobados.",
     "1 elemento no se aprobó: no tiene contenido o ya se había decidido."),
    ("ru", "2 элемента одобрены.",
     "1 элемент не одобрен: у него нет содержимого или решение уже принято."),
])
def test_bulk_approval_counts_in_the_admins_language(admin_client, workspace, brand, sim,
                                                     language, approved, refused):
    first, second, third = flagged(workspace, sim, count=3)
    JobItem.objects.filter(pk=third.pk).update(review="approved", reviewed_by="user:other")

    response = admin_client.post("/admin/jobs/jobitem/", {
        "action": "approve_selected", "_selected_action": [first.pk, second.pk, third.pk]},
        HTTP_ACCEPT_LANGUAGE=language)

    assert messages_of(response) == [approved, refused]
    assert list(JobItem.objects.order_by("position").values_list("review", "reviewed_by")) == [
        ("approved", "user:admin"), ("approved", "user:admin"), ("approved", "user:other")]


# --- A brand example --------------------------------------------------------------------


def test_approved_content_becomes_a_brand_example_in_a_new_version(admin_client, workspace,
                                                                  brand, sim):
    item, = flagged(workspace, sim)
    admin_client.post(review_url(item), {"action": "approve", "revision": 0})

    response = admin_client.post(review_url(item), {"action": "example"})

    latest = BrandTemplateVersion.objects.filter(brand=brand).order_by("-number").first()
    assert latest.number == 2
    assert latest.snapshot["examples"] == [
        {"locale": "en", "product": item.input, "output": CHEAP}]
    assert messages_of(response) == ["SKU-001 [en] approved.",
                                     "Added to the examples of Nordic Home: version 2."]
    # Jobs already submitted keep the version they pinned.
    assert Job.objects.get(pk=item.job_id).brand_version.number == 1


def test_content_not_approved_is_no_example(admin_client, workspace, brand, sim):
    item, = flagged(workspace, sim)

    response = admin_client.post(review_url(item), {"action": "example"})

    assert messages_of(response) == ["Approve the content before using it as an example."]
    assert BrandTemplateVersion.objects.filter(brand=brand).count() == 1
