"""Every portal URL, walked with two organizations: company B never reaches company A's
concern, message, attachment, action, colleague or invitation (404, with the very page a
non-existent id gets); anonymous visitors go to sign-in, officials to their workspace;
every form refuses a POST without a CSRF token.

`SPECS` must name every pattern of dialogue.portal.urls: a new URL without an
expectation here fails `test_every_portal_url_has_an_expectation` and its own
parametrized cases.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dialogue.portal import urls as portal_urls
from tests import factories as f
from tests.support.auth import signed_in

MISSING_ID = 987654
MISSING_REFERENCE = "2099-9876"


@dataclass(frozen=True)
class Spec:
    access: str  # "public", "company" or "org_admin"
    owner: dict = field(default_factory=dict)  # method -> status for the rightful user
    kind: str | None = None  # which of company A's records the URL names


SPECS = {
    "home": Spec("company", {"GET": 200}),
    "login": Spec("public", {"GET": 200, "POST": 200}),
    "logout": Spec("public", {"GET": 405, "POST": 302}),
    "account": Spec("company", {"GET": 200, "POST": 400}),
    "password-change": Spec("company", {"GET": 200, "POST": 200}),
    "password-reset": Spec("public", {"GET": 200, "POST": 200}),
    "password-reset-done": Spec("public", {"GET": 200}),
    "password-reset-confirm": Spec("public", {"GET": 302, "POST": 302}, kind="reset-token"),
    "password-reset-complete": Spec("public", {"GET": 200}),
    "invitation-accept": Spec("public", {"GET": 404, "POST": 404}),
    "invitation-link": Spec("public", {"GET": 302}, kind="invitation-token"),
    "concern-list": Spec("company", {"GET": 200}),
    "concern-create": Spec("company", {"GET": 200, "POST": 400}),
    "concern-detail": Spec("company", {"GET": 200}, kind="concern"),
    "concern-reply": Spec("company", {"GET": 405, "POST": 400}, kind="concern"),
    "concern-withdraw": Spec("company", {"GET": 200, "POST": 400}, kind="concern"),
    "referral-answer": Spec("company", {"GET": 200, "POST": 400}, kind="referral"),
    "support-finder": Spec("company", {"GET": 200}),
    "attachment-download": Spec("company", {"GET": 200}, kind="attachment"),
    "action-list": Spec("company", {"GET": 200}),
    "action-detail": Spec("company", {"GET": 200}, kind="action"),
    "action-status": Spec("company", {"GET": 405, "POST": 400}, kind="action"),
    "guidance": Spec("company", {"GET": 200}),
    "notice-list": Spec("company", {"GET": 200}),
    # Addressed to company A (a large company), not to company B (an SME).
    "notice-detail": Spec("company", {"GET": 200, "POST": 405}, kind="notice"),
    "best-practice-list": Spec("company", {"GET": 200}),
    "colleague-list": Spec("org_admin", {"GET": 200}),
    "colleague-invite": Spec("org_admin", {"GET": 405, "POST": 400}),
    "colleague-deactivate": Spec("org_admin", {"GET": 405, "POST": 302}, kind="colleague"),
    "invitation-revoke": Spec("org_admin", {"GET": 405, "POST": 302}, kind="invitation"),
    # A POST without confirmation shows the confirmation page.
    "token-revoke": Spec("company", {"GET": 405, "POST": 200}, kind="token"),
}

OBJECT_KINDS = {
    "concern",
    "referral",
    "attachment",
    "action",
    "colleague",
    "invitation",
    "token",
    "notice",
}


def pattern_names() -> list[str]:
    return [p.name for p in portal_urls.urlpatterns if isinstance(p, URLPattern)]


def spec_for(name: str) -> Spec:
    if name not in SPECS:
        pytest.fail(f"portal:{name} has no expectation in tests/portal/test_isolation.py SPECS")
    return SPECS[name]


def url_for(name: str, world, *, pk=None) -> str:
    kind = SPECS[name].kind
    kwargs = {}
    if kind == "reset-token":
        user = world["a"]
        kwargs = {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
    elif kind == "invitation-token":
        kwargs = {"token": "not-a-real-token"}
    elif kind == "concern":
        # Concerns are addressed by their organization's reference number in the portal.
        kwargs = {
            "reference": MISSING_REFERENCE if pk == MISSING_ID else world["concern"].reference
        }
    elif kind == "referral":
        # A referral is addressed by its concern's reference and its number within it.
        reference = MISSING_REFERENCE if pk == MISSING_ID else world["concern"].reference
        kwargs = {"reference": reference, "number": world["referral"].number}
    elif kind == "attachment":
        kwargs = {"pk": pk or world["attachment"].pk}
    elif kind == "action":
        kwargs = {"pk": pk or world["action"].pk}
    elif kind == "notice":
        kwargs = {"pk": pk or world["notice"].pk}
    elif kind == "colleague":
        kwargs = {"pk": pk or world["a_colleague"].pk}
    elif kind == "invitation":
        kwargs = {"pk": pk or world["invitation"].pk}
    elif kind == "token":
        kwargs = {"pk": pk or world["token"].pk}
    return reverse(f"portal:{name}", kwargs=kwargs)


def rightful(name: str, world):
    return world["a_admin"] if SPECS[name].access == "org_admin" else world["a"]


def other_company(name: str, world):
    return world["b_admin"] if SPECS[name].access == "org_admin" else world["b"]


def call(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def normalized(response, url: str) -> bytes:
    """The page without what differs on every request anyway: the CSRF token and the path."""
    body = CSRF_VALUE.sub(b'name="csrfmiddlewaretoken" value=""', response.content)
    return body.replace(url.encode(), b"URL")


# --- the list itself -----------------------------------------------------------------


def test_every_portal_url_has_an_expectation():
    names = pattern_names()
    assert len(names) == len(set(names)), "duplicate URL names"
    assert sorted(set(names) - set(SPECS)) == [], "new portal URLs need an entry in SPECS"
    assert sorted(set(SPECS) - set(names)) == [], "SPECS names URLs that no longer exist"


# --- anonymous, officials, the rightful user --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", pattern_names())
def test_anonymous_visitors_are_sent_to_sign_in(name, world):
    spec = spec_for(name)
    url = url_for(name, world)
    for method in spec.owner:
        response = call(Client(), method, url)
        if spec.access == "public":
            assert response.status_code == spec.owner[method], (method, url)
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("portal:login") + "?next="), url


@pytest.mark.django_db
@pytest.mark.parametrize("name", pattern_names())
def test_officials_are_sent_to_their_workspace(name, world):
    spec = spec_for(name)
    if spec.access == "public":
        pytest.skip("public page: sign-in, password reset, invitation")
    client = signed_in(world["official"])
    for method in spec.owner:
        response = call(client, method, url_for(name, world))
        assert response.status_code == 302, method
        assert response["Location"] == reverse("workspace:dashboard")


@pytest.mark.django_db
@pytest.mark.parametrize("name", pattern_names())
def test_the_rightful_user_reaches_the_page(name, world):
    spec = spec_for(name)
    client = Client() if spec.access == "public" else signed_in(rightful(name, world))
    for method, status in spec.owner.items():
        response = call(client, method, url_for(name, world))
        assert response.status_code == status, (method, response.content[:500])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n in pattern_names() if SPECS.get(n, Spec("x")).access == "org_admin"]
)
def test_portal_admin_pages_refuse_other_members(name, world):
    client = signed_in(world["a"])
    for method in SPECS[name].owner:
        assert call(client, method, url_for(name, world)).status_code == 403, method


# --- company B against company A --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", pattern_names())
def test_another_company_gets_the_page_of_a_missing_id(name, world):
    spec = spec_for(name)
    if spec.kind not in OBJECT_KINDS:
        pytest.skip("names no record (see test_another_companys_pages_never_show_company_a)")
    client = signed_in(other_company(name, world))
    for method in spec.owner:
        theirs_url = url_for(name, world)
        missing_url = url_for(name, world, pk=MISSING_ID)
        theirs = call(client, method, theirs_url)
        missing = call(client, method, missing_url)
        expected = 405 if spec.owner[method] == 405 else 404
        assert theirs.status_code == expected, (method, theirs_url)
        assert missing.status_code == expected, (method, missing_url)
        assert normalized(theirs, theirs_url) == normalized(missing, missing_url), method
        for secret in ("ガリウム輸出規制の影響", "調達先の多様化", "報告書", "colleague_a"):
            assert secret.encode() not in theirs.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", pattern_names())
def test_another_companys_pages_never_show_company_a(name, world):
    spec = spec_for(name)
    if spec.access == "public" or "GET" not in spec.owner or spec.kind in OBJECT_KINDS:
        pytest.skip("no page of its own for a signed-in company user to read")
    response = signed_in(other_company(name, world)).get(url_for(name, world))
    body = response.content.decode()
    for secret in (
        "ガリウム輸出規制の影響",
        "調達先の多様化",
        "株式会社A",
        "colleague_a",
        "newcomer@",
    ):
        assert secret not in body, secret


@pytest.mark.django_db
def test_company_a_never_reaches_internal_notes_or_their_files(world):
    client = signed_in(world["a"])
    page = client.get(url_for("concern-detail", world)).content.decode()
    assert "INTERNAL-NOTE-SECRET" not in page
    assert "internal.pdf" not in page
    assert "ご相談ありがとうございます。" in page  # the official's reply is there
    note_file = reverse("portal:attachment-download", kwargs={"pk": world["note_file"].pk})
    assert client.get(note_file).status_code == 404


@pytest.mark.django_db
def test_an_action_owned_by_an_official_is_not_in_the_portal(world):
    client = signed_in(world["a"])
    url = reverse("portal:action-detail", kwargs={"pk": world["official_action"].pk})
    assert client.get(url).status_code == 404
    assert "官側のアクション" not in client.get(reverse("portal:action-list")).content.decode()


@pytest.mark.django_db
def test_company_users_opening_the_workspace_are_sent_to_the_portal(world):
    client = signed_in(world["a"])
    for url in ["/", "/threats/", "/sectors/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("portal:home"), url


# --- CSRF on every form ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", pattern_names())
def test_every_form_refuses_a_post_without_csrf_token(name, world):
    spec = spec_for(name)
    if "POST" not in spec.owner or spec.owner["POST"] == 405:
        pytest.skip("takes no POST")
    client = Client(enforce_csrf_checks=True)
    if spec.access != "public":
        client.force_login(rightful(name, world))
    response = client.post(url_for(name, world), {})
    assert response.status_code == 403


@pytest.mark.django_db
def test_another_company_gets_the_missing_page_for_a_file_on_a_message(world):
    message = f.ConcernMessageFactory(concern=world["concern"], author=world["a"], body="補足")
    on_message = f.ConcernAttachmentFactory(
        concern=world["concern"], message=message, uploaded_by=world["a"], original_name="補足.pdf"
    )
    url = reverse("portal:attachment-download", kwargs={"pk": on_message.pk})
    missing_url = reverse("portal:attachment-download", kwargs={"pk": MISSING_ID})
    client = signed_in(world["b"])
    theirs, missing = client.get(url), client.get(missing_url)
    assert theirs.status_code == missing.status_code == 404
    assert normalized(theirs, url) == normalized(missing, missing_url)
    assert signed_in(world["a_colleague"]).get(url).status_code == 200
