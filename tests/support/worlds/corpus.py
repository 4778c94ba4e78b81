"""The records every corpus case points at (tests/security/test_bad_input_corpus.py), and a
signed-in session and an API token per role: company (its organization's portal admin),
official (semiconductors) and secretariat.
"""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from dialogue.enums import ConcernStatus, Marking
from dialogue.models import (
    Digest,
    ExportJob,
    ForeignMeasure,
    Sector,
    SupportOrganization,
    SupportScheme,
    ThreatCategory,
)
from dialogue.services.invitations import invitation_create
from dialogue.services.plans import plan_revision_publish, plan_revision_start
from tests import factories as f


class World:
    """The records every form and write points at, and a signed-in session per role."""

    def __init__(self):
        call_command("load_reference_data", stdout=io.StringIO())
        semi = Sector.objects.get(code="semiconductors")
        codes = {c.code: c for c in ThreatCategory.objects.filter(code__in=["1-2", "2-2"])}
        self.semi = semi
        self.org = f.OrganizationFactory(
            name="株式会社コーパス", name_en="Corpus Corp.", sectors=[semi]
        )
        self.users = {
            "company": f.CompanyUserFactory(
                username="corpus-company", organization=self.org, is_org_admin=True
            ),
            "official": f.OfficialFactory(username="corpus-official", sectors=[semi]),
            "secretariat": f.SecretariatFactory(username="corpus-secretariat"),
        }
        company, official, secretariat = (
            self.users["company"],
            self.users["official"],
            self.users["secretariat"],
        )
        self.colleague = f.CompanyUserFactory(username="corpus-colleague", organization=self.org)
        self.concern = f.ConcernFactory(
            organization=self.org,
            submitted_by=company,
            sector=semi,
            category=codes["2-2"],
            status=ConcernStatus.TRIAGED,
            marking=Marking.AMBER_STRICT,
        )
        self.threat = f.ThreatFactory(
            sector=semi, category=codes["1-2"], created_by=secretariat, marking=Marking.GREEN
        )
        self.chokepoint = f.ChokepointFactory(
            sector=semi, holder_organizations=[self.org], marking=Marking.GREEN
        )
        self.dependency = f.DependencyFactory(
            sector=semi, product="高純度フッ化物", marking=Marking.GREEN
        )
        self.session = f.DialogueSessionFactory(
            sectors=[semi],
            participating_organizations=[self.org],
            created_by=secretariat,
            marking=Marking.GREEN,
        )
        self.company_action = f.FollowUpActionFactory(
            sector=semi,
            owner=company,
            owner_organization=self.org,
            concern=self.concern,
            marking=Marking.AMBER,
            created_by=secretariat,
        )
        self.official_action = f.FollowUpActionFactory(
            sector=semi, owner=official, marking=Marking.GREEN, created_by=secretariat
        )
        self.attachment = f.ConcernAttachmentFactory(concern=self.concern, uploaded_by=company)
        # The support catalogue and a referral proposed on the concern.
        self.support_organization = SupportOrganization.objects.get(reference_key="jetro")
        self.support_scheme = SupportScheme.objects.get(reference_key="trade-insurance")
        self.foreign_measure = ForeignMeasure.objects.order_by("pk").first()
        self.referral = f.ReferralFactory(
            concern=self.concern,
            support_organization=self.support_organization,
            proposed_by=official,
        )
        self.invitation, link = invitation_create(
            inviter=company, organization=self.org, email="newcomer@corpus.example.jp"
        )
        self.invitation_token = link.rstrip("/").rsplit("/", 1)[-1]
        # A published edition, so the plan pages and their filters have lines to show.
        self.edition = plan_revision_start(actor=secretariat, notes="初版")
        plan_revision_publish(revision=self.edition, actor=secretariat)
        self.digest = Digest.objects.create(
            recipient=official,
            frequency="weekly",
            period_start=datetime.date(2030, 1, 6),
            period_end=datetime.date(2030, 1, 12),
            since_revision=self.edition,
            marking=Marking.GREEN,
            content={},
        )
        self.export_job = ExportJob.objects.create(
            requested_by=secretariat, kind="threats", format="csv"
        )
        # A published GREEN notice to the semiconductor companies, and a draft.
        self.notice = f.NoticeFactory(sectors=[semi], author=official)
        self.notice_draft = f.NoticeFactory(
            sectors=[semi], author=official, status="draft", published_at=None
        )
        self.tokens = {role: f.api_key(u) for role, u in self.users.items()}
        self.cookies = {}
        for role, user in self.users.items():
            client = Client()
            client.force_login(user)
            self.cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def client(self, role: str | None, language: str = "ja") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.raise_request_exception = False  # a 500 is an answer here, not a crash
        if role is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.cookies[role]
        return client

    def api_client(self, role: str | None, language: str = "ja") -> Client:
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if role is not None:
            headers["HTTP_AUTHORIZATION"] = f"Token {self.tokens[role]}"
        client = Client(**headers)
        client.raise_request_exception = False
        return client
