import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    Dependency,
    ForeignMeasure,
    Sector,
    ThreatCategory,
)

STABLE_SECTOR_CODES = {
    "semiconductors",
    "batteries",
    "cloud",
    "permanent-magnets",
    "machine-tools-robots",
    "aircraft-parts",
    "critical-minerals",
    "natural-gas",
    "antibacterials",
    "fertilizers",
    "ship-parts",
    "computing",
    "cleantech",
    "biotech",
    "defense-space",
}
STABLE_THREAT_CODES = {
    "1",
    "1-1",
    "1-2",
    "1-3",
    "1-4",
    "1-5",
    "2",
    "2-1",
    "2-2",
    "2-3",
    "2-4",
    "3",
    "3-1",
    "3-2",
    "3-3",
    "3-4",
}


def snapshot():
    return {
        model.__name__: sorted((tuple(row.values()) for row in model.objects.values()), key=repr)
        for model in (Sector, ThreatCategory, BestPractice, ForeignMeasure, ChokepointTechnology)
    } | {
        "history": sum(
            model.history.count()
            for model in (
                Sector,
                ThreatCategory,
                BestPractice,
                ForeignMeasure,
                ChokepointTechnology,
            )
        ),
        "links": sorted(
            BestPractice.threat_categories.through.objects.values_list(
                "bestpractice", "threatcategory"
            )
        ),
    }


@pytest.mark.django_db
def test_reference_data_carries_the_stable_codes():
    call_command("load_reference_data", stdout=io.StringIO())
    assert set(Sector.objects.values_list("code", flat=True)) == STABLE_SECTOR_CODES
    assert set(ThreatCategory.objects.values_list("code", flat=True)) == STABLE_THREAT_CODES
    assert Sector.objects.filter(designated_critical_product=True).count() == 11
    assert ThreatCategory.objects.get(code="1-2").name_ja == "人（退職者・OB）"
    assert ThreatCategory.objects.get(code="1-2").parent.code == "1"


@pytest.mark.django_db
def test_seventeen_best_practices_each_linked_to_threat_codes():
    call_command("load_reference_data", stdout=io.StringIO())
    practices = BestPractice.objects.prefetch_related("threat_categories")
    assert [p.number for p in practices] == list(range(1, 18))
    assert practices.get(number=1).title_ja == "重点的に守るべき技術の特定"
    assert practices.get(number=17).title_ja == "適切な契約期間の設定"
    for practice in practices:
        assert practice.title_en and practice.threat_categories.exists(), practice.number


@pytest.mark.django_db
def test_foreign_measures_and_chokepoints_from_the_plan():
    call_command("load_reference_data", stdout=io.StringIO())
    gallium = ForeignMeasure.objects.get(reference_key__contains="gallium")
    assert gallium.country_code == "CN"
    assert gallium.effective_on.isoformat() == "2023-08-01"
    assert ForeignMeasure.objects.filter(country_code="EU").exists()
    photoresist = ChokepointTechnology.objects.get(world_share_pct=48)
    assert "レジスト" in photoresist.name
    assert photoresist.sector.code == "semiconductors"


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    call_command("load_reference_data", stdout=io.StringIO())
    before = snapshot()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert snapshot() == before
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_a_changed_fixture_value_is_updated_on_the_next_load():
    call_command("load_reference_data", stdout=io.StringIO())
    Sector.objects.filter(code="batteries").update(name_en="Batteries (old)")
    call_command("load_reference_data", stdout=io.StringIO())
    assert Sector.objects.get(code="batteries").name_en != "Batteries (old)"


def test_the_plans_own_dependency_figures_are_loaded_with_their_source_passages(
    without_reference_data,
):
    call_command("load_reference_data", stdout=io.StringIO())

    back_end = Dependency.objects.get(reference_key="semiconductor-back-end-taiwan")
    assert (back_end.country, back_end.share_pct) == ("TW", Decimal("50.00"))
    assert "後工程についても、台湾に5割が集中" in back_end.source_passage
    beta_lactam = Dependency.objects.get(reference_key="beta-lactam-raw-materials-china")
    assert beta_lactam.sector.code == "antibacterials"
    assert "ほぼ100％中国に依存" in beta_lactam.source_passage
    assert Dependency.objects.get(reference_key="advanced-logic-below-9nm-taiwan").share_pct == 60
    assert set(Dependency.objects.values_list("marking", flat=True)) == {"CLEAR"}
