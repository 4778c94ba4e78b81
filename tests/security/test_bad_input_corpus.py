"""The bad-input corpus (tests/security/corpus.py) against every form, every API write and
every list filter: never a server error, never stored script, always a clear message.

* Every URL of the workspace, the plans pages, the portal, the language switch and the
  admin's sign-in is in FORMS (it takes a POST) or PAGES (it is read with GET); a page only in
  PAGES must not bind a form to a POST. Every POST/PUT/PATCH of the API schema is in
  API_WRITES and every GET in the API sweep. A new URL or operation without a row fails.
* A form or API write gets each corpus case in its text fields (the other fields valid).
  Refused: a 4xx or the form again, with an error message in the language asked for, and
  not a row changed. Accepted: the pages that show the record carry no executable
  markup, nothing stored holds a NUL, and a list export neutralizes formulas.
* Broken bodies (too large, broken multipart, wrong content type) are refused the same way.
* List pages and API lists get each case in every filter and search parameter.

One world is built for the module inside a transaction rolled back at its end; each
request runs in a savepoint of its own, so no case sees another's writes.
(The records: tests/support/worlds/corpus.py; the targets: corpus_targets.py; sending and
judging: corpus_checks.py.)
"""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest
from django.conf import settings
from django.urls import URLPattern, reverse

from dialogue import plans_urls
from dialogue import urls as workspace_urls
from dialogue.models import ExportJob
from dialogue.portal import urls as portal_urls
from tests.security.corpus import CORPUS, Case
from tests.security.corpus_checks import (
    UNEXPECTED,
    Attempt,
    bound_forms,
    csv_cells,
    executable_markup,
    fill_api,
    fill_form,
    flashed,
    form_error_messages,
    form_items,
    header_injected,
    in_savepoint,
    json_body,
    judge_api,
    judge_form,
    multipart,
    reads_in,
    row_counts,
    send_api,
    send_form,
    slot_groups,
    strings_in,
    text_of,
    urlencoded,
    version_header,
)
from tests.security.corpus_targets import (
    API_WRITES,
    FORMS,
    FREE_TEXT,
    PAGES,
    PARAMS,
    fill,
    schema,
    schema_operations,
)
from tests.support.files import PDF
from tests.support.worlds import rolled_back
from tests.support.worlds.corpus import World

# Cases whose refusal must read in English; every other case asks for Japanese.
ENGLISH_CASES = {"script", "nul", "long-ascii", "sql-drop", "formula-hyperlink", "crlf-header"}


def language_for(case: Case) -> str:
    return "en" if case.name in ENGLISH_CASES else "ja"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("corpus-media")):
        yield World()


def conclude(name: str, problems: list[str]) -> None:
    """Fail on any problem, naming the endpoint."""
    assert not problems, f"{name}:\n" + "\n".join(problems)


def query_for(case: Case, params, fixed: dict) -> str:
    long = len(case.text) > 1000
    query = {name: case for name in params if not long or name in FREE_TEXT}
    query.update(fixed)
    return urllib.parse.urlencode(form_items(query))


def joined(rows) -> list[str]:
    return [" ".join(row) for row in rows]


# -- completeness --------------------------------------------------------------------------


def url_names() -> list[str]:
    names = []
    for namespace, module in (
        ("workspace", workspace_urls),
        ("plans", plans_urls),
        ("portal", portal_urls),
    ):
        names += [f"{namespace}:{p.name}" for p in module.urlpatterns if isinstance(p, URLPattern)]
    # Django's language switch and the admin's sign-in, which a visitor reaches unsigned.
    return [*names, "set_language", "admin:login"]


def test_every_url_is_a_form_or_a_page():
    names = url_names()
    missing = sorted(set(names) - set(FORMS) - set(PAGES))
    stale = sorted((set(FORMS) | set(PAGES)) - set(names))
    assert not missing, f"URLs without a row in FORMS (takes a POST) or PAGES (GET): {missing}"
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_every_api_write_has_a_row():
    writes = set(schema_operations({"POST", "PUT", "PATCH"}))
    assert sorted(writes - set(API_WRITES)) == [], "API writes without a row in API_WRITES"
    assert sorted(set(API_WRITES) - writes) == [], "rows for API writes that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(PAGES) - set(FORMS)))
def test_a_page_without_a_form_row_takes_no_post(world, name):
    """A page in PAGES only must not treat a POST as a form: else it belongs in FORMS."""
    page = PAGES[name]
    answers = {}

    def run():
        client = world.client(page.role)
        url = page.url(world)
        answers["get"] = client.get(url)
        answers["post"] = client.post(url, {"title": "x", "body": "x", "version": "1"})

    in_savepoint(run)
    post = answers["post"]
    assert post.status_code == 405 or (
        post.status_code == answers["get"].status_code and not bound_forms(post)
    ), f"{name} takes a POST ({post.status_code}): add it to FORMS"


