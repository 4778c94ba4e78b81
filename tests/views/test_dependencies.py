"""The dependency pages: import (upload → dry run → confirm), the map with its data table
and SVG download, a product's chart, and what other officials and companies may see."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.enums import Marking
from dialogue.models import Dependency
from tests import factories as f
from tests.support.auth import signed_in
from tests.support.query_ceilings import assert_within_ceiling

pytestmark = pytest.mark.django_db


def imported():
    """Figures other than the reference data's (the plan's own figures are always there)."""
    return Dependency.objects.filter(reference_key=None)


FLUORINE = (
    "sector,product,hs_code,stage,country,year,value,source\n"
    + "".join(
        f"semiconductors,高純度フッ化物,2811.11,upstream,CN,{year},{china},貿易統計\n"
        f"semiconductors,高純度フッ化物,2811.11,upstream,KR,{year},{100 - china},貿易統計\n"
        for year, china in zip(range(2019, 2024), (40, 45, 52, 58, 63), strict=True)
    )
).encode()


@pytest.fixture
def official(semiconductors):
    return f.OfficialFactory(sectors=[semiconductors])


def upload(data: bytes, name: str = "trade.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_import_shows_the_dry_run_then_saves_on_confirmation(official):
    client = signed_in(official)

    dry = client.post(
        reverse("workspace:dependency-import"),
        {"file": upload(FLUORINE), "marking": Marking.AMBER},
        follow=True,
    )

    assert dry.redirect_chain[0][1] == 302 and dry.status_code == 200
    assert "中国" in dry.content.decode()
    assert not imported().exists()
    token = dry.context["confirm"]["token"].value()

    done = client.post(reverse("workspace:dependency-import"), {"token": token, "marking": "AMBER"})

    assert done.status_code == 302
    assert imported().count() == 10
    # The same token cannot be used twice.
    again = client.post(
        reverse("workspace:dependency-import"), {"token": token, "marking": "AMBER"}
    )
    assert again.status_code == 302 and imported().count() == 10


def test_a_token_from_another_session_imports_nothing(official, semiconductors):
    dry = signed_in(official).post(
        reverse("workspace:dependency-import"),
        {"file": upload(FLUORINE), "marking": "AMBER"},
        follow=True,
    )
    token = dry.context["confirm"]["token"].value()
    other = f.OfficialFactory(sectors=[semiconductors])

    signed_in(other).post(
        reverse("workspace:dependency-import"), {"token": token, "marking": "AMBER"}
    )

    assert not imported().exists()


def test_import_errors_are_listed_by_row_and_nothing_is_saved(official):
    bad = FLUORINE.replace(b"KR,2021", b"ZZ,2021")

    response = signed_in(official).post(
        reverse("workspace:dependency-import"), {"file": upload(bad), "marking": "AMBER"}
    )

    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(7, "country")]
    assert "ZZ" in response.content.decode()
    assert not imported().exists()


@override_settings(DEPENDENCY_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_with_a_message(official):
    response = signed_in(official).post(
        reverse("workspace:dependency-import"),
        {"file": upload(FLUORINE * 10), "marking": "AMBER"},
    )

    assert response.status_code == 400
    assert not imported().exists()


def test_the_map_marks_chinas_share_past_the_threshold_with_a_table_and_svg(official):
    for year, share in ((2022, "48.00"), (2023, "63.00")):
        f.DependencyFactory(
            sector=official.sectors.get(),
            product="高純度フッ化物",
            country="CN",
            year=year,
            share_pct=Decimal(share),
        )
    client = signed_in(official)

    page = client.get(reverse("workspace:dependency-map"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    assert 'id="dependency-map-table"' in html
    assert "中国" in html and "63%" in html
    cell = page.context["map"].cells[("semiconductors", "CN")]
    assert cell.flagged and cell.year == 2023
    svg = client.get(reverse("workspace:dependency-map-svg"))
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg["X-Marking"] == "TLP:AMBER"
    assert b"<script" not in svg.content and "中国".encode() in svg.content


def test_the_chart_shows_shares_by_year_and_links_beside_them(official, code):
    sector = official.sectors.get()
    threat = f.ThreatFactory(sector=sector, category=code("2-1"), title="原料の供給途絶")
    hidden = f.ThreatFactory(sector=sector, marking=Marking.RED, title="赤の脅威")
    for year, share in ((2022, "48.00"), (2023, "63.00")):
        dependency = f.DependencyFactory(
            sector=sector, product="高純度フッ化物", year=year, share_pct=Decimal(share)
        )
        dependency.threats.set([threat, hidden])
    client = signed_in(official)

    page = client.get(
        reverse("workspace:dependency-chart"),
        {"sector": "semiconductors", "product": "高純度フッ化物", "hs_code": "281111"},
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "原料の供給途絶" in html and "赤の脅威" not in html
    assert 'id="dependency-chart-table"' in html
    assert page.context["chart"].line.years == [2022, 2023]


def test_a_chart_of_a_product_the_reader_cannot_see_is_404(official, batteries):
    f.DependencyFactory(sector=batteries, product="黒鉛", marking=Marking.AMBER)

    response = signed_in(official).get(
        reverse("workspace:dependency-chart"),
        {"sector": "batteries", "product": "黒鉛", "hs_code": "281111"},
    )

    assert response.status_code == 404


def test_company_users_are_sent_to_the_portal(semiconductors):
    company = f.CompanyUserFactory()

    response = signed_in(company).get(reverse("workspace:dependency-map"))

    assert response.status_code == 302 and "/portal/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    ["workspace:dependency-list", "workspace:dependency-map", "workspace:dependency-map-svg"],
)
def test_dependency_pages_cost_the_same_for_few_and_many_figures(official, code, name):
    sector = official.sectors.get()
    threat = f.ThreatFactory(sector=sector, category=code("2-1"))
    chokepoint = f.ChokepointFactory(sector=sector)
    concern = f.ConcernFactory(sector=sector)
    client = signed_in(official)
    counts = {}
    for total in (1, 40):
        while imported().count() < total:
            n = imported().count()
            figure = f.DependencyFactory(
                sector=sector,
                product=f"品目{n % 7}",
                country=("CN", "KR", "TW", "US")[n % 4],
                year=2000 + n,
                share_pct=Decimal(n % 90),
            )
            figure.threats.set([threat])
            figure.chokepoints.set([chokepoint])
            figure.concerns.set([concern])
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts[total] = len(queries)

    assert counts[1] == counts[40], counts
    assert_within_ceiling(name, counts[40])
