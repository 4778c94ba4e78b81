"""The support catalogue in the workspace: the secretariat maintains it, with history."""

import pytest
from django.urls import reverse

from dialogue.models import SupportOrganization, SupportScheme, ThreatCategory
from tests import factories as f
from tests.support.auth import signed_in


def scheme_form(**changes):
    data = {
        "organization": SupportOrganization.objects.get(reference_key="jetro").pk,
        "name_ja": "経済的威圧対応の新支援策",
        "name_en": "New coercion response scheme",
        "description_ja": "威圧被害企業への救済",
        "description_en": "Relief for companies hit by coercion",
        "threat_categories": [ThreatCategory.objects.get(code="3-1").pk],
        "company_sizes": ["sme"],
        "support_kinds": ["finance"],
        "contact": "https://www.jetro.go.jp/",
        "is_active": "on",
    }
    return data | changes


@pytest.mark.django_db
def test_the_secretariat_adds_and_edits_a_scheme_and_its_history_shows_it(batteries):
    browser = signed_in(f.SecretariatFactory())
    created = browser.post(reverse("workspace:support-scheme-create"), scheme_form())
    assert created.status_code == 302
    scheme = SupportScheme.objects.get(name_ja="経済的威圧対応の新支援策")
    assert scheme.company_sizes == ["sme"] and scheme.support_kinds == ["finance"]
    edited = browser.post(
        reverse("workspace:support-scheme-edit", args=[scheme.pk]),
        scheme_form(name_en="Coercion relief scheme", version=scheme.version),
    )
    assert edited.status_code == 302
    page = browser.get(reverse("workspace:support-scheme-detail", args=[scheme.pk])).content
    assert "Coercion relief scheme" in page.decode()
    assert "New coercion response scheme" in page.decode()  # the history's "before"
    # It is found by the workspace search and offered in the portal to SMEs.
    search = browser.get(reverse("workspace:search") + "?q=威圧対応").content.decode()
    assert "経済的威圧対応の新支援策" in search


@pytest.mark.django_db
def test_a_sector_official_reads_but_does_not_change_the_catalogue(batteries):
    browser = signed_in(f.OfficialFactory(sectors=[batteries]))
    assert browser.get(reverse("workspace:support-catalogue")).status_code == 200
    refused = browser.post(reverse("workspace:support-scheme-create"), scheme_form())
    assert refused.status_code == 403
    assert not SupportScheme.objects.filter(name_ja="経済的威圧対応の新支援策").exists()


@pytest.mark.django_db
def test_bad_input_comes_back_with_translated_errors_and_nothing_saved():
    browser = signed_in(f.SecretariatFactory())
    refused = browser.post(
        reverse("workspace:support-scheme-create"),
        scheme_form(company_sizes=["giant"], name_ja=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert "error-summary" in refused.content.decode()
    assert not SupportScheme.objects.filter(name_en="New coercion response scheme").exists()
