"""`portal-submit`: a company user submits a concern with a PDF through the portal form.

The portal's POST /portal/concerns/new/ (form, validation, the submission ledger,
history, the officials' notifications, the file checked and stored) against a
bare view (`/bench/concern-submit/`, bench URLconf only) that makes only the same
inserts: the concern with the organization's next reference number, the file,
the attachment row. Both receive the same multipart form, through the same
middleware (session, CSRF, `ATOMIC_REQUESTS`). No goal is set for it yet: the
ratio and latencies are reported.

Before timing (`outcomes`, and again in every run), one submission through each
side must leave the same kind of rows: one concern with the same fields and one attachment with the same size,
checksum, type and name, whose stored file holds the PDF that was sent. Every
round deletes what it created (concerns by their title, which carries a marker
of the run, with their attachments, notifications, ledger rows, history rows
and files), so the database is left as it was found.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import uuid

from django.conf import settings
from django.db import transaction

from dialogue.devtools.benchmarks.loadgen import Sample, load_path, median, summarize
from dialogue.devtools.benchmarks.pages import drop_session, signed_in_session
from dialogue.devtools.benchmarks.registry import Benchmark, BenchmarkError, Goal, Result, register
from dialogue.devtools.benchmarks.same_result import require_same
from dialogue.enums import DesiredSupport, Marking, Role, SectorKind
from dialogue.models import (
    Concern,
    ConcernAttachment,
    Notification,
    PortalSubmission,
    Sector,
    ThreatCategory,
    User,
)

PORTAL_PATH = "/portal/concerns/new/"
REFERENCE_PATH = "/bench/concern-submit/"
REQUESTS_PER_SIDE = 100  # per round, at most (--requests lowers it)
FILE_NAME = "report.pdf"
PDF = (
    (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    + b"%"
    + b"0" * 2000
    + b"\n"
)  # about 2 kB, a small report
REFERENCE_NUMBER = re.compile(r"^\d{4}-\d{4,}$")
COMPARED = (
    "organization_id",
    "submitted_by_id",
    "sector_id",
    "category_id",
    "description",
    "desired_support",
    "marking",
    "status",
)
ATTACHMENT_COMPARED = ("original_name", "content_type", "size", "sha256", "uploaded_by_id")


def submitter() -> User | None:
    """The first active company user (by id) of an organization with a sector."""
    return (
        User.objects.filter(
            role=Role.COMPANY, is_active=True, organization__sectors__kind=SectorKind.SECTOR
        )
        .order_by("pk")
        .first()
    )


@register
class PortalSubmitBenchmark(Benchmark):
    name = "portal-submit"
    description = (
        "portal concern submission with a PDF as a company user vs a bare view doing only "
        "the same inserts (concern, attachment row, file)"
    )
    label = "portal concern submission with a PDF vs the bare inserts, over HTTP"
    needs_server = True
    default_rounds = 3

    def check(self) -> None:
        self.user = submitter()
        if self.user is None:
            raise BenchmarkError(
                "portal-submit needs a company user of an organization with a sector; run "
                "`manage.py generate_bench_data` on this database first."
            )
        self.sector = (
            Sector.objects.filter(kind=SectorKind.SECTOR, organizations=self.user.organization_id)
            .order_by("pk")
            .first()
        )
        self.category = (
            ThreatCategory.objects.visible_to(self.user)
            .filter(parent__isnull=False)
            .order_by("pk")
            .first()
        )
        if self.category is None:
            raise BenchmarkError("no threat code; run `manage.py load_reference_data` first.")

    def outcomes(self, server) -> dict[str, object]:
        """What one submission through each side leaves behind (then deleted)."""
        with self._signed_in():
            return self._one_each(server)

    def run(self, server) -> Result:
        with self._signed_in():
            self.same_rows = require_same(self.name, self._one_each(server))
            self.say("  same rows: one concern and one attachment each, same fields and file")
            return self._measure(server, self.extra_rows)

    @contextlib.contextmanager
    def _signed_in(self):
        """A session of the company user and a CSRF cookie, and a marker for the titles
        of this run's concerns; everything with the marker is deleted afterwards."""
        self.marker = f"bench-portal-submit {uuid.uuid4().hex[:12]}"
        self.csrf = secrets.token_hex(16)  # 32 characters, a valid CSRF secret
        key = signed_in_session(self.user)
        self.headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={self.csrf}"
        }
        try:
            yield
        finally:
            self._clean_up()
            drop_session(key)

    # -- the form ---------------------------------------------------------------
    def _form(self, side: str):
        """A fresh form per request: a new submission key, so each one creates a concern."""
        boundary = uuid.uuid4().hex
        fields = {
            "csrfmiddlewaretoken": self.csrf,
            "sector": str(self.sector.pk),
            "category": str(self.category.pk),
            "title": f"{self.marker} {side}",
            "description": "ベンチマーク: 部材の供給が途絶するおそれ。",
            "desired_support": DesiredSupport.INFORMATION,
            "marking": Marking.AMBER_STRICT,
            "submission_key": str(uuid.uuid4()),
        }

        def build() -> tuple[bytes, dict]:
            fields["submission_key"] = str(uuid.uuid4())
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                for name, value in fields.items()
            ]
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
                    f'filename="{FILE_NAME}"\r\nContent-Type: application/pdf\r\n\r\n'
                ).encode()
                + PDF
                + f"\r\n--{boundary}--\r\n".encode()
            )
            content = b"".join(parts)
            return content, {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(content)),
            }

        return build

    def _post(self, server, side: str, requests: int, concurrency: int) -> Sample:
        return load_path(
            server.host,
            server.port,
            PORTAL_PATH if side == "portal" else REFERENCE_PATH,
            headers=self.headers,
            requests=requests,
            concurrency=concurrency,
            max_seconds=self.options.max_seconds,
            body=self._form(side),
            ok=(302,),
        )

    # -- same result ----------------------------------------------------------
    def _created(self, side: str):
        return Concern.objects.filter(title=f"{self.marker} {side}")

    def _one_each(self, server) -> dict[str, object]:
        """One submission through each side: the concern and attachment rows in the fields
        both write (the reference number as its format), and the stored file."""
        outcomes: dict[str, object] = {}
        for side in ("portal", "reference"):
            self._post(server, side, requests=1, concurrency=1)
            concerns = list(self._created(side).values("pk", "reference", *COMPARED))
            rows = []
            for concern in concerns:
                attachments = []
                for attachment in ConcernAttachment.objects.filter(concern_id=concern["pk"]):
                    with attachment.file.open("rb") as stored:
                        content = stored.read()
                    attachments.append(
                        {
                            **{name: getattr(attachment, name) for name in ATTACHMENT_COMPARED},
                            "file_is_the_pdf_sent": content == PDF,
                        }
                    )
                rows.append(
                    {
                        **{name: concern[name] for name in COMPARED},
                        "reference_format": bool(REFERENCE_NUMBER.match(concern["reference"])),
                        "attachments": attachments,
                    }
                )
            outcomes[side] = rows
        if len(outcomes["portal"]) != 1:
            raise BenchmarkError(
                f"one submission through the portal created {len(outcomes['portal'])} concerns"
            )
        # What the portal writes beyond the reference, per submission: reported.
        portal = self._created("portal").values_list("pk", flat=True).get()
        self.extra_rows = {
            "concern_history_rows": Concern.history.model.objects.filter(id=portal).count(),
            "attachment_history_rows": ConcernAttachment.history.model.objects.filter(
                concern_id=portal
            ).count(),
            "notifications": Notification.objects.filter(concern_id=portal).count(),
            "ledger_rows": PortalSubmission.objects.filter(concern_id=portal).count(),
        }
        return outcomes

    def _clean_up(self) -> int:
        """Delete every concern this run created, with what hangs off it; returns how many."""
        concerns = Concern.objects.filter(title__startswith=self.marker)
        ids = list(concerns.values_list("pk", flat=True))
        if not ids:
            return 0
        attachments = ConcernAttachment.objects.filter(concern_id__in=ids)
        names = list(attachments.values_list("file", flat=True))
        with transaction.atomic():
            # Attachments, notifications and ledger rows go with their concern (CASCADE).
            Concern.objects.filter(pk__in=ids).delete()
            # History rows, including those the deletion itself just wrote.
            Concern.history.model.objects.filter(id__in=ids).delete()
            ConcernAttachment.history.model.objects.filter(concern_id__in=ids).delete()
        storage = ConcernAttachment._meta.get_field("file").storage
        for name in names:
            storage.delete(name)
        for concern_id in ids:  # the concerns' emptied folders
            folder = storage.path(f"concerns/{concern_id}")
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        return len(ids)

    # -- measuring --------------------------------------------------------------
    def _measure(self, server, extra_rows: dict[str, int]) -> Result:
        self._clean_up()
        requests = min(self.options.requests, REQUESTS_PER_SIDE)
        concurrency = self.options.concurrency
        sides = ("portal", "reference")
        rounds: dict[str, list[Sample]] = {side: [] for side in sides}
        created = []
        for number in range(self.rounds):
            # The first side alternates across rounds and across runs.
            turn = number + getattr(self, "run_index", 0)
            for side in sides if turn % 2 == 0 else reversed(sides):
                rounds[side].append(self._post(server, side, requests, concurrency))
            counts = {side: self._created(side).count() for side in sides}
            if counts["portal"] != rounds["portal"][-1].requests or counts["reference"] != (
                rounds["reference"][-1].requests
            ):
                raise BenchmarkError(f"round {number + 1}: concerns created {counts}")
            created.append(self._clean_up())
            self.say(
                f"  round {number + 1}/{self.rounds}: "
                + ", ".join(f"{side} {rounds[side][-1].rps:,.1f} req/s" for side in sides)
                + f"; {created[-1]} concerns created and deleted"
            )
        figures = {side: summarize(samples) for side, samples in rounds.items()}
        portal, reference = figures["portal"], figures["reference"]
        return Result(
            name=self.name,
            description=self.description,
            figures=figures,
            goals=[
                Goal(
                    "portal p50 / reference p50",
                    portal["p50_ms"] / reference["p50_ms"],
                    "",
                    0,
                    ours="portal.p50_ms",
                    reference="reference.p50_ms",
                ),
                Goal(
                    "portal rps / reference rps",
                    portal["rps"] / reference["rps"],
                    "",
                    0,
                    ours="portal.rps",
                    reference="reference.rps",
                ),
            ],
            notes={
                "submitter": self.user.username,
                "pdf_bytes": len(PDF),
                "portal_also_writes_per_submission": extra_rows,
                "same_result": self.same_rows,
                "concerns_created_and_deleted_per_round": created,
                "median_round_rps_ratio": median(
                    [
                        p.rps / r.rps
                        for p, r in zip(rounds["portal"], rounds["reference"], strict=True)
                    ]
                ),
            },
        )
