"""The world of the permission matrix and the access sweep: everyone's data at once, and a
signed-in session (and API token) for every role.

It starts from the API's world (`api.py`: company A and B in semiconductors, AMBER items
of semiconductors and batteries, A's AMBER+STRICT concern with an internal note, a draft
plan revision, the secretariat's queued export job) and adds what the pages need:
company A's portal admin, a deactivated company A user whose session and token were
issued before deactivation, RED items naming particular people, a digest, a finished
export, a pending invitation and a colleague to deactivate.
"""

from __future__ import annotations

import datetime
import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from dialogue.enums import (
    AgendaTopic,
    DigestFrequency,
    JobKind,
    Marking,
    NoticeStatus,
    NotificationEvent,
    ReminderKind,
    SessionFormat,
    SizeClass,
)
from dialogue.models import (
    AgendaItem,
    ApiToken,
    BestPractice,
    ChokepointReviewReminder,
    Concern,
    ConcernMessage,
    Digest,
    ExportJob,
    ForeignMeasure,
    JobRun,
    NoticeMail,
    NoticeRead,
    Notification,
    Organization,
    Participant,
    PortalSubmission,
    ReferralReminder,
    Reminder,
    ReplyTemplate,
    SavedFilter,
    Sector,
    Threat,
    ThreatCategory,
    User,
)
from dialogue.models.notices import encode_size_classes
from dialogue.selectors.digests import digest_content
from dialogue.services.calendar_tokens import feed_token
from dialogue.services.exports import export_job_run
from dialogue.services.invitations import invitation_create
from tests import factories as f
from tests.support.worlds.api import (
    A_IDENTIFYING,
    A_USERNAMES,
    B_IDENTIFYING,
    BATT_AMBER,
    CONCERN_SECRETS,
    INTERNAL_FILE,
    INTERNAL_NOTE,
    RED_TITLE,
    SEMI_AMBER,
    build_api_world,
)

ROLES = (
    "anonymous",
    "company_a",
    "company_a_admin",
    "company_b",
    "sector_official",
    "other_sector_official",
    "secretariat",
    "deactivated",
)

A_ADMIN_USERNAME = "arupa-somu"
A_DEACTIVATED_USERNAME = "arupa-taishokusha"
A_COLLEAGUE_USERNAME = A_USERNAMES[1]
A_INVITEE = "shinnyu@arupa.example.jp"

# RED items and the people named on them (role names; "red-reader" is an official of
# semiconductors who is none of the roles).
RED = {
    "threat": "赤区分脅威: 試作ラインへの侵入未遂",
    "session": "赤区分対話: 阿留波社との非公開協議",
    "action": "赤区分アクション: 侵入経路の調査",
    "concern": "赤区分懸念: 取引先からの設計図開示要求",
}
RED_NAMED = {
    "threat": {"sector_official"},
    "session": {"sector_official", "company_a"},
    "action": {"sector_official"},
    "concern": {"sector_official", "company_a"},
}
# Company A's AMBER+STRICT concern (from the API world) and a STRICT session with A alone.
STRICT = {
    "concern": "阿留波社 フォトレジスト輸出規制への対応相談",
    "session": "半導体STRICT対話: 阿留波社との個別協議",
}
STRICT_SEES = {
    "concern": {"company_a", "company_a_admin", "sector_official", "secretariat"},
    "session": {"company_a", "company_a_admin", "sector_official", "secretariat"},
}
# An AMBER international session under the 日米経済版「２＋２」 forum that names no sector:
# the forum's responsible official (the semiconductors official) and the secretariat see
# it; the batteries official and companies (none took part) do not.
FORUM_SESSION = "日米経済版２＋２実務者会合: 供給途絶リスクの提起"
FORUM_SEES = {"sector_official", "secretariat"}
A_ALSO = (A_ADMIN_USERNAME, A_DEACTIVATED_USERNAME, A_INVITEE, STRICT["session"])
A_SECRETS = (*A_IDENTIFYING, *A_ALSO)
OFFICIALS_ONLY = (INTERNAL_NOTE, INTERNAL_FILE)