# -- the valid bodies are accepted (else a refusal below would prove nothing) --------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_valid_form_body_is_accepted(world, name):
    form = FORMS[name]
    seen = {}

    def run():
        _client, response, _before = send_form(world, form, "en", form.valid(world), {})
        seen.update(
            status=response.status_code,
            errors=form_error_messages(response),
            warnings=flashed(response),
        )

    in_savepoint(run)
    assert seen["status"] in (301, 302, 303), seen
    assert not seen["errors"] and not seen["warnings"], seen


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), sorted(API_WRITES), ids=joined(sorted(API_WRITES)))
def test_the_valid_api_body_is_accepted(world, method, path):
    write = API_WRITES[(method, path)]
    seen = {}

    def run():
        response, _before = send_api(world, method, path, write, "en", write.valid(world), {})
        seen.update(status=response.status_code, body=response.content[:400])

    in_savepoint(run)
    assert 200 <= seen["status"] < 300, seen


@pytest.mark.django_db
def test_the_checks_see_what_a_reader_sees(world):
    """Not blind: a threat titled with markup and a formula is kept, shown escaped on its
    page (what a reader sees) and exported with the formula made text."""
    form = FORMS["workspace:threat-create"]
    title = '=HYPERLINK("http://evil.example/")<script>alert(1)</script>'
    seen = {}

    def run():
        client, response, _before = send_form(
            world, form, "ja", {**form.valid(world), "title": title}, {}
        )
        export = reverse("plans:list-export", args=["threats"]) + "?format=csv"
        seen.update(
            status=response.status_code,
            page=text_of(client.get(response["Location"])),
            cells=csv_cells(world.client("secretariat").get(export)),
        )

    in_savepoint(run)
    assert seen["status"] == 302
    assert html.escape(title) in seen["page"]
    assert executable_markup(seen["page"]) == []
    assert "'" + title in seen["cells"]


# -- every form, every API write × every case ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS, ids=str)
@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_refuses_or_safely_keeps_bad_input(world, name, case):
    form = FORMS[name]
    language = language_for(case)
    problems = []
    for group in slot_groups(form, case):
        attempt = Attempt(f"{name} {list(group)}")

        def run(group=group, attempt=attempt):
            fields, files = fill_form(form.valid(world), group, case)
            client, response, before = send_form(world, form, language, fields, files)
            judge_form(
                attempt,
                client,
                response,
                before=before,
                language=language,
                case=case,
                form=form,
                world=world,
            )

        in_savepoint(run)
        problems += attempt.problems
    conclude(name, problems)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS, ids=str)
@pytest.mark.parametrize(("method", "path"), sorted(API_WRITES), ids=joined(sorted(API_WRITES)))
def test_api_write_refuses_or_safely_keeps_bad_input(world, method, path, case):
    write = API_WRITES[(method, path)]
    language = language_for(case)
    problems = []
    for group in slot_groups(write, case):
        attempt = Attempt(f"{method} {path} {list(group)}")

        def run(group=group, attempt=attempt):
            data, files = fill_api(write.valid(world), group, case)
            response, before = send_api(world, method, path, write, language, data, files)
            judge_api(
                attempt,
                response,
                before=before,
                language=language,
                case=case,
                named=[slot for slot in group if slot != UNEXPECTED],
                write=write,
                world=world,
            )

        in_savepoint(run)
        problems += attempt.problems
    assert not problems, "\n".join(problems)


# -- broken bodies -----------------------------------------------------------------------------


