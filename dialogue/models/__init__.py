from dialogue.models.actions import FollowUpAction
from dialogue.models.chokepoints import ChokepointTechnology
from dialogue.models.concerns import Concern, ConcernAttachment, ConcernMessage
from dialogue.models.dependencies import Dependency
from dialogue.models.exports import ExportJob
from dialogue.models.forums import Forum
from dialogue.models.invitations import Invitation
from dialogue.models.notices import Notice, NoticeMail, NoticeRead
from dialogue.models.notifications import (
    ChokepointReviewReminder,
    Digest,
    JobRun,
    Notification,
    ReferralReminder,
    Reminder,
)
from dialogue.models.organizations import Organization
from dialogue.models.plans import PlanRevision, PlanRevisionItem
from dialogue.models.reference import BestPractice, ForeignMeasure, ThreatCategory
from dialogue.models.referrals import Referral
from dialogue.models.reply_templates import ReplyTemplate
from dialogue.models.saved_filters import SavedFilter
from dialogue.models.sectors import Sector
from dialogue.models.sessions import AgendaItem, DialogueSession, Participant
from dialogue.models.submissions import PortalSubmission
from dialogue.models.support import SupportOrganization, SupportScheme
from dialogue.models.threats import Threat
from dialogue.models.tokens import ApiToken
from dialogue.models.users import User

__all__ = [
    "AgendaItem",
    "ApiToken",
    "BestPractice",
    "ChokepointReviewReminder",
    "ChokepointTechnology",
    "Concern",
    "ConcernAttachment",
    "ConcernMessage",
    "Dependency",
    "DialogueSession",
    "Digest",
    "ExportJob",
    "FollowUpAction",
    "ForeignMeasure",
    "Forum",
    "Invitation",
    "JobRun",
    "Notice",
    "NoticeMail",
    "NoticeRead",
    "Notification",
    "Organization",
    "Participant",
    "PlanRevision",
    "PlanRevisionItem",
    "PortalSubmission",
    "Referral",
    "ReferralReminder",
    "Reminder",
    "ReplyTemplate",
    "SavedFilter",
    "Sector",
    "SupportOrganization",
    "SupportScheme",
    "Threat",
    "ThreatCategory",
    "User",
]