def never_shown() -> dict[str, tuple[str, ...]]:
    """Role → strings that must not appear in any page, file or JSON that role receives."""
    red_hidden = {
        role: tuple(RED[kind] for kind, named in RED_NAMED.items() if role not in named)
        for role in ROLES
    }
    company_a = (
        RED_TITLE,
        FORUM_SESSION,
        *B_IDENTIFYING,
        *OFFICIALS_ONLY,
        SEMI_AMBER["threat"],
        SEMI_AMBER["dependency"],
        *BATT_AMBER.values(),
    )
    nobody = (
        RED_TITLE,
        *RED.values(),
        *A_SECRETS,
        *B_IDENTIFYING,
        *OFFICIALS_ONLY,
        FORUM_SESSION,
    )
    shown = {
        "anonymous": nobody,
        "deactivated": nobody,
        "company_a": company_a + red_hidden["company_a"],
        "company_a_admin": company_a + red_hidden["company_a_admin"],
        "company_b": (
            RED_TITLE,
            FORUM_SESSION,
            *A_SECRETS,
            *OFFICIALS_ONLY,
            SEMI_AMBER["threat"],
            SEMI_AMBER["chokepoint"],
            SEMI_AMBER["session"],
            SEMI_AMBER["action"],
            SEMI_AMBER["dependency"],
            *BATT_AMBER.values(),
            *red_hidden["company_b"],
        ),
        "sector_official": (RED_TITLE, *BATT_AMBER.values(), *red_hidden["sector_official"]),
        "other_sector_official": (
            RED_TITLE,
            *SEMI_AMBER.values(),
            *CONCERN_SECRETS,
            STRICT["session"],
            FORUM_SESSION,
            *red_hidden["other_sector_official"],
        ),
        "secretariat": (RED_TITLE, *red_hidden["secretariat"]),
    }
    assert set(shown) == set(ROLES)
    return shown