def broken_body(kind: str, data: dict, files: dict) -> tuple[bytes, str]:
    if kind == "too-large":
        padding = {"padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
        return multipart({**data, **padding}, files)
    if kind == "too-large-file":
        big = b"%PDF-1.4\n" + b"0" * settings.ATTACHMENT_MAX_BYTES
        return multipart(data, {name: ("large.pdf", big) for name in files})
    body, content_type = multipart(data, files, boundary="corpus-boundary")
    if kind == "no-boundary":
        return body, "multipart/form-data"
    if kind == "wrong-boundary":
        return body, "multipart/form-data; boundary=another-boundary"
    if kind == "truncated":
        return body[: max(len(body) // 3, 60)], content_type
    if kind == "no-content-disposition":
        return re.sub(rb"Content-Disposition: [^\r]*\r\n", b"", body), content_type
    if kind == "wrong-content-type":
        return urlencoded(data)[0], "text/plain; charset=utf-8"
    if kind == "too-large-json":
        padding = {"padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
        return json_body({**data, **padding}), "application/json"
    if kind == "truncated-json":
        body = json_body({**data, "padding": "x" * 64})
        return body[: len(body) // 2], "application/json"
    raise AssertionError(kind)


BROKEN = ("too-large", "no-boundary", "wrong-boundary", "truncated", "no-content-disposition")
BROKEN_FORM_CASES = [
    (name, kind)
    for name in sorted(FORMS)
    for kind in (*BROKEN, "wrong-content-type", *(("too-large-file",) if FORMS[name].files else ()))
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), BROKEN_FORM_CASES, ids=joined(BROKEN_FORM_CASES))
def test_form_refuses_a_broken_body(world, name, kind):
    form = FORMS[name]
    attempt = Attempt(f"{name} [{kind}]")

    def run():
        client = world.client(form.role, "en")
        ctx = form.prepare(world, client) if form.prepare else {}
        files = {field_name: ("report.pdf", PDF) for field_name in form.files}
        body, content_type = broken_body(kind, form.valid(world), files)
        before = row_counts()
        response = client.generic("POST", form.url(world, ctx), body, content_type=content_type)
        if response.status_code >= 500:
            attempt.fail(f"server error {response.status_code}: {response.exc_info}")
            return
        judge_form(
            attempt,
            client,
            response,
            before=before,
            language="en",
            case=None,
            form=form,
            world=world,
        )

    in_savepoint(run)
    # A body Django cannot read is refused before the form: the gap shows only after it.
    conclude(name, attempt.problems)


BROKEN_API_CASES = [
    (method, path, kind)
    for method, path in sorted(API_WRITES)
    for kind in (
        *BROKEN,
        "wrong-content-type",
        *(("too-large-file",) if API_WRITES[(method, path)].upload else ()),
        *(() if API_WRITES[(method, path)].upload else ("too-large-json", "truncated-json")),
    )
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "kind"), BROKEN_API_CASES, ids=joined(BROKEN_API_CASES))
def test_api_refuses_a_broken_body(world, method, path, kind):
    write = API_WRITES[(method, path)]
    attempt = Attempt(f"{method} {path} [{kind}]")

    def run():
        client = world.api_client(write.role, "en")
        ctx = write.prepare(world, client) if write.prepare else {}
        files = {"file": ("report.pdf", PDF)} if write.upload else {}
        body, content_type = broken_body(kind, write.valid(world), files)
        url = fill(path, world, ctx, write.role)
        headers = version_header(client, method, url)
        before = row_counts()
        response = client.generic(method, url, body, content_type=content_type, **headers)
        if response.status_code >= 500:
            attempt.fail(f"server error {response.status_code}: {response.exc_info}")
            return
        if 200 <= response.status_code < 300:
            return  # e.g. a publish, which reads no body
        if row_counts() != before:
            attempt.fail("refused, yet rows changed")
        if response.status_code not in (400, 413, 415):
            attempt.fail(f"answered {response.status_code}: {response.content[:200]!r}")
        try:
            body = response.json()
        except ValueError:
            attempt.fail(f"{response.status_code} without a JSON body: {response.content[:200]!r}")
            return
        messages = list(strings_in(body))
        if not messages or not all(reads_in(m, "en", None) for m in messages):
            attempt.fail(f"no clear message: {body}")

    in_savepoint(run)
    assert not attempt.problems, "\n".join(attempt.problems)


# -- list pages and API lists × every case in every filter ------------------------------


# What a query string can carry that matters to a list: markup to reflect, a NUL or a broken
# byte for the database, a search too long or with too many words, SQL, a header break.
QUERY_CASES = [
    case
    for case in CORPUS
    if case.kind in {"markup", "nul", "encoding", "sql", "header"}
    or case.name in {"long-ascii", "long-many-words"}
    if case.name not in {"script-full-width", "javascript-markdown-link", "nul-only", "sql-or"}
]


def written(before: dict, after: dict, page) -> list[str]:
    """The tables a GET wrote to, but for what the page records by being read (a
    notice's read receipt: opening it is reading it)."""
    allowed = {model._meta.db_table for model in page.records}
    return sorted(t for t in after if after[t] != before[t] and t not in allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("case", QUERY_CASES, ids=str)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_filters_survive_bad_input(world, name, case):
    page = PAGES[name]
    url = f"{page.url(world)}?{query_for(case, PARAMS, page.fixed)}"
    seen = {}

    def run():
        before = row_counts()
        response = world.client(page.role, language_for(case)).get(url)
        seen.update(
            status=response.status_code,
            error=getattr(response, "exc_info", None),
            markup=executable_markup(text_of(response)),
            injected=header_injected(response),
            changed=written(before, row_counts(), page),
        )

    in_savepoint(run)
    assert seen["status"] < 500, seen["error"]
    assert not seen["markup"], f"the page shows executable markup {seen['markup']}"
    assert not seen["injected"]
    assert not seen["changed"], f"a GET changed rows: {seen['changed']}"


# A list or plan export over EXPORT_SYNC_MAX_ROWS rows becomes a job that keeps the query
# string (as JSON) for the worker: the same cases, with every export made large.
LARGE_EXPORTS = [
    "plans:list-export",
    "plans:plan-export",
    "/api/v1/threats/export/",
    "/api/v1/actions/export/",
    "/api/v1/chokepoints/export/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", QUERY_CASES, ids=str)
@pytest.mark.parametrize("target", LARGE_EXPORTS)
def test_a_large_export_keeps_a_bad_query_safely(world, target, case, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    language = language_for(case)
    if target.startswith("/api/"):
        client, url = world.api_client("secretariat", language), target
    else:
        page = PAGES[target]
        client, url = world.client(page.role, language), page.url(world)
    # The case in a parameter no filter reads: the export still has rows (a job) and the job
    # keeps the parameter with the rest of the query string.
    query = urllib.parse.urlencode(
        form_items({UNEXPECTED: case, "format": "csv", "max_marking": ""})
    )
    seen = {}

    def run():
        before = ExportJob.objects.count()
        response = client.get(f"{url}?{query}")
        seen.update(
            status=response.status_code,
            error=getattr(response, "exc_info", None),
            jobs=ExportJob.objects.count() - before,
        )

    in_savepoint(run)
    assert seen["status"] < 500, seen["error"]
    if seen["status"] < 400:
        assert seen["jobs"] == 1, "a large export became a job"


API_LISTS = schema_operations({"GET"})
# Parameters that must stay valid to reach the others (an export needs a format).
API_FIXED = {"format": "csv"}


def api_query_parameters(method: str, path: str) -> dict[str, dict]:
    operation = schema()["paths"][path][method.lower()]
    return {
        p["name"]: p.get("schema", {})
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    }


def is_free_text(parameter: dict) -> bool:
    return (
        parameter.get("type") == "string" and "enum" not in parameter and "format" not in parameter
    )


def api_queries(method: str, path: str, case: Case) -> list[dict]:
    """Each free-text parameter alone (an invalid one would stop the others before the
    database), then every other parameter at once. An operation without documented
    parameters still gets ?search= (a detail view filters its queryset too)."""
    parameters = api_query_parameters(method, path) or {"search": {"type": "string"}}
    free = [name for name, schema_ in parameters.items() if is_free_text(schema_)]
    rest = [name for name in parameters if name not in free]
    long = len(case.text) > 1000
    queries = [{name: case} for name in free if not long or name in FREE_TEXT]
    if rest and not long:
        queries.append(dict.fromkeys(rest, case))
    for query in queries:
        query.update({k: v for k, v in API_FIXED.items() if k in parameters and k not in query})
    return queries


def test_the_api_lists_have_filters_to_try():
    parameters = api_query_parameters("GET", "/api/v1/threats/")
    assert is_free_text(parameters["search"])
    assert not is_free_text(parameters["status"])


@pytest.mark.django_db
@pytest.mark.parametrize("case", QUERY_CASES, ids=str)
@pytest.mark.parametrize(("method", "path"), API_LISTS, ids=joined(API_LISTS))
def test_api_filters_survive_bad_input(world, method, path, case):
    problems = []
    for query in api_queries(method, path, case):
        named = sorted(k for k, v in query.items() if v is case)

        def run(query=query, named=named):
            url = f"{fill(path, world, {})}?{urllib.parse.urlencode(form_items(query))}"
            response = world.api_client("secretariat", language_for(case)).get(url)
            if response.status_code >= 500:
                problems.append(f"?{named}: {response.status_code} {response.exc_info}")
            elif response.status_code == 400:
                body = response.json()
                if not (set(named) | {"detail", "non_field_errors"}) & set(body):
                    problems.append(f"?{named}: 400 without naming them: {body}")
                for message in strings_in(body):
                    if not reads_in(message, language_for(case), case):
                        problems.append(f"?{named}: not in {language_for(case)}: {message[:120]}")

        in_savepoint(run)
    assert not problems, "\n".join(problems)
