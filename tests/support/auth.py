"""Signing in, in tests: the factories' password, signed-in browsers and API clients."""

from django.test import Client
from rest_framework.test import APIClient

from dialogue.querysets import forget_reader_ids

# What the user factories set (tests/factories.py), so a test can sign in for real.
PASSWORD = "correct-horse-battery"


def signed_in(user, **client_kwargs) -> Client:
    """A browser with `user`'s session, without going through a sign-in page."""
    client = Client(**client_kwargs)
    client.force_login(user)
    return client


class _ActingApiClient(APIClient):
    """Each request starts from what the database says about the user, as in production,
    where every request loads its user afresh: the ids read for an earlier request (the
    reader's sectors, `querysets.reader_ids`) are not carried over."""

    def request(self, **kwargs):
        user = getattr(self.handler, "_force_user", None)
        if user is not None:
            forget_reader_ids(user)
        return super().request(**kwargs)


def signed_in_api(user=None, **client_kwargs) -> APIClient:
    """An API client acting as `user` (None: anonymous), without a token."""
    client = _ActingApiClient(**client_kwargs)
    if user is not None:
        client.force_authenticate(user)
    return client


def bearer(key: str) -> APIClient:
    """An API client that sends `Authorization: Token <key>`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def obtain_token(username: str, password: str = PASSWORD) -> str:
    """A token issued by the API's own sign-in endpoint."""
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def token_client(username: str, password: str = PASSWORD) -> APIClient:
    """An API client signed in the way an API user signs in: a token from the endpoint."""
    return bearer(obtain_token(username, password))
