"""How a corpus case is sent and what a user would notice of the answer
(tests/security/test_bad_input_corpus.py).

A request runs in a savepoint of its own (`in_savepoint`). A refusal must carry a message
in the language asked for and leave every row as it was; an acceptance is followed to
the pages that show what was saved, which must carry no executable markup, and to the
list exports, which must neutralize formulas; nothing stored may hold a NUL.
"""

from __future__ import annotations

import copy
import csv
import functools
import html
import io
import json
import re
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.messages import constants as levels
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.db import connection, models, transaction
from django.forms import BaseForm, BaseFormSet
from django.test.utils import ContextList
from django.urls import reverse

from tests.security.corpus import EXECUTABLE, FORMULA_STARTS, Case
from tests.security.corpus_targets import ApiWrite, Form, fill
from tests.support.files import PDF
from tests.support.worlds.corpus import World

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


# -- what changed ------------------------------------------------------------------------


@functools.cache
def tracked_models() -> tuple[type[models.Model], ...]:
    """Every table of the app (history included), the API tokens among them."""
    found = [m for m in apps.get_app_config("dialogue").get_models() if m._meta.managed]
    return tuple(found)


def row_counts() -> dict[str, int]:
    tables = [m._meta.db_table for m in tracked_models()]
    quote = connection.ops.quote_name
    # Table names of the app's own models, quoted: no outside input in this SQL.
    counts = [f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def stored_nul() -> list[str]:
    """Text columns that hold a NUL anywhere in the app's tables."""
    found = []
    for model in tracked_models():
        names = [
            fld.attname
            for fld in model._meta.concrete_fields
            if isinstance(fld, models.CharField | models.TextField | models.JSONField)
        ]
        if not names:
            continue
        for row in model._base_manager.values_list("pk", *names):
            for name, value in zip(names, row[1:], strict=True):
                text = json.dumps(value) if not isinstance(value, str) else value
                if "\x00" in text or "\\u0000" in text:
                    found.append(f"{model._meta.label}#{row[0]}.{name}")
    return found


# -- request bodies -------------------------------------------------------------------------


def as_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, Case):
        return value.form_bytes
    return str(value).encode("utf-8")


def form_items(data: dict) -> list[tuple[str, bytes]]:
    items = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            items.append((name, as_bytes(one)))
    return items


def urlencoded(data: dict) -> tuple[bytes, str]:
    return urllib.parse.urlencode(form_items(data)).encode("ascii"), (
        "application/x-www-form-urlencoded"
    )


def multipart(data: dict, files: dict | None = None, boundary: str | None = None):
    boundary = boundary or f"----corpus{uuid.uuid4().hex}"
    chunks = []
    for name, value in form_items(data):
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    for name, (filename, content) in (files or {}).items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
            + as_bytes(filename)
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def json_body(data) -> bytes:
    """JSON with \\u escapes: a lone surrogate travels as the escape \\ud800."""

    def plain(value):
        if isinstance(value, Case):
            return value.text
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(data)).encode("ascii")


def put_in(data: dict, dotted: str, value) -> dict:
    """A copy of `data` with `value` at a dotted path such as participants.0.name."""
    data = copy.deepcopy(data)
    *parents, last = dotted.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


# -- what the user sees ------------------------------------------------------------------


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return response.content.decode("utf-8", errors="replace")


def executable_markup(page: str) -> list[str]:
    lowered = page.lower()
    return [marker for marker in EXECUTABLE if marker in lowered]


def contexts_of(response) -> list:
    context = response.context
    if context is None:
        return []
    return list(context) if isinstance(context, ContextList) else [context]


def bound_forms(response) -> list:
    found = []

    def visit(value):
        if isinstance(value, BaseForm | BaseFormSet):
            if value.is_bound and all(value is not seen for seen in found):
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    for context in contexts_of(response):
        visit(context.flatten())
    return found


def form_error_messages(response) -> list[str]:
    found = []
    for form in bound_forms(response):
        if isinstance(form, BaseFormSet):
            found += [str(e) for e in form.non_form_errors()]
            for member in form.forms:
                found += [str(e) for errors in member.errors.values() for e in errors]
        else:
            found += [str(e) for errors in form.errors.values() for e in errors]
    return found


def flashed(response, level=levels.WARNING) -> list[str]:
    request = getattr(response, "wsgi_request", None)
    if request is None or not hasattr(request, "_messages"):
        return []
    return [str(m) for m in get_messages(request) if m.level >= level]


def reads_in(message: str, language: str, case: Case | None) -> bool:
    text = message
    if case is not None:
        for form in (case.text, case.text.strip(), case.text[:200]):
            if form:
                text = text.replace(form, "")
    if language == "ja":
        return bool(JAPANESE.search(text))
    # English words, more of them than Japanese (a message may quote a Japanese title).
    words = re.findall(r"[A-Za-z]+", text)
    return len(words) >= 2 and len(JAPANESE.findall(text)) < sum(map(len, words))


