"""Organization size in the plan's three classes: 大企業・中堅企業・中小企業."""

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from dialogue.enums import SizeClass
from dialogue.models import Organization
from tests import factories as f


@pytest.mark.django_db
def test_the_secretariat_records_a_mid_sized_company_and_filters_by_it(api, people):
    secretariat = api(people["secretariat"])
    org_a = people["company_a"].organization
    url = f"/api/v1/organizations/{org_a.pk}/"

    response = secretariat.patch(url, {"size_class": "midsize"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["size_class"] == "midsize"
    listed = secretariat.get("/api/v1/organizations/?size_class=midsize").json()["results"]
    assert [row["id"] for row in listed] == [org_a.pk]


@pytest.mark.django_db
def test_an_unknown_size_class_is_refused_and_nothing_is_saved(api, people):
    org_a = people["company_a"].organization
    url = f"/api/v1/organizations/{org_a.pk}/"

    response = api(people["secretariat"]).patch(url, {"size_class": "mid"}, format="json")

    assert response.status_code == 400
    assert "size_class" in response.json()
    org_a.refresh_from_db()
    assert org_a.size_class == SizeClass.LARGE


@pytest.mark.django_db
def test_rows_of_the_two_class_scheme_keep_their_meaning(semiconductors):
    # Rows saved before the three classes hold "large" or "sme": both stay valid.
    large = f.OrganizationFactory(size_class="large")
    small = f.OrganizationFactory(size_class="sme")
    for org in (large, small):
        Organization.objects.get(pk=org.pk).full_clean()
    with translation.override("ja"):
        assert [large.get_size_class_display(), small.get_size_class_display()] == [
            "大企業",
            "中小企業",
        ]
    with translation.override("en"):
        assert Organization(size_class="midsize").get_size_class_display() == (
            "Mid-sized enterprise"
        )


def test_the_schema_lists_the_three_size_classes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    organization = schema["components"]["schemas"]["Organization"]["properties"]["size_class"]
    ref = organization.get("$ref") or organization["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert enum == ["large", "midsize", "sme"]
