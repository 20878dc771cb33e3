"""The admin login resists guessing (issue 16, observation 5): after a few failures the
username and the address are locked out for a while, the lockout is logged, and other
users on other addresses still log in."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def admins(db):
    User.objects.create_superuser(username="admin", email="a@example.com", password="right-one")
    User.objects.create_superuser(username="other", email="o@example.com", password="other-one")


def attempt(username: str, password: str, address: str = "203.0.113.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return response, client


def test_thirty_wrong_passwords_lock_the_user_out_and_the_right_one_no_longer_works(
        admins, caplog):
    caplog.set_level(logging.WARNING)

    codes = [attempt("admin", f"guess-{n}")[0].status_code for n in range(30)]
    response, client = attempt("admin", "right-one", address="198.51.100.9")

    limit = settings.AXES_FAILURE_LIMIT
    assert codes[:limit - 1] == [200] * (limit - 1)  # the form again, with its error
    assert set(codes[limit:]) == {429}
    assert response.status_code == 429  # locked per user, from any address
    assert "_auth_user_id" not in client.session
    assert any("locking out" in record.getMessage().lower() for record in caplog.records)


def test_one_address_guessing_many_users_is_locked_out_but_others_log_in(admins):
    codes = [attempt(f"user{n}", "guess")[0].status_code for n in range(10)]
    from_elsewhere, client = attempt("other", "other-one", address="198.51.100.9")

    assert codes[-1] == 429
    assert attempt("other", "other-one")[0].status_code == 429  # that address is locked
    assert from_elsewhere.status_code == 302
    assert "_auth_user_id" in client.session
