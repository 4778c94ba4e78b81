"""An export request: the file now or a job, logged either way with the request's origin."""

import pytest
from django.core.exceptions import ValidationError

from dialogue.audit import Origin
from dialogue.models import ExportJob
from dialogue.services.export_requests import list_export_request, plan_export_request
from dialogue.services.exports import job_query
from tests.exports.conftest import parse_csv

pytestmark = pytest.mark.django_db

ORIGIN = Origin(ip="10.0.0.7", view="plans:list-export")


def request(world, **kwargs):
    fields = {
        "user": world.people["semi_official"],
        "origin": ORIGIN,
        "kind": "threats",
        "source": "workspace",
        "params": {"sector": ["semiconductors"], "sort": ["title"], "format": ["csv"]},
        "format": "csv",
        "max_marking": None,
        **kwargs,
    }
    return list_export_request(**fields)


def test_a_small_csv_is_a_stream_and_a_small_xlsx_an_open_file(world):
    csv = request(world)
    assert csv.job is None and csv.file.handle is None
    rows = parse_csv(b"".join(csv.file.chunks))
    assert rows[0][0] == csv.file.marking
    xlsx = request(world, format="xlsx")
    assert xlsx.job is None and xlsx.file.chunks is None
    assert xlsx.file.handle.read(2) == b"PK"
    xlsx.file.handle.close()


def test_a_large_export_is_a_job_storing_the_lists_query_only(world, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    params = {"sector": ["semiconductors"], "page": ["2"], "format": ["csv"], "q\x00": ["x"]}
    outcome = request(world, params=params, max_marking="GREEN")
    assert outcome.file is None
    job = ExportJob.objects.get(pk=outcome.job.pk)
    assert job.params["source"] == "workspace"
    assert job.params["query"] == {"sector": ["semiconductors"]}
    assert job.params["max_marking"] == "GREEN"


def test_the_query_of_a_job_leaves_out_our_own_keys_and_nul_characters():
    params = {"sort": ["title"], "max_marking": ["GREEN"], "search": ["a\x00b"], "x": ["1", "2"]}
    assert job_query(params) == {"sort": ["title"], "x": ["1", "2"]}


def test_an_invalid_api_filter_is_refused_before_anything_is_built(world):
    with pytest.raises(ValidationError):
        request(world, source="api", params={"severity_min": ["abc"]})
    assert not ExportJob.objects.exists()


def test_a_plan_export_of_a_non_official_is_refused(published):
    from dialogue.services.common import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        plan_export_request(
            user=published.people["company_a"],
            origin=ORIGIN,
            revision=published.first,
            format="xlsx",
            max_marking=None,
        )
