"""The visibility matrix of DOMAIN.md ("Who may see what"): roles × TLP markings × organizations × sectors.

Every model gets items at every marking in two scopes — semiconductors with
organization A, batteries with organization C — so every viewer always has
out-of-scope rows around and an empty result can never pass by accident.
"""

import pytest

from dialogue.enums import AgendaTopic, Marking, Role
from dialogue.models import (
    AgendaItem,
    ChokepointTechnology,
    Concern,
    ConcernAttachment,
    ConcernMessage,
    DialogueSession,
    FollowUpAction,
    ForeignMeasure,
    Organization,
    Participant,
    Sector,
    Threat,
    User,
)
from tests import factories as f

CLEAR, GREEN, AMBER, STRICT, RED = (
    Marking.CLEAR,
    Marking.GREEN,
    Marking.AMBER,
    Marking.AMBER_STRICT,
    Marking.RED,
)

OFFICIALS = {
    "official_semi",
    "official_batt",
    "official_computing",
    "secretariat",
    "sysadmin",
    "superuser",
}
SEMI_OFFICIALS = {"official_semi", "official_computing", "secretariat", "sysadmin", "superuser"}
BATT_OFFICIALS = {"official_batt", "secretariat", "sysadmin", "superuser"}
COMPANIES = {"company_a", "company_a_admin", "company_b", "company_c"}
ORG_A = {"company_a", "company_a_admin"}
# Named on every RED item: one official of the other sector and one user of company B.
NAMED = {"official_batt", "company_b"}
VIEWERS = [*sorted(OFFICIALS | COMPANIES), "inactive_official", "anonymous"]

# scope "semi": sector semiconductors, organization A (company B is also active in semiconductors).
# scope "batt": sector batteries, organization C.
EXPECTED = {
    "threat": {
        "semi": {
            CLEAR: OFFICIALS | COMPANIES,
            GREEN: OFFICIALS | ORG_A | {"company_b"},
            AMBER: SEMI_OFFICIALS,  # a threat belongs to no organization
            STRICT: SEMI_OFFICIALS,
            RED: NAMED,
        },
        "batt": {
            CLEAR: OFFICIALS | COMPANIES,
            GREEN: OFFICIALS | {"company_c"},
            AMBER: BATT_OFFICIALS,
            STRICT: BATT_OFFICIALS,
            RED: NAMED,
        },
    },
    "chokepoint": {  # its organizations are its holders
        "semi": {
            CLEAR: OFFICIALS | COMPANIES,
            GREEN: OFFICIALS | ORG_A | {"company_b"},
            AMBER: SEMI_OFFICIALS | ORG_A,
            STRICT: SEMI_OFFICIALS | ORG_A,
            RED: NAMED,
        },
        "batt": {
            CLEAR: OFFICIALS | COMPANIES,
            GREEN: OFFICIALS | {"company_c"},
            AMBER: BATT_OFFICIALS | {"company_c"},
            STRICT: BATT_OFFICIALS | {"company_c"},
            RED: NAMED,
        },
    },
    "session": {  # company users see only sessions their organization took part in
        "semi": {
            CLEAR: OFFICIALS | ORG_A,
            GREEN: OFFICIALS | ORG_A,
            AMBER: SEMI_OFFICIALS | ORG_A,
            STRICT: SEMI_OFFICIALS | ORG_A,
            RED: {"official_batt"},
        },
        "batt": {
            CLEAR: OFFICIALS | {"company_c"},
            GREEN: OFFICIALS | {"company_c"},
            AMBER: BATT_OFFICIALS | {"company_c"},
            STRICT: BATT_OFFICIALS | {"company_c"},
            RED: {"official_batt"},
        },
    },
    "concern": {  # never shown to another organization, whatever the marking
        "semi": {
            CLEAR: OFFICIALS | ORG_A,
            GREEN: OFFICIALS | ORG_A,
            AMBER: SEMI_OFFICIALS | ORG_A,
            STRICT: SEMI_OFFICIALS | ORG_A,
            RED: {"official_batt"},  # company B is named, but it is A's concern
        },
        "batt": {
            CLEAR: OFFICIALS | {"company_c"},
            GREEN: OFFICIALS | {"company_c"},
            AMBER: BATT_OFFICIALS | {"company_c"},
            STRICT: BATT_OFFICIALS | {"company_c"},
            RED: {"official_batt"},
        },
    },
    "action": {  # its organization is the owning organization
        "semi": {
            CLEAR: OFFICIALS | COMPANIES,
            GREEN: OFFICIALS | ORG_A | {"company_b"},
            AMBER: SEMI_OFFICIALS | ORG_A,
            STRICT: SEMI_OFFICIALS | ORG_A,
            RED: NAMED,
        },
        "batt": {
            CLEAR: OFFICIALS | COMPANIES,
            GREEN: OFFICIALS | {"company_c"},
            AMBER: BATT_OFFICIALS | {"company_c"},
            STRICT: BATT_OFFICIALS | {"company_c"},
            RED: NAMED,
        },
    },
}


