import io

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from dialogue.enums import Role
from dialogue.models import User
from tests.factories import OrganizationFactory

PASSWORD = "Kanri-2026-secure"


@pytest.mark.django_db
def test_add_official_with_sectors(reference_data):
    out = io.StringIO()
    call_command(
        "add_official",
        "tanaka",
        "--email",
        "tanaka@meti.example.jp",
        "--sectors",
        "semiconductors,batteries",
        "--password",
        PASSWORD,
        stdout=out,
    )
    user = User.objects.get(username="tanaka")
    assert user.role == Role.OFFICIAL
    assert set(user.sectors.values_list("code", flat=True)) == {"semiconductors", "batteries"}
    assert Client().login(request=HttpRequest(), username="tanaka", password=PASSWORD)
    assert "tanaka" in out.getvalue()


@pytest.mark.django_db
def test_add_secretariat_official(reference_data):
    call_command(
        "add_official",
        "suzuki",
        "--email",
        "s@meti.example.jp",
        "--secretariat",
        "--password",
        PASSWORD,
        stdout=io.StringIO(),
    )
    assert User.objects.get(username="suzuki").role == Role.SECRETARIAT


@pytest.mark.django_db
def test_unknown_sector_code_is_named_and_nothing_saved(reference_data):
    with pytest.raises(CommandError, match="semiconductor-x"):
        call_command(
            "add_official",
            "sato",
            "--email",
            "x@example.jp",
            "--sectors",
            "semiconductors,semiconductor-x",
            "--password",
            PASSWORD,
        )
    assert not User.objects.filter(username="sato").exists()


@pytest.mark.django_db
def test_add_company_user_to_an_organization():
    organization = OrganizationFactory()
    call_command(
        "add_company_user",
        "yamada",
        "--email",
        "yamada@corp.example.jp",
        "--organization",
        organization.corporate_number,
        "--org-admin",
        "--password",
        PASSWORD,
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="yamada")
    assert user.organization == organization
    assert user.is_org_admin and user.role == Role.COMPANY


@pytest.mark.django_db
def test_unknown_organization_is_a_clear_error():
    with pytest.raises(CommandError, match="7000012050002"):
        call_command(
            "add_company_user",
            "yamada",
            "--email",
            "y@example.jp",
            "--organization",
            "7000012050002",
            "--password",
            PASSWORD,
        )
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_weak_password_is_refused():
    organization = OrganizationFactory()
    with pytest.raises(CommandError, match=r"パスワード|password"):
        call_command(
            "add_company_user",
            "yamada",
            "--email",
            "y@example.jp",
            "--organization",
            organization.corporate_number,
            "--password",
            "123",
        )
    assert not User.objects.exists()


@pytest.mark.django_db
def test_without_a_password_and_no_terminal_the_command_stops(monkeypatch):
    organization = OrganizationFactory()
    monkeypatch.setattr("sys.stdin", io.StringIO())
    with pytest.raises(CommandError, match="--password"):
        call_command(
            "add_company_user",
            "yamada",
            "--email",
            "y@example.jp",
            "--organization",
            organization.corporate_number,
        )
