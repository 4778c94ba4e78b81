"""RecordTables: bench chokepoints, sessions, concerns, threats and follow-up actions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from dialogue.devtools.bench.base import HISTORY_DAYS, GeneratorBase
from dialogue.devtools.bench.sampling import weighted
from dialogue.devtools.bench.vocabulary import (
    COMPANY_AFFILIATIONS,
    LIKE_MINDED,
    OFFICIAL_AFFILIATIONS,
)
from dialogue.enums import (
    ActionStatus,
    AgendaTopic,
    ConcernLevel,
    ConcernStatus,
    DesiredSupport,
    Marking,
    PolicyPillar,
    Priority,
    SessionFormat,
    SessionStatus,
    SupplyChainStage,
    ThreatStatus,
)
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Concern,
    ConcernMessage,
    DialogueSession,
    FollowUpAction,
    Participant,
    Threat,
)


class RecordTables(GeneratorBase):
    """The dialogue records, each table drawing on the sectors, organizations and users."""

    # -- chokepoints ---------------------------------------------------------------
    def _chokepoints(self) -> None:
        rng = self.rng
        sectors, markings = [], []

        def build():
            for _ in range(self.counts["chokepoints"]):
                sector = self.pick_sector()
                marking = self._marking()
                sectors.append(sector)
                markings.append(marking)
                day = self._past_day()
                share = rng.random() < 0.7
                yield ChokepointTechnology(
                    name=rng.choice(self.text.chokepoint_names),
                    description=rng.choice(self.text.descriptions),
                    sector_id=sector,
                    stage=rng.choice(SupplyChainStage.values),
                    holders=rng.choice(self.text.notes),
                    world_share_pct=Decimal(rng.randint(500, 8000)) / 100 if share else None,
                    outflow_concern=weighted(
                        rng, {ConcernLevel.HIGH: 3, ConcernLevel.MEDIUM: 5, ConcernLevel.LOW: 2}
                    ),
                    like_minded_holders=rng.choice(LIKE_MINDED),
                    marking=marking,
                    created_by_id=self.official_of[sector],
                    created_at=self._moment(day),
                    updated_at=self._moment(day),
                )

        ids = self._insert("chokepoints", ChokepointTechnology, build())
        self.chokepoints_by_sector: dict[int, list[int]] = defaultdict(list)
        holder_pairs = []
        for pk, sector in zip(ids, sectors, strict=True):
            self.chokepoints_by_sector[sector].append(pk)
            candidates = self.orgs_by_sector.get(sector, [])
            for org in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
                holder_pairs.append((pk, org))
        self._link(
            "chokepoint holders (m2m)", ChokepointTechnology, "holder_organizations", holder_pairs
        )
        self._link(
            "chokepoint named users (m2m)",
            ChokepointTechnology,
            "named_users",
            self._named(
                ids, markings, lambda i: [self.official_of[sectors[i]], self.secretariat_id]
            ),
        )

    # -- sessions ------------------------------------------------------------------
    def _sessions(self) -> None:
        rng = self.rng
        session_sectors: list[list[int]] = []
        session_orgs: list[list[int]] = []
        markings: list[str] = []
        self.session_day: dict[int, date] = {}
        days: list[date] = []

        def build():
            for _ in range(self.counts["sessions"]):
                held_on = self.today + timedelta(days=rng.randint(-HISTORY_DAYS, 60))
                fmt = weighted(
                    rng,
                    {
                        SessionFormat.COMPANY_HEARING: 50,
                        SessionFormat.INDUSTRY_ROUNDTABLE: 35,
                        SessionFormat.INTERNATIONAL: 15,
                    },
                )
                sectors = [self.pick_sector()]
                if fmt != SessionFormat.COMPANY_HEARING and rng.random() < 0.25:
                    sectors = list(dict.fromkeys([*sectors, self.pick_sector()]))
                candidates = self.orgs_by_sector.get(sectors[0], [])
                wanted = {
                    SessionFormat.COMPANY_HEARING: 1,
                    SessionFormat.INDUSTRY_ROUNDTABLE: rng.randint(3, 6),
                    SessionFormat.INTERNATIONAL: rng.randint(0, 1),
                }[fmt]
                orgs = rng.sample(candidates, min(wanted, len(candidates)))
                if held_on > self.today:
                    status = SessionStatus.PLANNED
                elif (self.today - held_on).days > 30 and rng.random() < 0.85:
                    status = SessionStatus.MINUTES_APPROVED
                else:
                    status = SessionStatus.HELD
                marking = self._marking(
                    {
                        Marking.AMBER: 45,
                        Marking.AMBER_STRICT: 18 if len(orgs) == 1 else 2,
                        Marking.GREEN: 25,
                        Marking.CLEAR: 10,
                        Marking.RED: 2,
                    }
                )
                session_sectors.append(sectors)
                session_orgs.append(orgs)
                markings.append(marking)
                days.append(held_on)
                created = self._moment(held_on - timedelta(days=rng.randint(7, 30)))
                yield DialogueSession(
                    title=rng.choice(self.text.titles),
                    held_on=held_on,
                    format=fmt,
                    status=status,
                    minutes=""
                    if status == SessionStatus.PLANNED
                    else rng.choice(self.text.minutes),
                    marking=marking,
                    created_by_id=self.official_of[sectors[0]],
                    created_at=created,
                    updated_at=max(created, self._moment(min(held_on, self.today))),
                )

        ids = self._insert("dialogue sessions", DialogueSession, build())
        self.session_day = dict(zip(ids, days, strict=True))
        self.sessions_by_sector: dict[int, list[int]] = defaultdict(list)
        for pk, sectors in zip(ids, session_sectors, strict=True):
            for sector in sectors:
                self.sessions_by_sector[sector].append(pk)

        self._link(
            "session sectors (m2m)",
            DialogueSession,
            "sectors",
            ((pk, s) for pk, sectors in zip(ids, session_sectors, strict=True) for s in sectors),
        )
        self._link(
            "session organizations (m2m)",
            DialogueSession,
            "participating_organizations",
            ((pk, o) for pk, orgs in zip(ids, session_orgs, strict=True) for o in orgs),
        )
        chokepoint_pairs = []
        for pk, sectors in zip(ids, session_sectors, strict=True):
            candidates = self.chokepoints_by_sector.get(sectors[0], [])
            if candidates and rng.random() < 0.4:
                for chokepoint in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
                    chokepoint_pairs.append((pk, chokepoint))
        self._link("session chokepoints (m2m)", DialogueSession, "chokepoints", chokepoint_pairs)
        self._link(
            "session named users (m2m)",
            DialogueSession,
            "named_users",
            self._named(
                ids,
                markings,
                lambda i: [self.official_of[session_sectors[i][0]], self.secretariat_id],
            ),
        )

        def participants():
            for pk, orgs in zip(ids, session_orgs, strict=True):
                for _ in range(rng.randint(1, 2)):
                    yield Participant(
                        session_id=pk,
                        name=rng.choice(self.text.person_names),
                        affiliation=rng.choice(OFFICIAL_AFFILIATIONS),
                    )
                for org in orgs:
                    for _ in range(rng.randint(1, 2)):
                        yield Participant(
                            session_id=pk,
                            name=rng.choice(self.text.person_names),
                            organization_id=org,
                            affiliation=rng.choice(COMPANY_AFFILIATIONS),
                        )

        self._insert("participants", Participant, participants())
        topics = AgendaTopic.values

        def agenda():
            for pk in ids:
                chosen = rng.sample(topics[:5], rng.randint(1, 3))
                if rng.random() < 0.1:
                    chosen.append(AgendaTopic.OTHER)
                for position, topic in enumerate(chosen):
                    yield AgendaItem(
                        session_id=pk,
                        topic=topic,
                        note=rng.choice(self.text.notes),
                        position=position,
                    )

        self._insert("agenda items", AgendaItem, agenda())

    # -- concerns ------------------------------------------------------------------
    def _concerns(self) -> None:
        rng = self.rng
        # Per concern: submitter, organization, sector, created_at, status, marking.
        meta: list[tuple[int, int, int, datetime, str, str]] = []

        # Per organization and year, as `concern_submit` numbers them (here in generation
        # order, not date order: the numbers only have to be unique).
        last_reference: dict[tuple[int, int], int] = defaultdict(int)

        def build():
            for _ in range(self.counts["concerns"]):
                org = rng.choice(self.orgs_with_users)
                submitter = rng.choice(self.users_of_org[org])
                sector = rng.choice(self.org_sectors[org])
                created = self._moment(self._past_day())
                age = (self.now - created).days
                if age > 180:
                    status = weighted(
                        rng,
                        {
                            ConcernStatus.CLOSED: 70,
                            ConcernStatus.ANSWERED: 20,
                            ConcernStatus.WITHDRAWN: 10,
                        },
                    )
                else:
                    status = rng.choice(ConcernStatus.values)
                marking = self._marking(
                    {
                        Marking.AMBER_STRICT: 75,
                        Marking.AMBER: 15,
                        Marking.GREEN: 6,
                        Marking.CLEAR: 2,
                        Marking.RED: 2,
                    }
                )
                meta.append((submitter, org, sector, created, status, marking))
                year = timezone.localtime(created).year
                last_reference[org, year] += 1
                yield Concern(
                    organization_id=org,
                    reference=f"{year}-{last_reference[org, year]:04d}",
                    submitted_by_id=submitter,
                    sector_id=sector,
                    category_id=self.pick_code(),
                    title=rng.choice(self.text.titles),
                    description=rng.choice(self.text.descriptions),
                    desired_support=rng.choice(DesiredSupport.values),
                    status=status,
                    marking=marking,
                    assigned_to_id=None
                    if status == ConcernStatus.SUBMITTED
                    else self.official_of[sector],
                    created_at=created,
                    updated_at=min(self.now, created + timedelta(days=rng.randint(0, 60))),
                )

        ids = self._insert("concerns", Concern, build())
        self.concerns_by_sector: dict[int, list[int]] = defaultdict(list)
        for pk, (_, _, sector, _, _, _) in zip(ids, meta, strict=True):
            self.concerns_by_sector[sector].append(pk)
        self._link(
            "concern named users (m2m)",
            Concern,
            "named_users",
            self._named(
                ids, [m[5] for m in meta], lambda i: [meta[i][0], self.official_of[meta[i][2]]]
            ),
        )

        def messages():
            for pk, (submitter, _, sector, created, status, _) in zip(ids, meta, strict=True):
                official = self.official_of[sector]
                count = 0 if status == ConcernStatus.SUBMITTED else rng.randint(1, 3)
                at = created
                for n in range(count):
                    at = min(self.now, at + timedelta(hours=rng.randint(2, 96)))
                    internal = n > 0 and rng.random() < 0.15
                    yield ConcernMessage(
                        concern_id=pk,
                        author_id=submitter if n % 2 == 0 and not internal else official,
                        body=rng.choice(self.text.messages),
                        is_internal=internal,
                        created_at=at,
                        updated_at=at,
                    )

        self._insert("concern messages", ConcernMessage, messages())

    # -- threats ---------------------------------------------------------------------
    def _threats(self) -> None:
        rng = self.rng
        sectors, markings = [], []
        scores = [1, 2, 3, 4, 5]

        def build():
            for _ in range(self.counts["threats"]):
                sector = self.pick_sector()
                session = concern = None
                sessions = self.sessions_by_sector.get(sector)
                if sessions and rng.random() < 0.4:
                    session = rng.choice(sessions)
                concerns = self.concerns_by_sector.get(sector)
                if concerns and rng.random() < 0.1:
                    concern = rng.choice(concerns)
                earliest = self.session_day.get(session, self.today - timedelta(days=HISTORY_DAYS))
                span = max(0, (self.today - earliest).days)
                created = self._moment(self.today - timedelta(days=rng.randint(0, span)))
                marking = self._marking()
                sectors.append(sector)
                markings.append(marking)
                yield Threat(
                    title=rng.choice(self.text.titles),
                    description=rng.choice(self.text.descriptions),
                    sector_id=sector,
                    category_id=self.pick_code(),
                    likelihood=rng.choices(scores, weights=[1, 3, 4, 3, 1])[0],
                    impact=rng.choices(scores, weights=[1, 2, 3, 4, 2])[0],
                    status=weighted(
                        rng,
                        {
                            ThreatStatus.IDENTIFIED: 30,
                            ThreatStatus.MONITORING: 35,
                            ThreatStatus.MITIGATING: 25,
                            ThreatStatus.CLOSED: 10,
                        },
                    ),
                    source_session_id=session,
                    source_concern_id=concern,
                    marking=marking,
                    created_by_id=self.official_of[sector],
                    created_at=created,
                    updated_at=min(self.now, created + timedelta(days=rng.randint(0, 90))),
                )

        ids = self._insert("threats", Threat, build())
        self.threats_by_sector: dict[int, list[int]] = defaultdict(list)
        chokepoint_pairs = []
        for pk, sector in zip(ids, sectors, strict=True):
            self.threats_by_sector[sector].append(pk)
            candidates = self.chokepoints_by_sector.get(sector)
            if candidates and rng.random() < 0.25:
                chokepoint_pairs.append((pk, rng.choice(candidates)))
        self._link("threat chokepoints (m2m)", Threat, "chokepoints", chokepoint_pairs)
        self._link(
            "threat named users (m2m)",
            Threat,
            "named_users",
            self._named(
                ids, markings, lambda i: [self.official_of[sectors[i]], self.secretariat_id]
            ),
        )

    # -- follow-up actions -------------------------------------------------------------
    def _actions(self) -> None:
        rng = self.rng
        owners, markings = [], []

        def build():
            for _ in range(self.counts["actions"]):
                owner_org = None
                if self.company_users and rng.random() < 0.2:
                    owner, owner_org = rng.choice(self.company_users)
                    sector = rng.choice(self.org_sectors[owner_org])
                else:
                    sector = self.pick_sector()
                    owner = self.secretariat_id if rng.random() < 0.1 else self.official_of[sector]
                due_on = self.today + timedelta(days=round(rng.triangular(-240, 120, 20)))
                created = self._moment(
                    min(self.today, due_on - timedelta(days=rng.randint(14, 120)))
                )
                if due_on < self.today:
                    status = weighted(
                        rng,
                        {
                            ActionStatus.DONE: 70,
                            ActionStatus.CANCELLED: 5,
                            ActionStatus.OPEN: 15,
                            ActionStatus.IN_PROGRESS: 10,
                        },
                    )
                else:
                    status = weighted(
                        rng,
                        {
                            ActionStatus.DONE: 10,
                            ActionStatus.OPEN: 60,
                            ActionStatus.IN_PROGRESS: 30,
                        },
                    )
                completed_at = None
                if status == ActionStatus.DONE:
                    completed_at = min(self.now, created + timedelta(days=rng.randint(1, 60)))
                sessions = self.sessions_by_sector.get(sector)
                threats = self.threats_by_sector.get(sector)
                concerns = self.concerns_by_sector.get(sector)
                marking = self._marking(
                    {
                        Marking.AMBER: 45,
                        Marking.AMBER_STRICT: 20 if owner_org else 8,
                        Marking.GREEN: 30,
                        Marking.CLEAR: 8,
                        Marking.RED: 2,
                    }
                )
                owners.append((owner, sector))
                markings.append(marking)
                yield FollowUpAction(
                    title=rng.choice(self.text.titles),
                    description=rng.choice(self.text.descriptions),
                    sector_id=sector,
                    owner_id=owner,
                    owner_organization_id=owner_org,
                    due_on=due_on,
                    status=status,
                    priority=weighted(rng, {Priority.HIGH: 2, Priority.MEDIUM: 5, Priority.LOW: 3}),
                    pillar=rng.choice(PolicyPillar.values),
                    session_id=rng.choice(sessions) if sessions and rng.random() < 0.5 else None,
                    threat_id=rng.choice(threats) if threats and rng.random() < 0.3 else None,
                    concern_id=rng.choice(concerns) if concerns and rng.random() < 0.1 else None,
                    completion_note=rng.choice(self.text.notes) if completed_at else "",
                    completed_at=completed_at,
                    marking=marking,
                    created_by_id=self.official_of[sector],
                    created_at=created,
                    updated_at=max(created, completed_at or created),
                )

        ids = self._insert("follow-up actions", FollowUpAction, build())
        self._link(
            "action named users (m2m)",
            FollowUpAction,
            "named_users",
            self._named(ids, markings, lambda i: [owners[i][0], self.official_of[owners[i][1]]]),
        )
