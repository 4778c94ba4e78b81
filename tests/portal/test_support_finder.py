"""The portal's "which help fits my situation": the catalogue for my sectors and size."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.support.auth import signed_in


def finder(user, code=""):
    url = reverse("portal:support-finder") + (f"?threat_code={code}" if code else "")
    return signed_in(user).get(url)


@pytest.mark.django_db
def test_the_help_fits_the_organizations_sectors_size_and_chosen_threat(batteries, semiconductors):
    sme_battery = f.CompanyUserFactory(
        organization=f.OrganizationFactory(sectors=[batteries], size_class="sme")
    )
    large_semi = f.CompanyUserFactory(
        organization=f.OrganizationFactory(sectors=[semiconductors], size_class="large")
    )
    cyber = finder(sme_battery, "3-3").content.decode()
    otasuketai = "異常の監視、緊急時の対応支援等をワンパッケージで提供"  # お助け隊's offer
    assert otasuketai in cyber  # for SMEs, every sector
    assert "為替・輸入制限や経済制裁等に伴う損失を保険でカバー" not in cyber  # not for cyber
    assert otasuketai not in finder(large_semi, "3-3").content.decode()

    supply = finder(sme_battery, "2-1").content.decode()
    assert "重要鉱物の安定供給確保のための出資・債務保証" in supply  # JOGMEC, batteries
    assert (
        "重要鉱物の安定供給確保のための出資・債務保証"
        not in finder(large_semi, "2-1").content.decode()
    )
    coercion = finder(large_semi, "3-1").content.decode()
    assert "経済的威圧に関する相談窓口" in coercion and "https://www.jetro.go.jp/" in coercion


@pytest.mark.django_db
def test_the_finder_answers_in_english(batteries):
    user = f.CompanyUserFactory(organization=f.OrganizationFactory(sectors=[batteries]))
    page = signed_in(user).get(
        reverse("portal:support-finder") + "?threat_code=3-1", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Which help fits my situation" in page.content.decode()
    assert "Trade and investment insurance" in page.content.decode()
    # A code that does not exist shows the form's error, not a 500.
    bad = signed_in(user).get(reverse("portal:support-finder") + "?threat_code=9-9")
    assert bad.status_code == 200
