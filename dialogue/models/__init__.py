from dialogue.models.actions import FollowUpAction
from dialogue.models.chokepoints import ChokepointTechnology
from dialogue.models.concerns import Concern, ConcernAttachment, ConcernMessage
from dialogue.models.organizations import Organization
from dialogue.models.plans import PlanRevision, PlanRevisionItem
from dialogue.models.reference import BestPractice, ForeignMeasure, ThreatCategory
from dialogue.models.sectors import Sector
from dialogue.models.sessions import AgendaItem, DialogueSession, Participant
from dialogue.models.threats import Threat
from dialogue.models.users import User

__all__ = [
    "AgendaItem",
    "BestPractice",
    "ChokepointTechnology",
    "Concern",
    "ConcernAttachment",
    "ConcernMessage",
    "DialogueSession",
    "FollowUpAction",
    "ForeignMeasure",
    "Organization",
    "Participant",
    "PlanRevision",
    "PlanRevisionItem",
    "Sector",
    "Threat",
    "ThreatCategory",
    "User",
]
