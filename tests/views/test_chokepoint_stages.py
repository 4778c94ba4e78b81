"""Chokepoint work as stages of the plan's process: the register filters by stage, the
detail shows survey, support measures and review date, and the plan summary groups the
chokepoints by stage."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from dialogue.enums import ChokepointProcessStage, ChokepointSurvey, Marking
from dialogue.selectors.plan_summary import plan_revision_summary
from dialogue.services.plans import plan_revision_start
from tests import factories as f

STAGES = {
    "選択した露光装置部材": ChokepointProcessStage.POLICY_RESPONSE,
    "抽出したての材料": ChokepointProcessStage.EXTRACTION,
    "支援中のレジスト": ChokepointProcessStage.MAINTENANCE,
}


@pytest.fixture
def staged(semiconductors):
    return {
        name: f.ChokepointFactory(
            name=name,
            sector=semiconductors,
            marking=Marking.GREEN,
            process_stage=stage,
            survey=ChokepointSurvey.COMPANY_SURVEY,
            support_measures="業界内対話の場の設置",
            review_on=datetime.date(2030, 4, 1),
        )
        for name, stage in STAGES.items()
    }


@pytest.mark.django_db
def test_the_register_filters_by_stage_and_the_detail_shows_the_process(as_semi, staged):
    response = as_semi.get(
        reverse("workspace:chokepoint-list"),
        {"process_stage": ChokepointProcessStage.MAINTENANCE, "sector": "semiconductors"},
    )
    names = [c.name for c in response.context["listing"].page.object_list]
    assert names == ["支援中のレジスト"]

    detail = as_semi.get(
        reverse("workspace:chokepoint-detail", args=[staged["支援中のレジスト"].pk])
    )
    text = detail.content.decode()
    assert "②チョークポイント技術の維持促進" in text
    assert "上流・中流企業が有する技術の包括的調査" in text
    assert "業界内対話の場の設置" in text and "2030" in text


@pytest.mark.django_db
def test_the_plan_summary_groups_chokepoints_by_stage(staged, secretariat, semiconductors):
    # given: a draft revision holding a snapshot of the three chokepoints
    revision = plan_revision_start(actor=secretariat)
    with translation.override("en"):
        document = plan_revision_summary(revision=revision, user=secretariat)
        sheets = {sheet.key: sheet for sheet in document.sheets}
        chokepoints = sheets["chokepoints"]
        rows = [row for row in chokepoints.iter_rows() if row[4] in STAGES]
        overview = dict(sheets["summary"].iter_rows())

    assert chokepoints.keys[0] == "process_stage"
    assert [row[0] for row in rows] == [
        "Extraction of chokepoint technologies",
        "Maintenance and promotion",
        "Institutional and policy response",
    ]
    assert [row[4] for row in rows] == [
        "抽出したての材料",
        "支援中のレジスト",
        "選択した露光装置部材",
    ]
    assert overview["Chokepoints at stage: Maintenance and promotion"] >= 1
