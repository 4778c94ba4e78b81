"""Repeated failed sign-ins lock out the account, and the address, for a while (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from dialogue.client_ip import client_ip
from tests import factories as f
from tests.support.auth import PASSWORD

LOGIN = reverse("portal:login")
WRONG = "wrong-password"


def attempt(username, password=WRONG, address="192.0.2.10", url=LOGIN, **extra):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **extra)
    return client.post(url, {"username": username, "password": password})


@pytest.fixture
def person(db):
    return f.CompanyUserFactory(username="tanaka@a.example.jp")


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_clear_message(person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(person.username).status_code == 200  # "wrong user name or password"

    fifth = attempt(person.username)
    right_password = attempt(person.username, PASSWORD)

    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "for 15 minutes after the last failed attempt" in page
    assert right_password.status_code == 429  # even the right password waits


@pytest.mark.django_db
def test_the_account_is_locked_whatever_address_the_attempts_come_from(person, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(person.username, address=f"198.51.100.{n + 1}")
    assert attempt(person.username, PASSWORD, address="203.0.113.99").status_code == 429


@pytest.mark.django_db
def test_the_address_is_locked_whatever_accounts_it_tries(person, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"guess{n}@example.jp", address="192.0.2.66")
    assert attempt(person.username, PASSWORD, address="192.0.2.66").status_code == 429
    assert attempt(person.username, PASSWORD, address="192.0.2.67").status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(person.username)
    assert attempt(person.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert attempt(person.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_workspace_sign_in_shares_the_lock(person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(person.username)
    response = attempt(person.username, PASSWORD, url=reverse("workspace:login"))
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


@pytest.mark.django_db
def test_behind_a_proxy_the_clients_address_is_counted_not_a_forged_one(person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # Forged left-hand entries change every time; the proxy's entry does not.
        attempt(
            f"guess{n}@example.jp",
            address="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7",
        )
    locked = attempt(
        person.username, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    other_client = attempt(
        person.username, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert locked.status_code == 429
    assert other_client.status_code == 302


def test_client_ip(settings):
    rf = RequestFactory()
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "6.6.6.6"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    two = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 7.7.7.7, 10.0.0.2")
    assert client_ip(two) == "7.7.7.7"