def header_injected(response) -> bool:
    return "X-Injected" in response.headers or "injected" in response.cookies


def local_location(response) -> str | None:
    """Where a redirect leads on this site (a relative one resolved); None if elsewhere."""
    location = response.get("Location", "")
    parsed = urllib.parse.urlsplit(location)
    if parsed.scheme or parsed.netloc or location.startswith(("//", "/\\", "\\")):
        return None
    return urllib.parse.urljoin(response.wsgi_request.path, location)


def csv_cells(response) -> list[str]:
    data = text_of(response).lstrip("\ufeff")
    return [cell for row in csv.reader(io.StringIO(data)) for cell in row]


# -- one attempt ---------------------------------------------------------------------------


@dataclass
class Attempt:
    """One request in its own savepoint and what a user would notice of it."""

    label: str
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.problems.append(f"{self.label}: {problem}")


def refused_or_accepted(
    attempt: Attempt,
    response,
    *,
    accepted: bool,
    messages: list[str],
    language: str,
    case: Case | None,
    before: dict,
) -> None:
    if accepted:
        return
    if not messages:
        attempt.fail(f"refused ({response.status_code}) without a message")
    for message in messages:
        if not reads_in(message, language, case):
            attempt.fail(f"message not in {language!r}: {message[:160]!r}")
    after = row_counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    if changed:
        attempt.fail(f"refused, yet rows changed: {changed}")


def check_stored(attempt: Attempt, world: World, case: Case | None, exports: tuple) -> None:
    if case is None:
        return
    if "\x00" in case.text:
        holders = stored_nul()
        if holders:
            attempt.fail(f"a NUL was stored in {holders}")
    if case.name.startswith("formula") and exports:
        for kind in exports:
            url = reverse("plans:list-export", args=[kind]) + "?format=csv"
            response = world.client("secretariat").get(url)
            if response.status_code != 200:
                attempt.fail(f"{url} answers {response.status_code}")
                continue
            live = [cell for cell in csv_cells(response) if cell.startswith(FORMULA_STARTS)]
            if live:
                attempt.fail(f"{kind} export has formula cells {live[:3]}")
    for message in mail.outbox:
        for body, _type in getattr(message, "alternatives", []):
            markup = executable_markup(str(body))
            if markup:
                attempt.fail(f"an e-mail to {message.to} carries {markup}")


def in_savepoint(run: Callable[[], None]) -> None:
    cache.clear()  # throttles and lock-outs count per test, not across the module
    del mail.outbox[:]
    with transaction.atomic():
        run()
        transaction.set_rollback(True)


# -- sending and judging ---------------------------------------------------------------------

UNEXPECTED = "unexpected"  # a field no form declares: carries the case to forms without text


# Cases whose refusal by one field could hide what another field does with them (a NUL the
# database refuses, text too long for one field only): each field gets them alone. Other
# cases go into all free-text fields at once, and into each coded field alone.
ONE_FIELD_AT_A_TIME = {"nul", "encoding", "long"}


def slot_groups(endpoint, case: Case) -> list[tuple]:
    text = list(endpoint.text)
    text += [f"file:{name}" for name in getattr(endpoint, "files", ())]
    if getattr(endpoint, "upload", False):
        text.append("file:file")
    coded = list(endpoint.coded)
    if not text and not coded:
        return [(UNEXPECTED,)]
    if case.kind in ONE_FIELD_AT_A_TIME:
        return [(slot,) for slot in text + coded]
    return ([tuple(text)] if text else []) + [(slot,) for slot in coded]


def fill_form(data: dict, group: tuple, value) -> tuple[dict, dict]:
    """(fields, files) with `value` in every slot of `group`; a file slot gets it as the name."""
    fields, files = dict(data), {}
    for slot in group:
        if isinstance(slot, str) and slot.startswith("file:"):
            files[slot.removeprefix("file:")] = (value, PDF)
        else:
            fields.update(dict.fromkeys(slot if isinstance(slot, tuple) else (slot,), value))
    return fields, files


def fill_api(data: dict, group: tuple, value) -> tuple[dict, dict]:
    files = {}
    for slot in group:
        if slot.startswith("file:"):
            files["file"] = (value, PDF)
        elif slot == UNEXPECTED:
            data = {**data, UNEXPECTED: value}
        else:
            data = put_in(data, slot, value)
    return data, files


