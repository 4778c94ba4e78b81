"""factory-boy factories for every domain model. Reference data comes from fixtures/."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from dialogue import models as m
from dialogue.enums import (
    ActionStatus,
    DesiredSupport,
    Marking,
    NoticeKind,
    NoticeStatus,
    OrganizationKind,
    PolicyPillar,
    Role,
    SectorKind,
    SessionFormat,
    SizeClass,
    SupplyChainStage,
)
from dialogue.models.notices import encode_size_classes
from dialogue.services.concerns import concern_reference_next
from dialogue.validators import corporate_number_check_digit
from tests.support.auth import PASSWORD

_corporate_base = itertools.count(100000000001)


def valid_corporate_number() -> str:
    base = f"{next(_corporate_base):012d}"
    return f"{corporate_number_check_digit(base)}{base}"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Sector
        skip_postgeneration_save = True
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"test-sector-{n}")
    kind = SectorKind.SECTOR
    name_ja = factory.Sequence(lambda n: f"テスト分野{n}")
    name_en = factory.Sequence(lambda n: f"Test sector {n}")


class ThreatCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ThreatCategory
        skip_postgeneration_save = True
        django_get_or_create = ["code"]

    code = "2-1"
    name_ja = "原料・部品の供給途絶"
    name_en = "supply disruption of raw materials and parts"
    parent = factory.LazyAttribute(
        lambda o: (
            m.ThreatCategory.objects.get_or_create(
                code=o.code.split("-")[0], defaults={"name_ja": "分類", "name_en": "family"}
            )[0]
            if "-" in o.code
            else None
        )
    )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    corporate_number = factory.LazyFunction(valid_corporate_number)
    kind = OrganizationKind.COMPANY

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.User
        skip_postgeneration_save = True
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.jp")
    password = factory.django.Password(PASSWORD)
    role = Role.OFFICIAL


class OfficialFactory(UserFactory):
    role = Role.OFFICIAL
    is_staff = True

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class SecretariatFactory(UserFactory):
    role = Role.SECRETARIAT
    is_staff = True


class CompanyUserFactory(UserFactory):
    role = Role.COMPANY
    organization = factory.SubFactory(OrganizationFactory)


class MarkedFactory(factory.django.DjangoModelFactory):
    marking = Marking.AMBER

    @factory.post_generation
    def named_users(self, create, extracted, **kwargs):
        if create and extracted:
            self.named_users.set(extracted)


class DialogueSessionFactory(MarkedFactory):
    class Meta:
        model = m.DialogueSession
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"半導体分野 戦略的対話 第{n}回")
    held_on = factory.LazyFunction(timezone.localdate)
    format = SessionFormat.COMPANY_HEARING
    created_by = factory.SubFactory(SecretariatFactory)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        # `sectors=[]`: a session that names no sector (an international one under a forum).
        if create:
            self.sectors.set([SectorFactory()] if extracted is None else extracted)

    @factory.post_generation
    def participating_organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.participating_organizations.set(extracted)


def forum(code: str = "japan-us-economic-2plus2", officials=()) -> m.Forum:
    """A forum of the reference data (fixtures/forums.json), with `officials` responsible."""
    found = m.Forum.objects.get(code=code)
    found.officials.add(*officials)
    return found


class ChokepointFactory(MarkedFactory):
    class Meta:
        model = m.ChokepointTechnology
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"フォトレジスト{n}")
    sector = factory.SubFactory(SectorFactory)
    stage = SupplyChainStage.UPSTREAM

    @factory.post_generation
    def holder_organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.holder_organizations.set(extracted)


class ThreatFactory(MarkedFactory):
    class Meta:
        model = m.Threat
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"退職者を通じた技術流出{n}")
    sector = factory.SubFactory(SectorFactory)
    category = factory.SubFactory(ThreatCategoryFactory)
    likelihood = 3
    impact = 4
    created_by = factory.SubFactory(SecretariatFactory)


class DependencyFactory(MarkedFactory):
    class Meta:
        model = m.Dependency
        skip_postgeneration_save = True

    product = factory.Sequence(lambda n: f"高純度フッ化水素{n}")
    hs_code = "281111"
    sector = factory.SubFactory(SectorFactory)
    stage = SupplyChainStage.UPSTREAM
    country = "CN"
    share_pct = Decimal("62.50")
    year = 2023
    source = "貿易統計"


class ConcernFactory(MarkedFactory):
    class Meta:
        model = m.Concern
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    submitted_by = factory.SubFactory(
        CompanyUserFactory, organization=factory.SelfAttribute("..organization")
    )
    sector = factory.SubFactory(SectorFactory)
    category = factory.SubFactory(ThreatCategoryFactory, code="2-2")
    title = factory.Sequence(lambda n: f"新たな輸出規制への懸念{n}")
    description = "取引先から規制対象の確認を求められています。"
    desired_support = DesiredSupport.INFORMATION
    marking = Marking.AMBER_STRICT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Numbered as `concern_submit` numbers them: the organization's next reference.
        if not kwargs.get("reference"):
            kwargs["reference"] = concern_reference_next(organization_id=kwargs["organization"].pk)
        return super()._create(model_class, *args, **kwargs)


class ConcernMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ConcernMessage
        skip_postgeneration_save = True

    concern = factory.SubFactory(ConcernFactory)
    author = factory.SubFactory(SecretariatFactory)
    body = "ご相談ありがとうございます。"


class ConcernAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ConcernAttachment
        skip_postgeneration_save = True

    concern = factory.SubFactory(ConcernFactory)
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n%test\n")
    original_name = "報告書.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("concern.submitted_by")


class FollowUpActionFactory(MarkedFactory):
    class Meta:
        model = m.FollowUpAction
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"フォローアップ{n}")
    sector = factory.SubFactory(SectorFactory)
    owner = factory.SubFactory(OfficialFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    status = ActionStatus.OPEN
    pillar = PolicyPillar.PROTECTION
    created_by = factory.SubFactory(SecretariatFactory)


class PlanRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlanRevision
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda o: "初版" if o.number == 1 else f"第{o.number}版")
    created_by = factory.SubFactory(SecretariatFactory)


def api_key(user: m.User, name: str = "") -> str:
    """A new API token for `user`: its key, for an `Authorization: Token <key>` header."""
    from dialogue.services.tokens import api_token_issue

    return api_token_issue(user=user, name=name)[1]


class NoticeFactory(factory.django.DjangoModelFactory):
    """A published GREEN notice to every large company and SME of `sectors`."""

    class Meta:
        model = m.Notice
        skip_postgeneration_save = True

    kind = NoticeKind.MEASURE_ALERT
    title_ja = factory.Sequence(lambda n: f"周知{n}")
    title_en = factory.Sequence(lambda n: f"Notice {n}")
    body_ja = "本文"
    body_en = "Text"
    size_classes = factory.LazyFunction(lambda: encode_size_classes(SizeClass.values))
    marking = Marking.GREEN
    status = NoticeStatus.PUBLISHED
    publish_on = factory.LazyFunction(timezone.localdate)
    published_at = factory.LazyFunction(timezone.now)
    author = factory.SubFactory(SecretariatFactory)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def threat_categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.threat_categories.set(extracted)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral proposed on a concern, to a support organization of the catalogue."""

    class Meta:
        model = m.Referral

    concern = factory.SubFactory(ConcernFactory)
    number = factory.LazyAttribute(
        lambda o: m.Referral.objects.filter(concern=o.concern).count() + 1
    )
    support_organization = factory.LazyFunction(
        lambda: m.SupportOrganization.objects.get(reference_key="jetro")
    )
    support_scheme = None
    proposed_by = factory.SubFactory(SecretariatFactory)
    status_changed_at = factory.LazyFunction(timezone.now)


class SupportOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SupportOrganization

    name_ja = factory.Sequence(lambda n: f"支援機関{n}")
    name_en = factory.Sequence(lambda n: f"Support organization {n}")
    description_ja = "支援内容"
    description_en = "What it offers"


class SupportSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SupportScheme

    organization = factory.SubFactory(SupportOrganizationFactory)
    name_ja = factory.Sequence(lambda n: f"支援策{n}")
    name_en = factory.Sequence(lambda n: f"Support scheme {n}")
    support_kinds = factory.LazyFunction(lambda: ["finance"])