@pytest.fixture
def world(reference_data):
    semi = Sector.objects.get(code="semiconductors")
    batt = Sector.objects.get(code="batteries")
    computing = Sector.objects.get(code="computing")
    assert semi.parent == computing, "semiconductors belongs to the computing domain"

    org_a = f.OrganizationFactory(name="A社", sectors=[semi])
    org_b = f.OrganizationFactory(name="B社", sectors=[semi])
    org_c = f.OrganizationFactory(name="C社", sectors=[batt])

    users: dict[str, User | None] = {
        "official_semi": f.OfficialFactory(username="official_semi", sectors=[semi]),
        "official_batt": f.OfficialFactory(username="official_batt", sectors=[batt]),
        "official_computing": f.OfficialFactory(username="official_computing", sectors=[computing]),
        "secretariat": f.SecretariatFactory(username="secretariat"),
        "sysadmin": f.UserFactory(username="sysadmin", role=Role.ADMIN, is_staff=True),
        "superuser": User.objects.create_superuser("superuser", "root@example.jp", "pw-Strong-1"),
        "company_a": f.CompanyUserFactory(username="company_a", organization=org_a),
        "company_a_admin": f.CompanyUserFactory(
            username="company_a_admin", organization=org_a, is_org_admin=True
        ),
        "company_b": f.CompanyUserFactory(username="company_b", organization=org_b),
        "company_c": f.CompanyUserFactory(username="company_c", organization=org_c),
        "inactive_official": f.OfficialFactory(
            username="inactive_official", sectors=[semi, batt], is_active=False
        ),
        "anonymous": None,
    }
    named = [users["official_batt"], users["company_b"], users["inactive_official"]]
    owner_a = f.CompanyUserFactory(username="owner_a", organization=org_a)
    owner_c = f.CompanyUserFactory(username="owner_c", organization=org_c)

    items: dict[str, dict] = {name: {} for name in EXPECTED}
    for scope, sector, org, owner in [
        ("semi", semi, org_a, owner_a),
        ("batt", batt, org_c, owner_c),
    ]:
        for marking in Marking.values:
            key = (scope, marking)
            names = named if marking == RED else []
            items["threat"][key] = f.ThreatFactory(
                sector=sector, marking=marking, named_users=names
            )
            items["chokepoint"][key] = f.ChokepointFactory(
                sector=sector, marking=marking, holder_organizations=[org], named_users=names
            )
            items["session"][key] = f.DialogueSessionFactory(
                sectors=[sector],
                marking=marking,
                participating_organizations=[org],
                named_users=names,
            )
            items["concern"][key] = f.ConcernFactory(
                sector=sector, organization=org, marking=marking, named_users=names
            )
            items["action"][key] = f.FollowUpActionFactory(
                sector=sector,
                owner=owner,
                owner_organization=org,
                marking=marking,
                named_users=names,
            )
    return {
        "users": users,
        "items": items,
        "orgs": (org_a, org_b, org_c),
        "owners": (owner_a, owner_c),
    }


MODELS = {
    "threat": Threat,
    "chokepoint": ChokepointTechnology,
    "session": DialogueSession,
    "concern": Concern,
    "action": FollowUpAction,
}


def visible_keys(model, items: dict, user) -> set:
    from django.contrib.auth.models import AnonymousUser

    visible = set(model.objects.visible_to(user or AnonymousUser()).values_list("pk", flat=True))
    return {key for key, item in items.items() if item.pk in visible}


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", list(EXPECTED))
def test_each_viewer_sees_exactly_what_the_table_allows(world, model_name):
    items = world["items"][model_name]
    problems = []
    for viewer in VIEWERS:
        expected = {
            (scope, marking)
            for scope, row in EXPECTED[model_name].items()
            for marking, viewers in row.items()
            if viewer in viewers
        }
        actual = visible_keys(MODELS[model_name], items, world["users"][viewer])
        if actual != expected:
            problems.append(
                f"{viewer}: unexpected {sorted(actual - expected)}, missing {sorted(expected - actual)}"
            )
    assert not problems, f"{model_name}:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_every_viewer_has_out_of_scope_rows_around(world):
    # Guards the matrix itself: nobody but the superuser-like roles sees everything.
    for model_name, model in MODELS.items():
        items = world["items"][model_name]
        assert len(items) == 10
        for viewer in VIEWERS:
            seen = len(visible_keys(model, items, world["users"][viewer]))
            assert seen < len(items), f"{viewer} sees every {model_name}"


@pytest.mark.django_db
def test_the_owner_of_an_action_sees_it_unless_it_is_red_and_they_are_not_named(world):
    owner_a, _ = world["owners"]
    visible = FollowUpAction.objects.visible_to(owner_a)
    for marking in Marking.values:
        action = world["items"]["action"][("semi", marking)]
        assert visible.filter(pk=action.pk).exists() == (marking != RED), marking
    red = world["items"]["action"][("semi", RED)]
    red.named_users.add(owner_a)
    assert visible.filter(pk=red.pk).exists()


