import io
import json
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from dialogue.enums import DatePrecision, MeasureStatus
from dialogue.models import (
    BestPractice,
    ChokepointTechnology,
    Dependency,
    ForeignMeasure,
    Sector,
    ThreatCategory,
)
from dialogue.services.reference_data import FIXTURES_DIR, reference_data_load

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
        "measure sectors": sorted(
            ForeignMeasure.sectors.through.objects.values_list("foreignmeasure", "sector")
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


# Measures the plan lists that the first fixtures left out.
ADDED_MEASURES = {
    "eu-emissions-trading-system",
    "eu-investeu",
    "eu-step",
    "eu-fdi-screening-revision",
    "eu-ecodesign-regulation",
    "eu-end-of-life-vehicles-regulation",
    "kr-k-ets",
    "cn-foreign-investment-law",
    "cn-cybersecurity-law",
    "cn-data-security-law",
}


@pytest.mark.django_db
def test_every_foreign_measure_reaches_its_sectors_or_all_of_them():
    call_command("load_reference_data", stdout=io.StringIO())
    measures = ForeignMeasure.objects.prefetch_related("sectors")
    assert measures.count() == 53
    for measure in measures:
        linked = bool(measure.sectors.all())
        assert linked != measure.affects_all_sectors, measure.reference_key
    every = set(measures.filter(affects_all_sectors=True).values_list("reference_key", flat=True))
    assert {"cn-export-control-law", "cn-unreliable-entity-list", "cn-anti-espionage-law"} <= every
    assert "eu-anti-coercion-instrument" in every
    graphite = measures.get(reference_key="cn-export-control-graphite")
    assert {s.code for s in graphite.sectors.all()} == {"batteries", "critical-minerals"}


@pytest.mark.django_db
def test_foreign_measure_dates_carry_the_precision_the_plan_gives():
    call_command("load_reference_data", stdout=io.StringIO())
    measures = {m.reference_key: m for m in ForeignMeasure.objects.all()}
    for measure in measures.values():
        assert measure.effective_precision in DatePrecision.values
        measure.full_clean()  # a month or a year is stored as its first day
    gallium = measures["cn-export-control-gallium-germanium"]
    assert (gallium.effective_on.isoformat(), gallium.effective_precision) == ("2023-08-01", "day")
    netherlands = measures["nl-export-control-semiconductor-equipment"]  # 「23年9月施行」
    assert netherlands.effective_precision == DatePrecision.MONTH
    canada = measures["ca-clean-investment-tax-credits-2023"]
    assert (canada.effective_on.year, canada.effective_precision) == (2023, DatePrecision.YEAR)
    # 「最終的な規制が公表される予定」: signed, but not in force.
    outbound = measures["us-outbound-investment-executive-order"]
    assert outbound.status == MeasureStatus.PLANNED
    assert outbound.effective_precision == DatePrecision.MONTH
    planned = {key for key, m in measures.items() if m.status == MeasureStatus.PLANNED}
    assert {"eu-anti-coercion-instrument", "eu-net-zero-industry-act", "eu-step"} <= planned
    assert measures["cn-export-control-graphite"].status == MeasureStatus.IN_FORCE
    # A strategy is published, not in force (「2023年6月20日公表」).
    strategy = measures["eu-economic-security-strategy"]
    assert strategy.status == MeasureStatus.PUBLISHED


@pytest.mark.django_db
def test_the_measures_the_plan_lists_are_all_there():
    call_command("load_reference_data", stdout=io.StringIO())
    keys = set(ForeignMeasure.objects.values_list("reference_key", flat=True))
    assert keys >= ADDED_MEASURES
    step = ForeignMeasure.objects.get(reference_key="eu-step")
    assert "STEP" in step.title_ja and step.title_en.startswith("Strategic Technologies")


@pytest.mark.django_db
def test_a_measure_reaching_no_company_stops_the_load_and_saves_nothing(tmp_path):
    # given: a fixture with a new measure linked to no sector and not to all of them
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory)
    path = directory / "foreign_measures.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    first = dict(rows[0], key="zz-new-measure")
    orphan = dict(rows[0], key="zz-orphan-measure", sectors=[], affects_all_sectors=False)
    path.write_text(json.dumps([first, *rows, orphan], ensure_ascii=False), encoding="utf-8")

    # when / then
    with pytest.raises(ValueError, match="zz-orphan-measure"):
        reference_data_load(directory=directory)
    assert not ForeignMeasure.objects.filter(reference_key__startswith="zz-").exists()


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
    graphite = ForeignMeasure.objects.get(reference_key="cn-export-control-graphite")
    graphite.sectors.remove(Sector.objects.get(code="batteries"))
    ForeignMeasure.objects.filter(pk=graphite.pk).update(
        effective_precision=DatePrecision.YEAR, affects_all_sectors=True
    )

    call_command("load_reference_data", stdout=io.StringIO())

    assert Sector.objects.get(code="batteries").name_en != "Batteries (old)"
    graphite.refresh_from_db()
    assert graphite.effective_precision == DatePrecision.DAY and not graphite.affects_all_sectors
    assert graphite.sectors.filter(code="batteries").exists()


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
