"""The published schema yields a working client: openapi-python-client generates one from
/api/schema/, unmodified and without a warning, every generated module imports, and the
workflows an integrator runs go through that client only against a live server — flows 1
and 2 of DOMAIN.md, an attachment uploaded and downloaded byte for byte, a plan revision
published with its diff, an XLSX export, and an optimistic-lock conflict.

The generator runs as a subprocess (it is a test dependency); the client is written to a
temporary directory and imported from there under a name of its own."""

from __future__ import annotations

import datetime
import importlib
import inspect
import io
import os
import pkgutil
import subprocess
import sys
import typing
import zipfile
from pathlib import Path

import pytest
from django.test import Client as DjangoClient

from dialogue.models import ChokepointTechnology, Concern, FollowUpAction, Threat
from tests.support.auth import PASSWORD

PACKAGE = "generated_dialogue_client"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def generator() -> Path:
    bin_dir = Path(sys.executable).parent
    executable = bin_dir / "openapi-python-client"
    if not executable.exists():
        pytest.fail(
            "openapi-python-client is missing: it is a test dependency (make test installs it)",
            pytrace=False,
        )
    return executable


def generate(generator: Path, schema: bytes, where: Path):
    """Generate the client from `schema` into `where`/PACKAGE; its output, then the package."""
    (where / "schema.json").write_bytes(schema)
    env = {**os.environ, "PATH": f"{generator.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(  # noqa: S603  (the installed generator, our own arguments)
        [
            str(generator),
            "generate",
            "--path",
            str(where / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / PACKAGE),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    sys.path.insert(0, str(where))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    return output, importlib.import_module(PACKAGE)


class Api:
    """The generated client's operations by their module name ("threats.threats_create"),
    with bodies and enum arguments given as plain values."""

    def __init__(self, package, client):
        self.package, self.client = package, client

    def __call__(self, operation: str, *args, body=None, **kwargs):
        module = importlib.import_module(f"{self.package.__name__}.api.{operation}")
        function = module.sync_detailed
        hints = typing.get_type_hints(function)
        for name, value in list(kwargs.items()):
            kind = _concrete(hints.get(name))
            if isinstance(value, str) and kind is not None and issubclass(kind, str):
                kwargs[name] = kind(value)  # an enum of the schema
        if body is not None:
            kind = _concrete(hints["body"])
            kwargs["body"] = kind.from_dict(body) if isinstance(body, dict) else body
        return function(*args, client=self.client, **kwargs)

    def model(self, name: str):
        return getattr(importlib.import_module(f"{self.package.__name__}.models"), name)


def _concrete(annotation):
    """The first type of `annotation` that is not Unset/None."""
    if annotation is None:
        return None
    for candidate in typing.get_args(annotation) or (annotation,):
        if inspect.isclass(candidate) and candidate.__name__ not in ("Unset", "NoneType"):
            return candidate
    return None


@pytest.fixture
def published_schema(transactional_db, live_server, people) -> bytes:
    browser = DjangoClient()
    browser.force_login(people["official"])
    response = browser.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.fixture
def client_package(generator, published_schema, tmp_path):
    output, package = generate(generator, published_schema, tmp_path)
    yield output, package
    sys.path.remove(str(tmp_path))


def sign_in(package, base_url: str, username: str) -> Api:
    anonymous = Api(package, package.Client(base_url=base_url))
    answer = anonymous("auth.auth_token_create", body={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.content
    token = answer.parsed.token
    return Api(package, package.AuthenticatedClient(base_url=base_url, token=token, prefix="Token"))


def test_the_generator_warns_of_nothing_and_every_module_imports(client_package):
    output, package = client_package
    for warning in ("WARNING", "Unable to", "Cannot parse", "will be omitted", "Skipping"):
        assert warning not in output, output
    failed = []
    modules = list(pkgutil.walk_packages(package.__path__, f"{PACKAGE}."))
    for module in modules:
        try:
            importlib.import_module(module.name)
        except Exception as error:  # every failure is listed
            failed.append(f"{module.name}: {error!r}")
    assert len(modules) > 100
    assert not failed, "\n".join(failed)
    # Names do not depend on the language of whoever downloaded the schema.
    assert all(name.isascii() for name in dir(importlib.import_module(f"{PACKAGE}.models")))


def test_flows_1_and_2_run_through_the_generated_client(
    client_package, live_server, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _, package = client_package
    official = sign_in(package, live_server.url, "semi_official")
    company = sign_in(package, live_server.url, "company_a")

    # Flow 1: the session, two threats, the chokepoint, three actions.
    sectors = official("sectors.sectors_list").parsed
    semi = next(s.id for s in sectors if s.code == "semiconductors")
    photoresist = ChokepointTechnology.objects.filter(name__contains="レジスト").first()
    me = official("me.me_retrieve").parsed
    session = official(
        "sessions.sessions_create",
        body={
            "title": "半導体分野 戦略的対話（第1回）",
            "sectors": [semi],
            "held_on": "2026-11-20",
            "format": "company_hearing",
            "marking": "AMBER",
            "participants": [
                {"name": "山田 太郎", "organization": people["company_a"].organization_id},
                {"name": "経済 花子", "organization": None, "affiliation": "経済産業省"},
            ],
            "agenda": [{"topic": "chokepoints", "note": "フォトレジストの流出懸念"}],
            "minutes": "## 議事\n- 退職者経由の流出懸念",
            "chokepoints": [photoresist.pk],
        },
    )
    assert session.status_code == 201, session.content
    session_id = session.parsed.id
    threats = []
    for code, title in [("1-2", "退職者を通じた技術流出"), ("2-1", "原料の供給途絶")]:
        created = official(
            "threats.threats_create",
            body={
                "title": title,
                "sector": semi,
                "category": code,
                "likelihood": 4,
                "impact": 5,
                "source_session": session_id,
                "chokepoints": [photoresist.pk],
            },
        )
        assert created.status_code == 201, created.content
        assert created.parsed.severity == 20
        threats.append(created.parsed.id)
    for index, threat in enumerate([*threats, threats[0]]):
        created = official(
            "actions.actions_create",
            body={
                "title": f"フォローアップ{index + 1}",
                "sector": semi,
                "owner": me.id,
                "due_on": (datetime.date(2026, 12, 1) + datetime.timedelta(days=index)).isoformat(),
                "pillar": "protection",
                "session": session_id,
                "threat": threat,
            },
        )
        assert created.status_code == 201, created.content
    assert FollowUpAction.objects.filter(session_id=session_id).count() == 3
    listed = official("threats.threats_list", sector="semiconductors", category="1-2").parsed
    assert [t.title for t in listed.results] == ["退職者を通じた技術流出"]

    # Flow 2: the company's concern with a PDF, the official's answer, threat and action.
    concern = company(
        "concerns.concerns_create",
        body={
            "sector": semi,
            "category": "2-2",
            "title": "新たな輸出規制への対応",
            "description": "A国の新たな輸出規制の対象となるか確認したい。",
            "desired_support": "information",
        },
    )
    assert concern.status_code == 201, concern.content
    reference = concern.parsed.reference
    types = importlib.import_module(f"{PACKAGE}.types")
    upload = company(
        "concerns.concerns_attachments_create",
        reference,
        body=company.model("ConcernAttachmentRequest")(
            file=types.File(
                payload=io.BytesIO(PDF), file_name="報告書.pdf", mime_type="application/pdf"
            )
        ),
    )
    assert upload.status_code == 201, upload.content
    assert upload.parsed.original_name == "報告書.pdf"

    concern_id = Concern.objects.get(reference=reference).pk
    reply = official(
        "concerns.concerns_messages_create", str(concern_id), body={"body": "確認して回答します。"}
    )
    assert reply.status_code == 201, reply.content
    threat = official(
        "threats.threats_create",
        body={
            "title": "A国の輸出規制",
            "sector": semi,
            "category": "2-2",
            "likelihood": 3,
            "impact": 4,
            "source_concern": concern_id,
        },
    )
    assert threat.status_code == 201, threat.content
    action = official(
        "actions.actions_create",
        body={
            "title": "規制内容の説明",
            "sector": semi,
            "owner": me.id,
            "due_on": "2026-12-10",
            "pillar": "partnership",
            "concern": concern_id,
            "threat": threat.parsed.id,
            "session": None,  # null is expressible in a JSON body
        },
    )
    assert action.status_code == 201, action.content
    assert Threat.objects.get(pk=threat.parsed.id).source_concern_id == concern_id
    mine = company("concerns.concerns_retrieve", reference).parsed
    assert str(mine.status) == "answered"

    # The attachment comes back byte for byte, to the company and to the official.
    for reader, key in [(company, reference), (official, str(concern_id))]:
        download = reader("concerns.concerns_attachments_download_retrieve", key, upload.parsed.id)
        assert download.status_code == 200
        assert download.content == PDF
        assert download.parsed.payload.read() == PDF


def test_a_plan_revision_its_diff_an_xlsx_export_and_a_stale_update(
    client_package, live_server, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _, package = client_package
    secretariat = sign_in(package, live_server.url, "secretariat")
    official = sign_in(package, live_server.url, "semi_official")
    semi = next(s.id for s in official("sectors.sectors_list").parsed if s.code == "semiconductors")

    first = secretariat("plan_revisions.plan_revisions_create", body={"notes": "初版"})
    assert first.status_code == 201, first.content
    assert (
        secretariat("plan_revisions.plan_revisions_publish_create", first.parsed.id).status_code
        == 200
    )

    threat = official(
        "threats.threats_create",
        body={
            "title": "退職者を通じた技術流出",
            "sector": semi,
            "category": "1-2",
            "likelihood": 4,
            "impact": 5,
        },
    )
    assert threat.status_code == 201, threat.content
    second = secretariat("plan_revisions.plan_revisions_create", body={"notes": "第2版"})
    assert second.status_code == 201, second.content
    changes = secretariat("plan_revisions.plan_revisions_diff_list", second.parsed.id)
    assert changes.status_code == 200, changes.content
    assert any(
        change.to_dict().get("title") == "退職者を通じた技術流出"
        or "退職者を通じた技術流出" in str(change.to_dict())
        for change in changes.parsed
    )

    export = secretariat("plan_revisions.plan_revisions_export", second.parsed.id, format_="xlsx")
    assert export.status_code == 200, export.content[:300]
    workbook = zipfile.ZipFile(io.BytesIO(export.parsed.payload.read()))
    assert "xl/workbook.xml" in workbook.namelist()

    # Optimistic locking: the ETag read, someone else's save, then a stale update.
    read = official("threats.threats_retrieve", threat.parsed.id)
    etag = read.headers["ETag"]
    changed = official(
        "threats.threats_partial_update",
        threat.parsed.id,
        body={"impact": 4},
        if_match=etag,
    )
    assert changed.status_code == 200, changed.content
    stale = official(
        "threats.threats_partial_update",
        threat.parsed.id,
        body={"impact": 3},
        if_match=etag,
    )
    assert stale.status_code == 409, stale.content
    assert stale.parsed.current_version == changed.parsed.version
    assert Threat.objects.get(pk=threat.parsed.id).impact == 4


def test_a_list_export_as_a_file_and_as_a_job_through_the_generated_client(
    client_package, live_server, people, semiconductors, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _, package = client_package
    official = sign_in(package, live_server.url, "semi_official")
    for title in ("退職者を通じた技術流出", "原料の供給途絶"):
        created = official(
            "threats.threats_create",
            body={
                "title": title,
                "sector": semiconductors.pk,
                "category": "1-2",
                "likelihood": 3,
                "impact": 3,
            },
        )
        assert created.status_code == 201, created.content

    # Small: the file itself, filtered as the list is.
    small = official("threats.threats_export", format_="csv", sector="semiconductors")
    assert small.status_code == 200, small.content[:300]
    text = small.parsed.payload.read().decode("utf-8-sig")
    assert "退職者を通じた技術流出" in text and "原料の供給途絶" in text

    # Large (over the limit): a job to follow, then its file.
    settings.EXPORT_SYNC_MAX_ROWS = 1
    queued = official("threats.threats_export", format_="xlsx", sector="semiconductors")
    assert queued.status_code == 202, queued.content[:300]
    job = official("export_jobs.export_jobs_retrieve", queued.parsed.id).parsed
    assert str(job.status) == "done" and job.rows == 2
    download = official("export_jobs.export_jobs_download_retrieve", job.id)
    assert download.status_code == 200
    workbook = zipfile.ZipFile(io.BytesIO(download.parsed.payload.read()))
    assert "xl/workbook.xml" in workbook.namelist()
