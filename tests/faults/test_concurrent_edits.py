"""Drill: two officials save the same follow-up action at the same moment.

Both read the same version and send their change together, from two threads,
to a live server with a database connection per request (as gunicorn's workers
have). Exactly one wins; the other is told, by a 409 from the API or the form's
conflict message on the page, and nothing of theirs is applied. The winner's
change is saved whole, and the history shows one new entry. Several rounds, so
that the two requests really overlap in at least some of them.
"""

from __future__ import annotations

import re
import threading
from functools import partial
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from dialogue.enums import ActionStatus, Priority
from dialogue.models import FollowUpAction
from tests import factories as f
from tests.faults.conftest import Reply, http, needs_postgres

pytestmark = [pytest.mark.services, needs_postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 4
API_CONFLICT = "Someone else changed this record since you loaded it."
PAGE_CONFLICT = "Someone else changed this action while you were viewing it"


def at_the_same_moment(*requests) -> list[Reply]:
    """Run each request in its own thread, released together."""
    start = threading.Barrier(len(requests))
    replies: list[Reply | None] = [None] * len(requests)

    def run(index: int) -> None:
        start.wait()
        replies[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(replies), "a request did not finish"
    return replies


@pytest.fixture
def officials(semiconductors):
    return [
        f.OfficialFactory(username=f"editor_{name}", sectors=[semiconductors])
        for name in ("a", "b")
    ]


def new_action(semiconductors, owner) -> FollowUpAction:
    return f.FollowUpActionFactory(
        sector=semiconductors,
        owner=owner,
        created_by=owner,
        title="元のタイトル",
        description="元の説明",
        priority=Priority.MEDIUM,
    )


def test_api_two_saves_of_the_same_version_one_wins_the_other_gets_409(
    live_server, officials, semiconductors
):
    tokens = [f.api_key(official) for official in officials]
    action = new_action(semiconductors, officials[0])
    url = f"{live_server.url}/api/v1/actions/{action.pk}/"

    for round_ in range(ROUNDS):
        # given: both officials have read the same version
        action.refresh_from_db()
        version = action.version
        history_before = action.history.count()
        edits = [
            {
                "title": f"{side} の修正 {round_}",
                "description": f"{side} が書いた説明 {round_}",
                "priority": priority,
            }
            for side, priority in (("A", Priority.HIGH), ("B", Priority.LOW))
        ]

        # when: both save at once
        replies = at_the_same_moment(
            *(
                partial(
                    http,
                    "PATCH",
                    url,
                    json_body=edit,
                    headers={
                        "Authorization": f"Token {token}",
                        "If-Match": f'"{version}"',
                        "Accept-Language": "en",
                    },
                )
                for token, edit in zip(tokens, edits, strict=True)
            )
        )

        # then: one wins, the other is told its change was not saved
        statuses = [r.status for r in replies]
        assert sorted(statuses) == [200, 409], [(r.status, r.text[:300]) for r in replies]
        won = statuses.index(200)
        conflict = replies[1 - won].json()
        assert API_CONFLICT in conflict["detail"]
        assert conflict["current_version"] == version + 1
        assert replies[won].json()["version"] == version + 1

        # ... and the record holds the winner's change, whole, and nothing of the loser's
        action.refresh_from_db()
        assert (action.title, action.description, action.priority) == tuple(edits[won].values())
        assert action.version == version + 1
        assert action.history.count() == history_before + 1


def signed_in_page(live_server, user, path: str) -> tuple[str, str]:
    """A browser that signed in and opened `path`: its Cookie header and the form's CSRF token."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    page = http("GET", live_server.url + path, headers={"Cookie": cookie})
    assert page.status == 200, page.text[:500]
    csrf_cookie = page.cookies()[settings.CSRF_COOKIE_NAME]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}", token


def test_page_two_status_changes_of_the_same_version_one_wins_the_other_sees_the_conflict(
    live_server, officials, semiconductors
):
    for _ in range(ROUNDS):
        # given: both officials opened the action's page (version 1)
        action = new_action(semiconductors, officials[0])
        detail = f"/actions/{action.pk}/"
        browsers = [signed_in_page(live_server, official, detail) for official in officials]
        changes = [
            {"status": ActionStatus.IN_PROGRESS, "completion_note": "", "version": "1"},
            {"status": ActionStatus.DONE, "completion_note": "B が対応を完了した", "version": "1"},
        ]

        # when: both send the status form at once
        replies = at_the_same_moment(
            *(
                partial(
                    http,
                    "POST",
                    f"{live_server.url}{detail}status/",
                    data=urlencode({**change, "csrfmiddlewaretoken": browser[1]}).encode(),
                    headers={
                        "Cookie": browser[0],
                        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                        "Accept-Language": "en",
                    },
                )
                for browser, change in zip(browsers, changes, strict=True)
            )
        )

        # then: one is redirected to the saved action, the other gets the form back with
        # the conflict message
        statuses = [r.status for r in replies]
        assert sorted(statuses) == [302, 400], [(r.status, r.text[:300]) for r in replies]
        won = statuses.index(302)
        assert PAGE_CONFLICT in replies[1 - won].text

        # ... the winner's change is saved whole (a "done" carries its note and time),
        # nothing of the loser's is
        action.refresh_from_db()
        assert action.status == changes[won]["status"]
        assert action.completion_note == changes[won]["completion_note"]
        assert (action.completed_at is not None) == (changes[won]["status"] == ActionStatus.DONE)
        assert action.version == 2
        assert action.history.count() == 2  # created, then the one change