@pytest.mark.django_db
def test_strict_session_with_two_organizations_is_hidden_from_both(world):
    org_a, org_b, _ = world["orgs"]
    users = world["users"]
    semi = Sector.objects.get(code="semiconductors")
    strict = f.DialogueSessionFactory(
        sectors=[semi], marking=STRICT, participating_organizations=[org_a, org_b]
    )
    amber = f.DialogueSessionFactory(
        sectors=[semi], marking=AMBER, participating_organizations=[org_a, org_b]
    )
    for viewer in ("company_a", "company_b"):
        visible = DialogueSession.objects.visible_to(users[viewer])
        assert not visible.filter(pk=strict.pk).exists(), viewer
        assert visible.filter(pk=amber.pk).exists(), viewer
    assert DialogueSession.objects.visible_to(users["official_semi"]).filter(pk=strict.pk).exists()


@pytest.mark.django_db
def test_internal_notes_and_their_files_never_reach_company_users(world):
    users = world["users"]
    concern = world["items"]["concern"][("semi", STRICT)]
    reply = f.ConcernMessageFactory(concern=concern, body="回答します", is_internal=False)
    note = f.ConcernMessageFactory(concern=concern, body="内部メモ", is_internal=True)
    public_file = f.ConcernAttachmentFactory(concern=concern)
    internal_file = f.ConcernAttachmentFactory(concern=concern, message=note)

    company_messages = set(ConcernMessage.objects.visible_to(users["company_a"]))
    assert company_messages == {reply}
    assert set(ConcernAttachment.objects.visible_to(users["company_a"])) == {public_file}
    assert set(ConcernMessage.objects.visible_to(users["official_semi"])) == {reply, note}
    assert set(ConcernAttachment.objects.visible_to(users["official_semi"])) == {
        public_file,
        internal_file,
    }
    for outsider in ("company_b", "company_c", "official_batt", "anonymous", "inactive_official"):
        user = users[outsider]
        from django.contrib.auth.models import AnonymousUser

        assert not ConcernMessage.objects.visible_to(user or AnonymousUser()).exists(), outsider
        assert not ConcernAttachment.objects.visible_to(user or AnonymousUser()).exists(), outsider


@pytest.mark.django_db
def test_company_users_see_only_their_own_organization(world):
    users = world["users"]
    org_a, _, _ = world["orgs"]
    assert list(Organization.objects.visible_to(users["company_a"])) == [org_a]
    assert Organization.objects.visible_to(users["official_batt"]).count() == 3
    colleagues = set(User.objects.visible_to(users["company_a"]))
    assert colleagues == set(User.objects.filter(organization=org_a))
    assert {users["company_a"], users["company_a_admin"], world["owners"][0]} <= colleagues


@pytest.mark.django_db
def test_foreign_measures_follow_their_marking(world):
    users = world["users"]
    semi = Sector.objects.get(code="semiconductors")
    green = ForeignMeasure.objects.create(
        country_code="US", kind="export_control", title_ja="対象", title_en="t", marking=GREEN
    )
    green.sectors.set([semi])
    public = ForeignMeasure.objects.filter(marking=CLEAR).count()
    assert public > 0, "the reference foreign measures are public (CLEAR)"
    assert ForeignMeasure.objects.visible_to(users["company_a"]).count() == public + 1
    assert ForeignMeasure.objects.visible_to(users["company_c"]).count() == public
    assert ForeignMeasure.objects.visible_to(users["official_batt"]).count() == public + 1


@pytest.mark.django_db
def test_company_users_see_the_officials_and_their_colleagues_at_a_session(semiconductors):
    # given: a session two companies took part in
    org_a = f.OrganizationFactory(sectors=[semiconductors])
    org_b = f.OrganizationFactory(sectors=[semiconductors])
    session = f.DialogueSessionFactory(
        sectors=[semiconductors], marking=Marking.GREEN, participating_organizations=[org_a, org_b]
    )
    official = session.participants.create(name="経済 一郎", affiliation="経済産業省")
    colleague = session.participants.create(name="阿留波 太郎", organization=org_a)
    other = session.participants.create(name="部多 花子", organization=org_b)
    item = session.agenda_items.create(topic=AgendaTopic.COMPLIANCE_RULES, position=1)
    company_a = f.CompanyUserFactory(organization=org_a)
    sector_official = f.OfficialFactory(sectors=[semiconductors])
    # then
    assert set(Participant.objects.visible_to(company_a)) == {official, colleague}
    assert set(Participant.objects.visible_to(sector_official)) == {official, colleague, other}
    assert list(AgendaItem.objects.visible_to(company_a)) == [item]
    assert not Participant.objects.visible_to(f.CompanyUserFactory()).exists()
