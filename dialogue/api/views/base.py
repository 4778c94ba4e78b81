"""The base every API view builds on: visibility first, versioned writes, ETags."""

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from dialogue.api.exceptions import PreconditionRequired
from dialogue.api.filtering import ApiFilterBackend
from dialogue.api.querying import Related, mark_visible_related
from dialogue.models import User
from dialogue.querysets import visible_rows

ETAG = re.compile(r'^(?:W/)?"?(\d+)"?$')


class AuthenticatedRequest(Request):
    """A request past `IsAuthenticated` (the API's default permission): its user is a `User`."""

    user: User


class VisibleViewSet(viewsets.GenericViewSet[Any]):
    """Every queryset starts from `Model.objects.visible_to(user)`: 404 for anything else."""

    request: AuthenticatedRequest
    model: ClassVar[type[models.Model]]
    filter_backends = [ApiFilterBackend, OrderingFilter]
    ordering: Sequence[str] = ["-id"]
    # Related records shown as ids only where the caller may see them (`querying.Related`).
    related: tuple[Related, ...] = ()

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real caller
            return self.model._default_manager.none()
        return self.scope(visible_rows(self.model, self.request.user))

    def scope(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """Add joins and annotations for the serializer (no query per row)."""
        return queryset

    def mark_related(self, instances: list[Any]) -> list[Any]:
        """Mark which related ids each instance may show: one query per relation, not per row."""
        mark_visible_related(instances, self.request.user, self.related)
        return instances

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return page if page is None else self.mark_related(page)

    def get_object(self) -> Any:
        return self.mark_related([super().get_object()])[0]

    def reload(self, instance: Any) -> Any:
        """The instance as a read shows it, after a write."""
        # The caller may no longer see the record (e.g. it became RED): then as it is.
        reloaded = self.get_queryset().filter(pk=instance.pk).first() or instance
        return self.mark_related([reloaded])[0]


# The mixin is used with a GenericAPIView; mypy checks its calls against one.
if TYPE_CHECKING:
    _VersionedWriteBase = GenericAPIView[Any]
else:
    _VersionedWriteBase = object


class VersionedWriteMixin(_VersionedWriteBase):
    """Optimistic concurrency from `If-Match: "<version>"` or a `version` field in the body.

    An update must carry one of them (428 otherwise): without it, a change based on an
    old read would overwrite what someone saved meanwhile, unseen."""

    def expected_version(self, validated_data: dict) -> int:
        body_version = validated_data.pop("version", None)
        header = self.request.headers.get("If-Match")
        if header:
            match = ETAG.match(header.strip())
            if not match:
                raise exceptions.ValidationError(
                    {"If-Match": [_('Send the version you read, e.g. If-Match: "3".')]}
                )
            return int(match.group(1))
        if body_version is None:
            raise PreconditionRequired()
        return body_version

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and carries_a_version(data):
            response["ETag"] = f'"{data["version"]}"'
        return response


def carries_a_version(fields) -> bool:
    """One record with its `version`, named by its key: an `id`, a concern's `reference`
    (company users see no id) or a referral's `number`. The ETag goes with such a body;
    the schema declares it by the same rule."""
    return "version" in fields and any(key in fields for key in ("id", "reference", "number"))


class ReadOnlyVisibleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    pass


class ServiceViewSet(VersionedWriteMixin, ReadOnlyVisibleViewSet):
    """List, retrieve, create and PATCH, each write through one service call."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        instance = self.service_create(data)
        return Response(
            self.get_serializer(self.reload(instance)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = self.expected_version(data)
        instance = self.service_update(instance, data, expected)
        return Response(self.get_serializer(self.reload(instance)).data)

    def service_create(self, data: dict):
        raise exceptions.MethodNotAllowed("POST")

    def service_update(self, instance, data: dict, expected_version: int | None):
        raise exceptions.MethodNotAllowed("PATCH")