def build_sweep_world() -> dict:
    world = build_api_world()
    users = world["users"]
    semi, org_a = world["semi"], world["org_a"]
    official, secretariat = users["sector_official"], users["secretariat"]
    authored = {"created_by": secretariat}
    red_reader = User.objects.get(username="red-reader")
    # Offered on the concern pages of semiconductor officials.
    world["reply_template"] = ReplyTemplate.objects.create(
        sector=semi, title="一次回答", body="ご相談ありがとうございます。"
    )

    users["company_a_admin"] = f.CompanyUserFactory(
        username=A_ADMIN_USERNAME, organization=org_a, is_org_admin=True
    )
    users["deactivated"] = f.CompanyUserFactory(username=A_DEACTIVATED_USERNAME, organization=org_a)
    world["colleague"] = User.objects.get(username=A_COLLEAGUE_USERNAME)

    def named(kind: str) -> list[User]:
        return [users[role] for role in sorted(RED_NAMED[kind])]

    code = {c.code: c for c in ThreatCategory.objects.filter(code__in=["1-2", "3-3"])}
    world["red_session"] = f.DialogueSessionFactory(
        title=RED["session"],
        sectors=[semi],
        participating_organizations=[org_a],
        marking=Marking.RED,
        named_users=named("session"),
        **authored,
    )
    world["red_threat"] = f.ThreatFactory(
        title=RED["threat"],
        sector=semi,
        category=code["3-3"],
        marking=Marking.RED,
        named_users=named("threat"),
        **authored,
    )
    world["red_action"] = f.FollowUpActionFactory(
        title=RED["action"],
        sector=semi,
        owner=red_reader,
        marking=Marking.RED,
        named_users=named("action"),
        **authored,
    )
    world["red_concern"] = f.ConcernFactory(
        title=RED["concern"],
        organization=org_a,
        submitted_by=users["company_a"],
        sector=semi,
        category=code["1-2"],
        marking=Marking.RED,
        named_users=named("concern"),
    )
    world["strict_session"] = f.DialogueSessionFactory(
        title=STRICT["session"],
        sectors=[semi],
        participating_organizations=[org_a],
        marking=Marking.AMBER_STRICT,
        **authored,
    )

    world["forum"] = f.forum(officials=[official])
    world["forum_session"] = f.DialogueSessionFactory(
        title=FORUM_SESSION,
        sectors=[],
        forum=world["forum"],
        format=SessionFormat.INTERNATIONAL,
        **authored,
    )
    # Its agenda raises a semiconductors threat, the RED threat and a batteries dependency:
    # the RED one is shown only to the people named on it, the batteries figure only to
    # batteries officials and the secretariat, wherever the agenda appears.
    for position, threat in enumerate([world["threat_semi"], world["red_threat"]]):
        AgendaItem.objects.create(
            session=world["forum_session"],
            topic=AgendaTopic.LIKE_MINDED,
            position=position,
            threat=threat,
        )
    AgendaItem.objects.create(
        session=world["forum_session"],
        topic=AgendaTopic.LIKE_MINDED,
        position=2,
        dependency=f.DependencyFactory(
            product=BATT_AMBER["dependency"],
            sector=Sector.objects.get(code="batteries"),
            country="CN",
            **authored,
        ),
    )

    # The semiconductors official's weekly digest, built by the digest selector.
    today = timezone.localdate()
    content = digest_content(official, since=None, today=today)
    world["digest"] = Digest.objects.create(
        recipient=official,
        frequency=DigestFrequency.WEEKLY,
        period_start=today - datetime.timedelta(days=6),
        period_end=today,
        marking=content["marking"],
        content=content,
    )
    # A finished export of the threat register, requested by the same official.
    job = ExportJob.objects.create(
        requested_by=official, kind="threats", format="csv", params={"source": "workspace"}
    )
    world["done_export"] = export_job_run(job_id=job.pk)
    assert world["done_export"].status == ExportJob.Status.DONE

    invitation, link = invitation_create(
        inviter=users["company_a_admin"], organization=org_a, email=A_INVITEE
    )
    world["invitation"] = invitation
    world["invitation_token"] = link.rstrip("/").rsplit("/", 1)[-1]

    # A GREEN semiconductors threat that nothing links to yet (a concern can be linked to it).
    world["threat_unlinked"] = f.ThreatFactory(
        title="半導体GREEN脅威: 技術者の引き抜き",
        sector=semi,
        category=code["1-2"],
        marking=Marking.GREEN,
        **authored,
    )
    world["threat_green"] = Threat.objects.get(title="半導体GREEN脅威: 輸出規制の強化")
    world["participant_a"] = Participant.objects.get(session=world["session_a"], organization=org_a)
    world["agenda_item_a"] = AgendaItem.objects.filter(session=world["session_a"]).first()
    world["internal_note"] = ConcernMessage.objects.get(body=INTERNAL_NOTE)
    world["saved_filter"] = SavedFilter.objects.create(
        user=official,
        list_name="workspace:threat-list",
        name="半導体の重大な脅威",
        query="sector=semiconductors&severity=high",
    )
    world["category"] = ThreatCategory.objects.get(code="1-2")
    world["best_practice"] = BestPractice.objects.order_by("number").first()
    world["foreign_measure"] = ForeignMeasure.objects.order_by("pk").first()
    # Operations rows about the RED items (the secretariat reads the ledgers, not the items).
    world["reminder"] = Reminder.objects.create(
        action=world["red_action"], kind=ReminderKind.OVERDUE, due_on=today, recipient=red_reader
    )
    world["notification"] = Notification.objects.create(
        event=NotificationEvent.CONCERN_SUBMITTED,
        event_key=f"concern-{world['red_concern'].pk}",
        concern=world["red_concern"],
        recipient=official,
    )
    # … and about A's AMBER action and AMBER+STRICT concern, which the secretariat may see.
    world["reminder_a"] = Reminder.objects.create(
        action=world["action_a"],
        kind=ReminderKind.DUE_IN_7_DAYS,
        due_on=today,
        recipient=users["company_a"],
    )
    world["notification_a"] = Notification.objects.create(
        event=NotificationEvent.CONCERN_SUBMITTED,
        event_key=f"concern-{world['concern_a'].pk}",
        concern=world["concern_a"],
        recipient=official,
    )
    world["review_reminder_a"] = ChokepointReviewReminder.objects.create(
        chokepoint=world["chokepoint_a"], review_on=today, recipient=official
    )
    world["job_run"] = JobRun.objects.create(kind=JobKind.REMINDERS, token="sweep-run")
    # Notices: a published GREEN one to the large semiconductor companies (company A; B is
    # an SME, so it is not addressed to B), and a semiconductors draft.
    Organization.objects.filter(pk=world["org_b"].pk).update(size_class=SizeClass.SME)
    world["notice"] = f.NoticeFactory(
        title_ja="半導体大企業向け周知: 輸出管理の改正",
        sectors=[semi],
        size_classes=encode_size_classes([SizeClass.LARGE]),
        author=official,
    )
    # (the deactivated user's receipt: company A's active users have not read it yet)
    world["notice_read"] = NoticeRead.objects.create(
        notice=world["notice"], user=users["deactivated"]
    )
    world["notice_mail"] = NoticeMail.objects.create(
        notice=world["notice"], recipient=users["company_a"]
    )
    world["notice_draft"] = f.NoticeFactory(
        title_ja="半導体向け周知の下書き",
        sectors=[semi],
        status=NoticeStatus.DRAFT,
        published_at=None,
        author=official,
    )

    # Sessions and tokens, issued while everyone is active.
    world["sessions"], world["tokens"], world["feeds"] = {}, {}, {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        world["sessions"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        world["tokens"][role] = f.api_key(user)
        world["feeds"][role] = feed_token(user)
    world["official_token"] = ApiToken.objects.filter(user=users["sector_official"]).first()
    world["admin_objects"] = operator_rows(users, world["concern_a"])
    # A referral reminder owed to the semiconductors official (the secretariat sees it).
    world["referral_reminder_a"] = ReferralReminder.objects.create(
        referral=world["referral_a"],
        wait="consent",
        waiting_since=world["referral_a"].status_changed_at,
        recipient=users["sector_official"],
    )
    # Company A's password-reset link (after signing in: the token covers the last sign-in).
    company_a = User.objects.get(pk=users["company_a"].pk)
    world["reset"] = {
        "uidb64": urlsafe_base64_encode(force_bytes(company_a.pk)),
        "token": default_token_generator.make_token(company_a),
    }
    User.objects.filter(pk=users["deactivated"].pk).update(is_active=False)
    users["deactivated"].refresh_from_db()
    assert set(users) == set(ROLES) - {"anonymous"}
    return world


def operator_rows(users: dict, concern: Concern) -> dict[str, object]:
    """One row of every admin model that only superusers manage (officials get 403 on them)."""
    now = timezone.now()
    interval = IntervalSchedule.objects.create(every=7, period=IntervalSchedule.DAYS)
    visitor = {
        "user_agent": "sweep",
        "ip_address": "192.0.2.10",
        "username": A_USERNAMES[0],
        "http_accept": "text/html",
        "path_info": "/portal/login/",
    }
    return {
        "auth/group": Group.objects.create(name="計画チーム"),
        "dialogue/apitoken": ApiToken.objects.filter(user=users["secretariat"]).first(),
        "django_celery_beat/periodictask": PeriodicTask.objects.create(
            name="sweep-task", task="dialogue.reminders.sweep", interval=interval
        ),
        "django_celery_beat/intervalschedule": interval,
        "django_celery_beat/crontabschedule": CrontabSchedule.objects.create(minute="0", hour="8"),
        "django_celery_beat/clockedschedule": ClockedSchedule.objects.create(clocked_time=now),
        "django_celery_beat/solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=35.68, longitude=139.77
        ),
        "axes/accessattempt": AccessAttempt.objects.create(
            **visitor, get_data="", post_data="", failures_since_start=1
        ),
        "axes/accessfailurelog": AccessFailureLog.objects.create(**visitor, locked_out=False),
        "axes/accesslog": AccessLog.objects.create(**visitor),
        "dialogue/portalsubmission": PortalSubmission.objects.create(
            user=users["company_a"], key=uuid.uuid4(), concern=concern
        ),
    }
