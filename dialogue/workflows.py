"""Allowed status transitions, one table per workflow. Services enforce them."""

from collections.abc import Mapping, Set
from typing import Any

from dialogue.enums import (
    ActionStatus,
    ConcernStatus,
    PlanRevisionStatus,
    ReferralStatus,
    SessionStatus,
    ThreatStatus,
)

SESSION_TRANSITIONS = {
    SessionStatus.PLANNED: {SessionStatus.HELD},
    SessionStatus.HELD: {SessionStatus.MINUTES_APPROVED},
    SessionStatus.MINUTES_APPROVED: set(),
}

THREAT_TRANSITIONS = {
    ThreatStatus.IDENTIFIED: {
        ThreatStatus.MONITORING,
        ThreatStatus.MITIGATING,
        ThreatStatus.CLOSED,
    },
    ThreatStatus.MONITORING: {ThreatStatus.MITIGATING, ThreatStatus.CLOSED},
    ThreatStatus.MITIGATING: {ThreatStatus.MONITORING, ThreatStatus.CLOSED},
    ThreatStatus.CLOSED: {ThreatStatus.MONITORING},
}

CONCERN_TRANSITIONS = {
    ConcernStatus.SUBMITTED: {ConcernStatus.TRIAGED, ConcernStatus.WITHDRAWN},
    ConcernStatus.TRIAGED: {
        ConcernStatus.IN_PROGRESS,
        ConcernStatus.ANSWERED,
        ConcernStatus.WITHDRAWN,
    },
    ConcernStatus.IN_PROGRESS: {ConcernStatus.ANSWERED, ConcernStatus.WITHDRAWN},
    ConcernStatus.ANSWERED: {ConcernStatus.IN_PROGRESS, ConcernStatus.CLOSED},
    ConcernStatus.CLOSED: set(),
    ConcernStatus.WITHDRAWN: set(),
}

ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
    ActionStatus.CANCELLED: {ActionStatus.OPEN},
}

PLAN_REVISION_TRANSITIONS = {
    PlanRevisionStatus.DRAFT: {PlanRevisionStatus.PUBLISHED},
    PlanRevisionStatus.PUBLISHED: set(),
}


def allowed_next(transitions: Mapping[Any, Set[str]], current: str) -> set[str]:
    return {str(s) for s in transitions.get(current, set())}


# Only the company moves a referral out of "proposed" by consenting: nothing about it
# leaves the ministry before that (services/referrals.py checks who may do which step).
REFERRAL_TRANSITIONS = {
    ReferralStatus.PROPOSED: {ReferralStatus.CONSENTED, ReferralStatus.DECLINED},
    ReferralStatus.CONSENTED: {
        ReferralStatus.REFERRED,
        ReferralStatus.SUPPORT_STARTED,
        ReferralStatus.DECLINED,
    },
    ReferralStatus.REFERRED: {
        ReferralStatus.SUPPORT_STARTED,
        ReferralStatus.DECLINED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.SUPPORT_STARTED: {ReferralStatus.CLOSED},
    ReferralStatus.CLOSED: set(),
    ReferralStatus.DECLINED: set(),
}
