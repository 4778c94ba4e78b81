"""Choice sets shared by models, forms, the API and exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Marking(models.TextChoices):
    """FIRST Traffic Light Protocol 2.0, from least to most restricted."""

    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)

    @classmethod
    def highest(cls, values) -> "Marking":
        ranked = [cls(v) for v in values]
        return max(ranked, key=lambda m: cls.rank(m)) if ranked else cls.CLEAR

    @classmethod
    def up_to(cls, maximum: str) -> list[str]:
        """The markings at or below `maximum` (for "export only up to GREEN")."""
        return list(cls.values)[: cls.rank(maximum) + 1]


class Role(models.TextChoices):
    COMPANY = "company", _("Company user")
    OFFICIAL = "official", _("Sector official")
    SECRETARIAT = "secretariat", _("Secretariat official")
    ADMIN = "admin", _("System administrator")


class Language(models.TextChoices):
    JA = "ja", "日本語"
    EN = "en", "English"


class SectorKind(models.TextChoices):
    DOMAIN = "domain", _("Technology domain")
    SECTOR = "sector", _("Sector")


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Industry association")


class SizeClass(models.TextChoices):
    """The plan's three classes (大企業・中堅企業・中小企業): its support measures speak of
    "中堅・中小企業", so mid-sized companies are told apart from large ones."""

    LARGE = "large", _("Large enterprise")
    MIDSIZE = "midsize", _("Mid-sized enterprise")
    SME = "sme", _("Small and medium enterprise")


class SessionFormat(models.TextChoices):
    COMPANY_HEARING = "company_hearing", _("Company hearing")
    INDUSTRY_ROUNDTABLE = "industry_roundtable", _("Industry roundtable")
    INTERNATIONAL = "international", _("International dialogue")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


class AgendaTopic(models.TextChoices):
    """The plan's five practical items for the dialogue, plus free text."""

    COMPLIANCE_RULES = "compliance_rules", _("Collect and share compliance rules")
    TECHNOLOGY_MANAGEMENT = (
        "technology_management",
        _("Outreach and best practices on technology management"),
    )
    CHOKEPOINTS = (
        "chokepoints",
        _("Identify chokepoint technologies at risk of outflow and share that awareness"),
    )
    LIKE_MINDED = (
        "like_minded",
        _("Coordinate with like-minded countries holding the same chokepoints"),
    )
    INDUSTRY_NEEDS = (
        "industry_needs",
        _("Hear industry needs such as business continuity and finance"),
    )
    OTHER = "other", _("Other")


class ThreatStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    MONITORING = "monitoring", _("Monitoring")
    MITIGATING = "mitigating", _("Mitigating")
    CLOSED = "closed", _("Closed")


class SeverityLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class SupplyChainStage(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class ChokepointProcessStage(models.TextChoices):
    """Where a chokepoint stands in the plan's process: ① extraction → ② maintenance and
    promotion → ③ institutional and policy response."""

    EXTRACTION = "extraction", _("Extraction of chokepoint technologies")
    MAINTENANCE = "maintenance", _("Maintenance and promotion")
    POLICY_RESPONSE = "policy_response", _("Institutional and policy response")


class ChokepointSurvey(models.TextChoices):
    """The survey a chokepoint was extracted from (the two surveys of step ①)."""

    FOREIGN_INTEREST = (
        "foreign_interest",
        _("Survey of technologies of interest to other countries"),
    )
    COMPANY_SURVEY = "company_survey", _("Comprehensive survey of upstream and midstream companies")
    OTHER = "other", _("Other source")


class ConcernLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DesiredSupport(models.TextChoices):
    INFORMATION = "information", _("Information")
    SUPPORT_MEASURES = "support_measures", _("Consultation on support measures")
    BUSINESS_CONTINUITY = "business_continuity", _("Business continuity")
    FINANCE = "finance", _("Finance")
    OTHER = "other", _("Other")


class ConcernStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Where a concern can still be waiting for its first answer.
CONCERN_AWAITING_ANSWER = (
    ConcernStatus.SUBMITTED,
    ConcernStatus.TRIAGED,
    ConcernStatus.IN_PROGRESS,
)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PolicyPillar(models.TextChoices):
    PROMOTION = "promotion", _("Promotion (industrial support)")
    PROTECTION = "protection", _("Protection (industrial defence)")
    PARTNERSHIP = "partnership", _("Partnership (international frameworks)")


class PlanRevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class MeasureKind(models.TextChoices):
    EXPORT_CONTROL = "export_control", _("Export control")
    INVESTMENT_SCREENING = "investment_screening", _("Investment rule")
    ANTI_COERCION = "anti_coercion", _("Anti-coercion instrument")
    INDUSTRIAL_POLICY = "industrial_policy", _("Industrial policy")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: "2023年8月1日", "2023年8月" or "2023年"."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class MeasureStatus(models.TextChoices):
    """Where a measure stands in the plan: a law or rule in force, one still to come (a bill,
    a proposal, a rule to be finalised), or a strategy or recommendation that is published
    but binds no one."""

    IN_FORCE = "in_force", _("In force")
    PLANNED = "planned", _("Planned, not yet in force")
    PUBLISHED = "published", _("Published (strategy or recommendation)")


class DigestFrequency(models.TextChoices):
    NONE = "none", _("No digest")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ReminderKind(models.TextChoices):
    DUE_IN_7_DAYS = "due_7d", _("Due in 7 days")
    DUE_TOMORROW = "due_1d", _("Due tomorrow")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Long overdue: escalated to the sector lead")


class NotificationEvent(models.TextChoices):
    CONCERN_SUBMITTED = "concern_submitted", _("New concern")
    CONCERN_REPLY = "concern_reply", _("Reply from an official")
    CONCERN_STATUS = "concern_status", _("Concern status changed")
    REFERRAL_PROPOSED = "referral_proposed", _("Referral proposed")


class JobKind(models.TextChoices):
    REMINDERS = "reminders", _("Reminder sweep")
    DIGESTS = "digests", _("Digest round")
    NOTIFICATIONS = "notifications", _("Notification dispatch")
    NOTICE_MAILS = "notice_mails", _("Notice e-mails")
    CHOKEPOINT_REVIEWS = "reviews", _("Chokepoint review reminders")
    REFERRAL_REMINDERS = "referrals", _("Referral reminder sweep")


class NoticeKind(models.TextChoices):
    """What an outreach notice (周知・発信) is about: the plan's compliance rules, best
    practices, chokepoint awareness and foreign measures."""

    COMPLIANCE_RULE = "compliance_rule", _("Compliance rule")
    BEST_PRACTICES = "best_practices", _("Best-practice set")
    CHOKEPOINT_AWARENESS = "chokepoint_awareness", _("Chokepoint awareness")
    MEASURE_ALERT = "measure_alert", _("Foreign-measure alert")


class NoticeAudience(models.TextChoices):
    COMPANIES = "companies", _("Companies of the sectors")
    OFFICIALS = "officials", _("Officials only")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NoticeFrequency(models.TextChoices):
    """How often a company user is e-mailed about new notices."""

    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class ShareBasis(models.TextChoices):
    """What a dependency share is a share of."""

    JAPAN_IMPORTS = "japan_imports", _("Share of Japan's imports")
    WORLD_SUPPLY = "world_supply", _("Share of world supply")


class FigurePrecision(models.TextChoices):
    """How a dependency figure is known: 定量 (statistics) or 定性 (what companies say)."""

    STATISTICS = "statistics", _("Statistics")
    HEARING = "hearing", _("Company hearing")
    ESTIMATE = "estimate", _("Estimate")


class ReferralStatus(models.TextChoices):
    """A referral of a concern to a support organization or scheme (相談窓口・紹介)."""

    PROPOSED = "proposed", _("Proposed")
    CONSENTED = "consented", _("Consented")
    REFERRED = "referred", _("Referred")
    SUPPORT_STARTED = "support_started", _("Support started")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class ReferralWait(models.TextChoices):
    """What a referral is waiting for, in its reminders."""

    CONSENT = "consent", _("Waiting for the company's consent")
    ANSWER = "answer", _("Waiting for an answer from the support organization")
