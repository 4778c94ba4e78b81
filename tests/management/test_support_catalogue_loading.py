import io

import pytest
from django.core.management import call_command

from dialogue.enums import DesiredSupport, SizeClass
from dialogue.models import SupportOrganization, SupportScheme

PLAN_ORGANIZATIONS = {
    "JETRO",
    "NEXI",
    "中小機構",
    "JFC",
    "JBIC",
    "JOGMEC",
    "NEDO",
    "JICA",
    "IPA",
    "JPCERT/CC",
    "J-CRAT",
    "NICT",
    "NISC",
    "LSTC",
}
FIVE_SUPPLY_TOOLS = {
    "supply-tool-investment-support",
    "supply-tool-antimonopoly-coordination",
    "supply-tool-customs-tariff-investigation",
    "supply-tool-stockpiling",
    "supply-tool-product-survey",
}


def load():
    call_command("load_reference_data", stdout=io.StringIO())


def catalogue_snapshot():
    return {
        model.__name__: sorted((tuple(row.values()) for row in model.objects.values()), key=repr)
        for model in (SupportOrganization, SupportScheme)
    } | {
        "history": SupportOrganization.history.count() + SupportScheme.history.count(),
        "links": sorted(
            SupportScheme.threat_categories.through.objects.values_list(
                "supportscheme", "threatcategory"
            )
        ),
    }


@pytest.mark.django_db
def test_the_plans_support_organizations_are_loaded():
    load()
    abbreviations = set(SupportOrganization.objects.values_list("abbreviation", flat=True))
    assert abbreviations >= PLAN_ORGANIZATIONS
    assert SupportOrganization.objects.filter(name_ja="地方経済産業局").exists()
    jetro = SupportOrganization.objects.get(reference_key="jetro")
    assert jetro.name_ja == "日本貿易振興機構"
    assert jetro.name_en == "Japan External Trade Organization"
    assert "相談窓口" in jetro.description_ja
    assert jetro.contact.startswith("https://")
    assert set(jetro.threat_categories.values_list("code", flat=True)) >= {"3-1", "2-2"}


@pytest.mark.django_db
def test_the_plans_schemes_and_tools_are_loaded_with_who_runs_them():
    load()
    keys = set(SupportScheme.objects.values_list("reference_key", flat=True))
    assert FIVE_SUPPLY_TOOLS | {"supply-assurance-plan-certification"} <= keys
    names = set(SupportScheme.objects.values_list("name_ja", flat=True))
    assert {
        "経済安全保障重要技術育成プログラム",
        "SBIRフェーズ３",
        "グリーンイノベーション基金",
        "貿易保険",
        "海外サプライチェーン多元化等支援事業",
        "サイバーセキュリティお助け隊サービス",
    } <= names
    diversification = SupportScheme.objects.get(name_ja="海外サプライチェーン多元化等支援事業")
    assert diversification.organization.abbreviation == "JETRO"
    assert DesiredSupport.BUSINESS_CONTINUITY in diversification.support_kinds
    assert SupportScheme.objects.get(name_ja="貿易保険").organization.abbreviation == "NEXI"
    otasuketai = SupportScheme.objects.get(reference_key="cyber-otasuketai")
    assert otasuketai.company_sizes == [SizeClass.SME]
    for scheme in SupportScheme.objects.all():
        assert scheme.name_en and scheme.description_ja and scheme.description_en, scheme
        assert set(scheme.company_sizes) <= set(SizeClass.values), scheme


@pytest.mark.django_db
def test_loading_the_catalogue_twice_changes_nothing():
    load()
    before = catalogue_snapshot()
    load()
    assert catalogue_snapshot() == before


@pytest.mark.django_db
def test_a_changed_catalogue_value_is_updated_on_the_next_load():
    load()
    SupportScheme.objects.filter(reference_key="trade-insurance").update(name_en="old")
    load()
    assert SupportScheme.objects.get(reference_key="trade-insurance").name_en != "old"