def judge_form(attempt, client, response, *, before, language, case, form, world) -> None:
    status = response.status_code
    if status >= 500:
        attempt.fail(f"server error {status}: {getattr(response, 'exc_info', None)}")
        return
    if header_injected(response):
        attempt.fail("a header was injected")
    page = text_of(response)
    if markup := executable_markup(page):
        attempt.fail(f"the answer shows executable markup {markup}")
    errors = form_error_messages(response)
    warnings = flashed(response)
    if status == 200 and 'name="confirmed" value="yes"' in page:
        # Asked to confirm an irreversible step (dialogue/views/confirm.py): nothing done yet.
        after = row_counts()
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if changed:
            attempt.fail(f"asked to confirm, yet rows changed: {changed}")
        return
    if status == 400 and not bound_forms(response):
        # Refused before any form saw it (Django could not read the body): the error page.
        refused_before_any_form(attempt, page, before=before, language=language)
        return
    redirected = status in (301, 302, 303)
    accepted = redirected and not warnings
    if redirected:
        location = local_location(response)
        if location is None:
            attempt.fail(f"redirects away from the site: {response['Location'][:120]!r}")
        else:
            shown = client.get(location)
            check_shown(attempt, [(shown, location)])
            for message in warnings:
                if html.escape(message)[:40] not in text_of(shown):
                    attempt.fail(f"{location} does not show {message[:80]!r}")
    elif not errors:
        attempt.fail(f"answered {status} without a redirect or a form error")
    else:
        for message in errors:
            if html.escape(message)[:40] not in page:
                attempt.fail(f"the form does not show {message[:80]!r}")
    refused_or_accepted(
        attempt,
        response,
        accepted=accepted,
        messages=errors + warnings,
        language=language,
        case=case,
        before=before,
    )
    if accepted:
        check_shown(
            attempt, [(world.client(role).get(url), url) for role, url in form.shows(world)]
        )
        check_stored(attempt, world, case, form.exports)


def judge_api(attempt, response, *, before, language, case, named, write, world) -> None:
    status = response.status_code
    if status >= 500:
        attempt.fail(f"server error {status}: {getattr(response, 'exc_info', None)}")
        return
    if header_injected(response):
        attempt.fail("a header was injected")
    try:
        body = response.json() if response.content else {}
    except ValueError:
        attempt.fail(f"{status} without a JSON body: {response.content[:120]!r}")
        return
    accepted = 200 <= status < 300
    messages: list[str] = []
    if not accepted:
        messages = list(strings_in(body))
        if status != 400:
            attempt.fail(f"answered {status}: {body}")
        elif named and isinstance(body, dict):
            keys = {slot.split(".")[0].removeprefix("file:") for slot in named}
            if not (keys | {"non_field_errors", "detail"}) & set(body):
                attempt.fail(f"the error names none of {sorted(keys)}: {body}")
    refused_or_accepted(
        attempt,
        response,
        accepted=accepted,
        messages=messages,
        language=language,
        case=case,
        before=before,
    )
    if accepted:
        pages = write.shows(world, body if isinstance(body, dict) else {})
        check_shown(attempt, [(world.client(role).get(url), url) for role, url in pages])
        check_stored(attempt, world, case, write.exports)


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def refused_before_any_form(attempt: Attempt, page: str, *, before: dict, language: str):
    if row_counts() != before:
        attempt.fail("refused, yet rows changed")
    # The page is rendered without the request's language, so it may speak both.
    words = re.sub(r"<[^>]*>", " ", page)
    found = (
        JAPANESE.search(words) if language == "ja" else re.search(r"[A-Za-z]{3,} [a-z]{3,}", words)
    )
    if not found:
        attempt.fail(f"the error page says nothing in {language!r}: {page[:200]!r}")


def check_shown(attempt: Attempt, answers: list) -> None:
    for page, url in answers:
        if page.status_code >= 500:
            attempt.fail(f"{url} answers {page.status_code} after the write")
            continue
        if markup := executable_markup(text_of(page)):
            attempt.fail(f"{url} shows executable markup {markup}")


def send_form(world, form: Form, language: str, fields: dict, files: dict):
    client = world.client(form.role, language)
    ctx = form.prepare(world, client) if form.prepare else {}
    if not files and form.valid_files is not None:
        files = form.valid_files(world)
    if form.files or files:
        body, content_type = multipart(fields, files)
    else:
        body, content_type = urlencoded(fields)
    before = row_counts()
    response = client.generic("POST", form.url(world, ctx), body, content_type=content_type)
    return client, response, before


def version_header(client, method: str, url: str) -> dict:
    """An update of a versioned record names the version it is based on (428 otherwise):
    the ETag of a read just before."""
    if method != "PATCH":
        return {}
    etag = client.get(url).get("ETag")
    return {"HTTP_IF_MATCH": etag} if etag else {}


def send_api(world, method, path, write: ApiWrite, language: str, data: dict, files: dict):
    client = world.api_client(write.role, language)
    ctx = write.prepare(world, client) if write.prepare else {}
    url = fill(path, world, ctx, write.role)
    if write.upload:
        valid = write.valid_files(world) if write.valid_files else {"file": ("追加資料.pdf", PDF)}
        body, content_type = multipart(data, files or valid)
    else:
        body, content_type = json_body(data), "application/json"
    headers = version_header(client, method, url)
    before = row_counts()
    return client.generic(method, url, body, content_type=content_type, **headers), before
