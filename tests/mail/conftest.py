import pytest

SITE = "https://dialogue.example.go.jp"


@pytest.fixture(autouse=True)
def site_url(settings):
    # A trailing slash, as an operator may write it: links must not double it.
    settings.SITE_URL = SITE + "/"
    return SITE
