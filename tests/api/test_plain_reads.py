"""The versioned serializers read plain attributes without DRF's lookup
(`PlainReadSerializer`): what they answer must be exactly what DRF's own
`to_representation` answers, for every row and every reader."""

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialogue.api.serializers.common import PlainReadSerializer
from dialogue.api.views.actions import ActionViewSet
from dialogue.api.views.concerns import ConcernViewSet
from dialogue.api.views.dependencies import DependencyViewSet
from dialogue.api.views.registers import ChokepointViewSet, ThreatViewSet
from dialogue.api.views.sessions import SessionViewSet
from dialogue.models import User

VIEWSETS = [
    ThreatViewSet,
    ChokepointViewSet,
    SessionViewSet,
    ConcernViewSet,
    ActionViewSet,
    DependencyViewSet,
]
READERS = ["sector_official", "secretariat", "company_a", "red_reader"]


def page_for(viewset_class, user):
    """The rows a list page shows `user`, marked as the list marks them, and its serializer."""
    view = viewset_class()
    view.request = Request(APIRequestFactory().get("/"))
    view.request.user = user
    view.format_kwarg = None
    view.action = "list"
    view.kwargs = {}
    rows = view.mark_related(list(view.get_queryset()[:200]))
    return rows, view.get_serializer()


@pytest.mark.django_db
@pytest.mark.parametrize("viewset_class", VIEWSETS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("reader", READERS)
def test_plain_reads_answer_what_drf_answers(access_world, viewset_class, reader):
    users = access_world["users"]
    user = users[reader] if reader in users else User.objects.get(username="red-reader")
    rows, serializer = page_for(viewset_class, user)
    assert isinstance(serializer, PlainReadSerializer)
    assert rows, f"{viewset_class.__name__} shows {reader} nothing: the comparison would be empty"
    for row in rows:
        drf = serializers.ModelSerializer.to_representation(serializer, row)
        assert serializer.to_representation(row) == drf
