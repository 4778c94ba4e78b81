"""The admin works for every model and shows non-superusers only what they may see."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from dialogue.enums import Marking
from tests import factories as f


@pytest.mark.django_db
def test_every_model_has_an_admin_changelist(admin_client, reference_data):
    from django.apps import apps

    for model in apps.get_app_config("dialogue").get_models():
        # Plan items are read through their revision; saved filters are each person's own.
        if model.__name__.startswith("Historical") or model.__name__ in (
            "PlanRevisionItem",
            "SavedFilter",
        ):
            continue
        assert model in admin.site._registry, model.__name__
        url = reverse(f"admin:dialogue_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_an_official_sees_only_their_sectors_in_the_admin(client, semiconductors, batteries):
    official = f.OfficialFactory(sectors=[semiconductors])
    mine = f.ThreatFactory(sector=semiconductors, marking=Marking.AMBER, title="半導体の脅威")
    other = f.ThreatFactory(sector=batteries, marking=Marking.AMBER, title="蓄電池の脅威")
    client.force_login(official)

    changelist = client.get(reverse("admin:dialogue_threat_changelist"))
    assert changelist.status_code == 200
    assert mine.title in changelist.content.decode()
    assert other.title not in changelist.content.decode()
    hidden = client.get(reverse("admin:dialogue_threat_change", args=[other.pk]))
    assert hidden.status_code == 302  # the admin redirects "does not exist" to its index
    assert client.get(reverse("admin:dialogue_threat_change", args=[mine.pk])).status_code == 200


@pytest.mark.django_db
def test_company_users_cannot_enter_the_admin(client):
    client.force_login(f.CompanyUserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_admin_labels_are_japanese_by_default_and_english_on_request(admin_client, reference_data):
    url = reverse("admin:dialogue_threat_changelist")
    assert "脅威" in admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "threat" in admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode().lower()


@pytest.mark.django_db
def test_the_admin_index_is_japanese_for_every_app(admin_client, reference_data):
    """The apps that ship no Japanese (schedules, sign-in records) are translated by our
    catalogue; no section or model name is left in English."""
    page = admin_client.get(reverse("admin:index")).content.decode()
    captions = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", page)
    models = re.findall(r'<th scope="row" id="[^"]*"><a [^>]*>([^<]+)</a>', page)
    assert "定期実行タスク" in captions and "サインインの記録" in captions
    english = [name for name in captions + models if re.fullmatch(r"[A-Za-z ()]+", name)]
    assert english == []
